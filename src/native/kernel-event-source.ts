// core's EventSource on the native addon: a Connector with cntop's defaults, its failures mapped to
// ConnectorError, its stats passed through. The one place where policy meets the addon.
import type {
  AccountingStatus,
  ConnectorError,
  ConnectorStats,
  EventBatch,
  EventSource,
  StartInfo,
} from '../core/event-source.js';
import { err, ok, PROC_EVENT_KINDS, type ProcEventKind, type Result } from '../core/types.js';
import { ackCookieFor } from './ack-cookie.js';
import { connectorErrorFromErrno } from './connector-error.js';
import { loadAddon } from './load-addon.js';
import type {
  NativeAddon,
  NativeConnector,
  NativeConnectorOptions,
  NativeStats,
  NativeTaskstatsStart,
} from './native-types.js';
import { toTaskRecord } from './taskstats-mapping.js';
import { accountingStatusWithReason } from './taskstats-status.js';
import type { TaskRecord } from '../core/accounting/task-record.js';

/**
 * Defaults. Live means live: an event should reach the screen within tens of ms, so a batch waits at
 * most 10 ms, under half of the viewer's 25 ms frame (at 5 ms, a storm's per-batch costs, a JS call
 * and a model pass each, cost ~10% more CPU per event); 512 events per batch keeps each JS call short
 * during storms. 32 MiB of receive buffer
 * (the kernel doubles it) absorbs ~300k queued events while JS is busy. start() blocks for at most
 * ackWaitMs when no ack comes (the gate is closed), which health then diagnoses.
 * Taskstats is off here: pass `taskstats: true` to get exit records in batch.records.
 */
export const DEFAULT_KERNEL_SOURCE_OPTIONS: NativeConnectorOptions = {
  rcvbufBytes: 32 * 1024 * 1024,
  readExecInfo: true,
  dropKinds: [],
  maxBatchEvents: 512,
  maxBatchMs: 10,
  ackCookie: ackCookieFor(process.pid),
  ackWaitMs: 250,
};

export class KernelEventSource implements EventSource {
  readonly #addon: NativeAddon;
  readonly #options: NativeConnectorOptions;
  #connector: NativeConnector | null = null;
  #closed = false;
  #taskstats: NativeTaskstatsStart | null = null;

  constructor(addon: NativeAddon, options: Partial<NativeConnectorOptions> = {}) {
    this.#addon = addon;
    this.#options = { ...DEFAULT_KERNEL_SOURCE_OPTIONS, ...options };
  }

  /** Batches carry taskstats records (in core's terms) when the options asked for taskstats. The
   *  socket work is synchronous; the promise is EventSource's shape (other sources wait on I/O). */
  start(onBatch: (batch: EventBatch) => void): Promise<Result<StartInfo, ConnectorError>> {
    return Promise.resolve(this.startNow(onBatch));
  }

  private startNow(onBatch: (batch: EventBatch) => void): Result<StartInfo, ConnectorError> {
    if (this.#connector !== null) throw new Error('KernelEventSource.start() called twice');
    // close() may race ahead of start() (a signal during startup): then never subscribe at all.
    if (this.#closed) return err({ kind: 'io', syscall: 'start', errno: 0, code: 'ECLOSED' });
    const connector = new this.#addon.Connector(this.#options);
    this.#connector = connector;
    const started = connector.start((batch) =>
      onBatch({
        events: batch.events,
        overruns: batch.overruns,
        seqGapMessages: batch.seqGapMessages,
        records: batch.records.length === 0 ? NO_RECORDS : batch.records.map(toTaskRecord),
        recordOverruns: batch.recordOverruns,
      }),
    );
    if (!started.ok) {
      connector.close(); // sends an IGNORE only if LISTEN went out before the failure
      return err(connectorErrorFromErrno(started.syscall, started.errno, started.code));
    }
    this.#taskstats = started.taskstats;
    return ok({
      ack: started.ack,
      rcvbufBytes: started.rcvbufBytes,
      rcvbufForced: started.rcvbufForced,
      droppedKinds: started.filterAttached ? [...this.#options.dropKinds] : [],
    });
  }

  stats(): ConnectorStats {
    return this.#connector?.stats() ?? emptyStats();
  }

  /** Taskstats as start() found it: null when not asked for (or not started), else running or why not. */
  taskstats(): NativeTaskstatsStart | null {
    return this.#taskstats;
  }

  accounting(): AccountingStatus {
    return accountingStatusWithReason(this.#taskstats, this.#connector?.stats().taskstats ?? null);
  }

  /** The addon's full counters (taskstats included), or null before start(). */
  nativeStats(): NativeStats | null {
    return this.#connector?.stats() ?? null;
  }

  /** Test hook: stop reading for ms milliseconds so that the kernel queue overflows. */
  pauseReader(ms: number): void {
    this.#connector?.pauseReader(ms);
  }

  close(): void {
    this.#closed = true;
    this.#connector?.close();
  }
}

const NO_RECORDS: readonly TaskRecord[] = Object.freeze([]);

/** Loads the addon and wraps it; the error says why the connector cannot be used. */
export function openKernelEventSource(
  options: Partial<NativeConnectorOptions> = {},
): Result<KernelEventSource, ConnectorError> {
  const addon = loadAddon();
  if (!addon.ok) return addon;
  return ok(new KernelEventSource(addon.value, options));
}

function emptyStats(): ConnectorStats {
  const eventsByKind = Object.fromEntries(PROC_EVENT_KINDS.map((kind) => [kind, 0])) as Record<ProcEventKind, number>;
  return {
    eventsByKind,
    batches: 0,
    overruns: 0,
    seqGapMessages: 0,
    malformed: 0,
    foreign: 0,
    acksSeen: 0,
    rcvbufBytes: 0,
    lastEventMs: null,
    listenSent: false,
    ignoreSent: false,
  };
}
