// One-shot examination of the process connector for `cntop doctor`: subscribe with a fresh connector
// (LISTEN) and taskstats beside it, run the checkup (gate, deficit, semantics, a canary whose exit must
// also produce its taskstats record, optional repair), unsubscribe (IGNORE, DEREGISTER), and turn what
// was seen into health facts. Owns the connector's lifetime on every exit path.
import { DEFAULT_CHECKUP, runCheckup, type CheckupResult } from '../core/health/checkup.js';
import { deriveHealth } from '../core/health/derive-health.js';
import type { AccessFacts, HealthFacts, TaskstatsFacts } from '../core/health/health-facts.js';
import type { HealthReport } from '../core/health/health-types.js';
import { semanticsFromRelease } from '../core/health/semantics-probe.js';
import { describeConnectorError } from '../core/describe/connector-error.js';
import { ACCOUNTING_NOT_ASKED, NO_NETLINK_REASON, type AccountingStatus } from '../core/event-source.js';
import type { ProcEvent } from '../core/types.js';
import { kernelRelease, readAccessFacts } from './access-probe.js';
import { runCanary, type RecordFeed } from './canary.js';
import { ackCookieFor } from './ack-cookie.js';
import { connectorErrorFromErrno } from './connector-error.js';
import { loadAddon } from './load-addon.js';
import type { NativeAddon, NativeBatch } from './native-types.js';
import { nativeProbeSockets } from './probe-sockets.js';
import { accountingStatusWithReason } from './taskstats-status.js';

export interface ExaminationOptions {
  readonly repair: boolean;
  /** False (--no-netlink): report what cntop does then, polling /proc, and send nothing to the kernel. */
  readonly netlink: boolean;
  /** Bound for the canary's fork/exec/exit (emulated guests are about 15 times slower). */
  readonly canaryTimeoutMs: number;
  readonly ackWaitMs: number;
  readonly maxSteps: number;
}

export const DEFAULT_EXAMINATION: ExaminationOptions = {
  repair: false,
  netlink: true,
  canaryTimeoutMs: 3000,
  ackWaitMs: 100,
  maxSteps: DEFAULT_CHECKUP.maxSteps,
};

export interface Examination {
  readonly report: HealthReport;
  readonly facts: HealthFacts;
  /** null when the connector could not be opened (polling). */
  readonly checkup: CheckupResult | null;
  /** Every op this examination sent: its connector's LISTEN/IGNORE plus the checkup's (leaked = repair). */
  readonly counterOps: { readonly listens: number; readonly ignores: number; readonly leaked: number } | null;
  /** From subscribing to the verdict, in ms. */
  readonly verdictMs: number;
}

interface Observed {
  overruns: number;
  seqGapMessages: number;
  lastLossMs: number | null;
  lastEventMs: number | null;
  readonly listeners: Set<(events: readonly ProcEvent[]) => void>;
  /** Taskstats: records and overruns seen, and who waits for the ids of tasks whose record arrived. */
  records: number;
  recordOverruns: number;
  lastRecordMs: number | null;
  lastRecordLossMs: number | null;
  readonly recordListeners: Set<(ids: readonly number[]) => void>;
}

export async function examineConnector(options: ExaminationOptions): Promise<Examination> {
  const release = kernelRelease();
  const access = readAccessFacts();
  if (!options.netlink) return pollingExamination(release, access, NO_NETLINK_REASON, Date.now());
  const loaded = loadAddon();
  if (!loaded.ok) return pollingExamination(release, access, describeConnectorError(loaded.error), Date.now());
  const addon = loaded.value;
  const startedMs = addon.monotonicMs();
  const observed: Observed = {
    overruns: 0,
    seqGapMessages: 0,
    lastLossMs: null,
    lastEventMs: null,
    listeners: new Set(),
    records: 0,
    recordOverruns: 0,
    lastRecordMs: null,
    lastRecordLossMs: null,
    recordListeners: new Set(),
  };
  const connector = new addon.Connector({
    rcvbufBytes: 4 << 20,
    readExecInfo: false,
    dropKinds: [],
    maxBatchEvents: 256,
    maxBatchMs: 5,
    ackCookie: ackCookieFor(process.pid),
    ackWaitMs: options.ackWaitMs,
    // Optional: when it cannot start, the connector runs as without it and start() says why.
    taskstats: { rcvbufBytes: 4 << 20 },
  });
  // Whatever ends the process (a signal handled elsewhere, process.exit), the one IGNORE goes out.
  const closeConnector = (): void => void connector.close();
  process.once('exit', closeConnector);
  let gathered: Omit<Gathered, 'connectorOps'>;
  try {
    const started = connector.start((batch) => onBatch(addon, observed, batch));
    if (!started.ok) {
      const reason = describeConnectorError(connectorErrorFromErrno(started.syscall, started.errno, started.code));
      return pollingExamination(release, access, reason, startedMs);
    }
    const taskstatsOn = started.taskstats?.ok === true;
    const checkup = await checkupWith(addon, started.ack, observed, options, access, taskstatsOn);
    const accounting = accountingStatusWithReason(started.taskstats, connector.stats().taskstats);
    gathered = { release, access, ack: started.ack, checkup, observed, startedMs, accounting };
  } finally {
    connector.close();
    process.removeListener('exit', closeConnector);
  }
  const stats = connector.stats();
  return finishExamination(addon, {
    ...gathered,
    connectorOps: { listens: stats.listenSent ? 1 : 0, ignores: stats.ignoreSent ? 1 : 0 },
  });
}

function onBatch(addon: NativeAddon, observed: Observed, batch: NativeBatch): void {
  const now = addon.monotonicMs();
  if (batch.overruns > 0 || batch.seqGapMessages > 0) {
    observed.overruns += batch.overruns;
    observed.seqGapMessages += batch.seqGapMessages;
    observed.lastLossMs = now;
  }
  if (batch.events.length > 0) observed.lastEventMs = now;
  if (batch.recordOverruns > 0) {
    observed.recordOverruns += batch.recordOverruns;
    observed.lastRecordLossMs = now;
  }
  if (batch.records.length > 0) {
    observed.records += batch.records.length;
    observed.lastRecordMs = now;
    const ids = batch.records.flatMap((record) => (record.kind === 'pid' ? [record.pid] : []));
    for (const listener of observed.recordListeners) listener(ids);
  }
  for (const listener of observed.listeners) listener(batch.events);
}

function checkupWith(
  addon: NativeAddon,
  ack: { readonly err: number } | null,
  observed: Observed,
  options: ExaminationOptions,
  access: AccessFacts,
  taskstatsOn: boolean,
): Promise<CheckupResult> {
  const nowMs = (): number => addon.monotonicMs();
  const feed = (listener: (events: readonly ProcEvent[]) => void): (() => void) => {
    observed.listeners.add(listener);
    return () => observed.listeners.delete(listener);
  };
  const records: RecordFeed = (listener) => {
    observed.recordListeners.add(listener);
    return () => observed.recordListeners.delete(listener);
  };
  return runCheckup(
    ack,
    {
      factory: nativeProbeSockets(addon),
      pid: process.pid,
      nowMs,
      runCanary: () =>
        runCanary(feed, { timeoutMs: options.canaryTimeoutMs, nowMs, ...(taskstatsOn ? { records } : {}) }),
    },
    {
      ...DEFAULT_CHECKUP,
      maxSteps: options.maxSteps,
      repair: options.repair,
      namespaceBlocked: access.initPidNs === false || access.initUserNs === false,
    },
  );
}

interface Gathered {
  readonly release: string;
  readonly access: AccessFacts;
  readonly ack: { readonly err: number; readonly latencyMs: number } | null;
  readonly checkup: CheckupResult;
  readonly observed: Observed;
  readonly startedMs: number;
  readonly accounting: AccountingStatus;
  readonly connectorOps: { readonly listens: number; readonly ignores: number };
}

function finishExamination(addon: NativeAddon, gathered: Gathered): Examination {
  const { checkup, observed } = gathered;
  const observedSemantics = checkup.semantics?.semantics ?? 'unknown';
  const kernel =
    observedSemantics !== 'unknown'
      ? {
          release: gathered.release,
          semantics: observedSemantics,
          semanticsEvidence: `observed: ${checkup.semantics?.evidence ?? ''}`,
        }
      : {
          release: gathered.release,
          semantics: semanticsFromRelease(gathered.release),
          semanticsEvidence: `from the release (${checkup.semantics?.evidence ?? 'behaviour not observable'})`,
        };
  const nowMs = addon.monotonicMs();
  const facts: HealthFacts = {
    nowMs,
    mode: 'netlink',
    pollingReason: null,
    kernel,
    ack: gathered.ack,
    gate: checkup.gate,
    canary: checkup.canary,
    deficit: checkup.deficit,
    deficitBeyond: checkup.deficitBeyond,
    repair: checkup.repair,
    loss: { overruns: observed.overruns, seqGapMessages: observed.seqGapMessages, lastLossMs: observed.lastLossMs },
    drift: { missedForks: 0, missedExits: 0, lastDriftMs: null },
    lastEventMs: observed.lastEventMs,
    access: gathered.access,
    taskstats: {
      accounting: gathered.accounting,
      lastRecordMs: observed.lastRecordMs,
      lastLossMs: observed.lastRecordLossMs,
    },
  };
  const { ledger } = checkup;
  const counterOps = {
    listens: ledger.listens + gathered.connectorOps.listens,
    ignores: ledger.ignores + gathered.connectorOps.ignores,
    leaked: ledger.leaked,
  };
  return { report: deriveHealth(facts), facts, checkup, counterOps, verdictMs: nowMs - gathered.startedMs };
}

function pollingExamination(release: string, access: AccessFacts, reason: string, startedMs: number): Examination {
  const facts: HealthFacts = {
    nowMs: startedMs,
    mode: 'polling',
    pollingReason: reason,
    kernel: { release, semantics: semanticsFromRelease(release), semanticsEvidence: 'from the release' },
    ack: null,
    gate: null,
    canary: null,
    deficit: null,
    deficitBeyond: null,
    repair: null,
    loss: { overruns: 0, seqGapMessages: 0, lastLossMs: null },
    drift: { missedForks: 0, missedExits: 0, lastDriftMs: null },
    lastEventMs: null,
    access,
    taskstats: NOT_STARTED,
  };
  return { report: deriveHealth(facts), facts, checkup: null, counterOps: null, verdictMs: 0 };
}

/** Polling: taskstats starts beside the connector's subscription, so it was never started. */
const NOT_STARTED: TaskstatsFacts = { accounting: ACCOUNTING_NOT_ASKED, lastRecordMs: null, lastLossMs: null };
