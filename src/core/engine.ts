// The engine: subscribes to the connector, seeds the model from /proc, keeps it live from events,
// samples CPU/memory on an interval, resyncs after loss, and falls back to polling /proc.
import { ExitAccountant, type AccountedExit } from './accounting/exit-accountant.js';
import type { CommandTotals, ExitTotals } from './accounting/exit-window.js';
import type { Clock, TimerHandle } from './clock.js';
import type { EngineControl, EngineStatus } from './engine-api.js';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './engine-options.js';
import { subscribe } from './engine-subscribe.js';
import { EventRates } from './engine-rates.js';
import { confirmMissed, driftPersists, endMissing, findDrift, scanAndReconcile } from './engine-resync.js';
import {
  ACCOUNTING_NOT_ASKED,
  type AccountingStatus,
  type EventBatch,
  type EventSource,
  type StartInfo,
} from './event-source.js';
import type { StatContext } from './model/apply-stat.js';
import { ProcessTable } from './model/process-table.js';
import { reconcileSnapshot } from './model/reconcile.js';
import { ProcReader } from './proc/proc-reader.js';
import { scanProc } from './proc/scan.js';
import { ProcessSampler, readDetails, readDetailsSliced } from './sampler.js';
import { SystemSampler } from './system-stats.js';
import { TimeSlicer } from './time-slicer.js';
import type { ExitedProcess, Pid, ProcEvent, ProcessInfo, SystemStats } from './types.js';
import { createUserNames, type UserNames } from './users.js';

export type { EngineOptions } from './engine-options.js';

/** Rows that lack uid/cmdline are read right after a batch only up to this many (the rest at refresh). */
const DETAILS_PER_BATCH = 32;

/**
 * Starts the engine and resolves once the model is seeded: LISTEN first, then one /proc scan, then
 * the events buffered meanwhile (so nothing born during the scan is missed). When options.source is
 * an error, or its start() fails, the engine polls /proc every refreshMs instead and says why in
 * status.pollingReason. Rejects only when the proc root itself cannot be listed.
 */
export async function startEngine(options: EngineOptions): Promise<EngineControl> {
  const engine = new Engine(resolveOptions(options));
  await engine.start();
  return engine;
}

class Engine implements EngineControl {
  private readonly clock: Clock;
  private readonly reader: ProcReader;
  private readonly table: ProcessTable;
  private readonly users: UserNames;
  private readonly systemSampler: SystemSampler;
  private readonly processSampler: ProcessSampler;
  private readonly rates: EventRates;
  private readonly eventListeners = new Set<(events: readonly ProcEvent[]) => void>();
  private readonly refreshListeners = new Set<() => void>();
  private readonly exitListeners = new Set<(exits: readonly AccountedExit[]) => void>();
  private readonly accountant: ExitAccountant;
  private readonly timers = new Map<string, TimerHandle>();
  /** Periodic passes started from timers and still running (see idle()). */
  private readonly inFlight = new Set<Promise<void>>();
  private source: EventSource | null = null;
  private startInfo: StartInfo | null = null;
  private pollingReason: string | null = null;
  /** Taskstats was on when the source started: exits then wait briefly for their records. Decided once:
   *  asking the source per exit read the addon's whole counters each time (13% of cntop events' CPU). */
  private recordsExpected = false;
  /** Batches that arrive while the seed scan runs, applied once it is in the model. */
  private pending: EventBatch[] | null = [];
  private refreshMs: number;
  private busyScanning = false;
  private busySampling = false;
  private resyncWanted = false;
  private closed = false;
  /** Whether close() ran, read through a call after an await: close() may have run while waiting
   *  (the type checker would take the field as still false after an earlier check). */
  private readonly isClosed = (): boolean => this.closed;
  private readonly counters = { resyncs: 0, lastResyncMs: null as number | null, missedForks: 0, missedExits: 0 };
  readonly startedMs: number;

  constructor(private readonly options: ResolvedOptions) {
    this.clock = options.clock;
    this.refreshMs = options.refreshMs;
    this.startedMs = this.clock.nowMs();
    this.reader = new ProcReader(options.procRoot);
    this.users = createUserNames(options.passwdPath);
    this.table = new ProcessTable({
      tombstoneMs: options.tombstoneMs,
      exitedCapacity: options.exitedCapacity,
      maxTombstones: options.maxTombstones,
      userName: (uid) => this.users.nameOf(uid),
      onGone: (pid) => this.reader.forgetStat(pid),
      onEnded: (entry, event) => this.accountant.processEnded(entry, event, this.clock.nowMs()),
    });
    // Exits wait for their taskstats records only while records flow from the source.
    this.accountant = new ExitAccountant(
      () => this.recordsExpected,
      (entry) => {
        // The lingering row shows the name the process exited under, as the ring does: a process gone
        // before its name could be read no longer reads '[exit 3] []'.
        const tombstone = this.table.processes.get(entry.pid);
        if (tombstone !== undefined && tombstone.exitMs === entry.exitMs) tombstone.comm = entry.comm;
      },
    );
    this.systemSampler = new SystemSampler(this.reader);
    this.processSampler = new ProcessSampler(this.table, this.reader);
    this.rates = new EventRates(this.startedMs);
    if (options.onEvents !== null) this.eventListeners.add(options.onEvents);
    if (options.onAccountedExits !== null) this.exitListeners.add(options.onAccountedExits);
  }

  // ---- EngineView ----
  get processes(): ReadonlyMap<Pid, ProcessInfo> {
    return this.table.processes;
  }
  childrenOf(pid: Pid): readonly Pid[] {
    return this.table.children.of(pid);
  }
  get exited(): readonly ExitedProcess[] {
    return this.table.exited.entries();
  }
  lastExit(pid: Pid): ExitedProcess | undefined {
    return this.table.exited.latest(pid);
  }
  get system(): SystemStats {
    return this.systemSampler.stats;
  }
  get status(): EngineStatus {
    return {
      mode: this.source === null ? 'polling' : 'netlink',
      pollingReason: this.pollingReason,
      start: this.startInfo,
      connector: this.source === null ? null : this.source.stats(),
      resyncs: this.counters.resyncs,
      lastResyncMs: this.counters.lastResyncMs,
      missedForks: this.counters.missedForks,
      missedExits: this.counters.missedExits,
      eventRates: this.rates.rates,
      startedMs: this.startedMs,
      accounting: this.accounting,
    };
  }
  private get accounting(): AccountingStatus {
    return this.source?.accounting?.() ?? ACCOUNTING_NOT_ASKED;
  }
  onAccountedExits(listener: (exits: readonly AccountedExit[]) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }
  exitsByCommand(): readonly CommandTotals[] {
    return this.accountant.window.byCommand(this.clock.nowMs());
  }
  exitTotals(spanMs: number): ExitTotals {
    return this.accountant.window.total(this.clock.nowMs(), spanMs);
  }
  exitsBySubtree(): ReadonlyMap<Pid, ExitTotals> {
    return this.accountant.window.bySubtree(this.clock.nowMs(), (pid) => this.table.processes.get(pid)?.ppid);
  }
  onEvents(listener: (events: readonly ProcEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  onRefresh(listener: () => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  // ---- EngineControl ----
  setRefreshMs(refreshMs: number): void {
    this.refreshMs = refreshMs;
    this.schedule('tick', () => this.tick(), refreshMs);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handle of this.timers.values()) this.clock.clearTimer(handle);
    this.timers.clear();
    this.source?.close();
    this.reader.close();
    // Nothing may be lost on the way out: exits still waiting for records are reported as they are.
    this.accountant.flush();
    const exits = this.accountant.take();
    if (exits.length > 0) for (const listener of this.exitListeners) listener(exits);
  }
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  // ---- lifecycle ----
  async start(): Promise<void> {
    await this.subscribe();
    const nowMs = this.clock.nowMs();
    this.systemSampler.readBootOffset(nowMs);
    this.systemSampler.sample(this.table, nowMs);
    const snapshot = await scanProc(this.reader, { nowMs: () => this.clock.nowMs() });
    if (!snapshot.ok) {
      this.close();
      throw new Error(`cannot list ${this.options.procRoot}: ${snapshot.error.kind}`);
    }
    reconcileSnapshot(this.table, snapshot.value, this.statContext());
    this.reader.retainStat((pid) => this.table.live(pid) !== undefined);
    const buffered = this.pending ?? [];
    this.pending = null;
    for (const batch of buffered) this.applyBatch(batch);
    this.systemSampler.sample(this.table, this.clock.nowMs());
    this.schedule('tick', () => this.tick(), this.refreshMs);
    this.schedule('rates', () => this.rollRates(), 1000);
    if (this.source !== null && this.options.driftCheckMs > 0) {
      this.schedule('drift', () => this.track(this.checkDrift()), this.options.driftCheckMs);
    }
  }

  /** LISTEN before the scan; any failure means polling, never a crash. */
  private async subscribe(): Promise<void> {
    const outcome = await subscribe(this.options.source, this.options.procRoot, (batch) => this.onBatch(batch));
    if (outcome.ok) {
      this.source = outcome.value.source;
      this.startInfo = outcome.value.startInfo;
      this.recordsExpected = this.source.accounting?.().state === 'on';
    } else {
      this.pollingReason = outcome.error;
    }
  }

  private onBatch(batch: EventBatch): void {
    if (this.closed) return;
    if (this.pending !== null) this.pending.push(batch);
    else this.applyBatch(batch);
  }

  private applyBatch(batch: EventBatch): void {
    const nowMs = this.clock.nowMs();
    this.rates.count(batch.events);
    // Records first: an exit in this same batch then finds its record already waiting.
    if (batch.records !== undefined) for (const record of batch.records) this.accountant.record(record, nowMs);
    this.table.apply(batch.events, nowMs); // process ends reach the accountant through onEnded
    if (this.options.accountThreads) {
      for (const event of batch.events)
        if (event.kind === 'exit' && event.pid !== event.tgid) this.accountant.threadExited(event, nowMs);
    }
    if (this.table.needsDetail.size > 0) readDetails(this.table, this.reader, this.statContext(), DETAILS_PER_BATCH);
    if (batch.overruns > 0 || batch.seqGapMessages > 0) this.requestResync();
    for (const listener of this.eventListeners) listener(batch.events);
    this.reportAccountedExits();
  }

  /** Hands settled exits to their listeners, and wakes up when the next wait for records ends. */
  private reportAccountedExits(): void {
    const exits = this.accountant.take();
    if (exits.length > 0) for (const listener of this.exitListeners) listener(exits);
    const dueMs = this.accountant.nextDeadlineMs();
    if (dueMs !== null && !this.timers.has('accounting')) {
      this.schedule(
        'accounting',
        () => {
          this.accountant.expire(this.clock.nowMs());
          this.reportAccountedExits();
        },
        Math.max(0, dueMs - this.clock.nowMs()),
      );
    }
  }

  private statContext(): StatContext {
    return {
      nowMs: this.clock.nowMs(),
      bootOffsetMs: this.systemSampler.bootOffsetMs,
      pageBytes: this.options.pageBytes,
      memTotalBytes: this.systemSampler.stats.memTotalBytes,
      userName: (uid) => this.users.nameOf(uid),
    };
  }

  private schedule(name: string, fn: () => void, delayMs: number): void {
    const previous = this.timers.get(name);
    if (previous !== undefined) this.clock.clearTimer(previous);
    if (this.closed) return;
    this.timers.set(
      name,
      this.clock.setTimer(() => {
        this.timers.delete(name);
        if (!this.closed) fn();
      }, delayMs),
    );
  }

  /** Keeps a timer-started pass in `inFlight` until it settles; a rejection stays unhandled, as before. */
  private track(pass: Promise<void>): void {
    const tracked = pass.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** After a periodic pass: the exits it found (a scan, not an event, saw them go) are reported too. */
  private notifyRefresh(): void {
    this.reportAccountedExits();
    for (const listener of this.refreshListeners) listener();
  }

  // ---- periodic work ----
  private tick(): void {
    this.schedule('tick', () => this.tick(), this.refreshMs);
    if (this.busySampling) return; // the previous pass is still running: skip, never pile up
    this.track(this.source === null ? this.pollOnce() : this.sampleOnce());
  }

  /** Netlink mode: stat of each known process (events keep the set of processes current). */
  private async sampleOnce(): Promise<void> {
    this.busySampling = true;
    try {
      if (this.options.sampleProcesses) {
        this.systemSampler.sample(this.table, this.clock.nowMs());
        const outcome = await this.processSampler.sample(() => this.statContext(), true, this.isClosed);
        if (this.isClosed()) return;
        this.counters.missedExits += outcome.missedExits;
        this.counters.missedForks += outcome.missedForks;
      } else {
        await readDetailsSliced(this.table, this.reader, () => this.statContext(), new TimeSlicer(), this.isClosed);
        if (this.isClosed()) return;
      }
      this.table.sweep(this.clock.nowMs());
      this.notifyRefresh();
    } finally {
      this.busySampling = false;
    }
  }

  /** Polling mode: a full scan each interval (skipped while the previous one still runs). */
  private async pollOnce(): Promise<void> {
    if (this.busyScanning) return;
    this.busyScanning = true;
    this.busySampling = true;
    try {
      this.systemSampler.sample(this.table, this.clock.nowMs());
      const found = await scanAndReconcile(
        this.table,
        this.reader,
        () => this.clock.nowMs(),
        () => this.statContext(),
        this.isClosed,
      );
      if (this.isClosed()) return;
      if (found !== null) endMissing(this.table, found.missing, this.clock.nowMs());
      await readDetailsSliced(this.table, this.reader, () => this.statContext(), new TimeSlicer(), this.isClosed);
      if (this.isClosed()) return;
      this.table.sweep(this.clock.nowMs());
      this.notifyRefresh();
    } finally {
      this.busyScanning = false;
      this.busySampling = false;
    }
  }

  private rollRates(): void {
    this.schedule('rates', () => this.rollRates(), 1000);
    this.rates.roll(this.clock.nowMs());
  }

  /** Loss reported: coalesce bursts, then rescan. */
  private requestResync(): void {
    if (this.busyScanning) {
      this.resyncWanted = true;
      return;
    }
    if (!this.timers.has('resync'))
      this.schedule('resync', () => this.track(this.resync()), this.options.resyncDebounceMs);
  }

  private async resync(): Promise<void> {
    this.busyScanning = true;
    this.resyncWanted = false;
    let found = null;
    try {
      found = await scanAndReconcile(
        this.table,
        this.reader,
        () => this.clock.nowMs(),
        () => this.statContext(),
        this.isClosed,
      );
    } finally {
      if (found === null || this.isClosed()) this.busyScanning = false;
    }
    if (found === null || this.isClosed()) return;
    const result = found;
    this.schedule(
      'confirm',
      () => {
        const missed = confirmMissed(this.table, this.reader, result, this.clock.nowMs());
        this.counters.missedForks += missed.missedForks;
        this.counters.missedExits += missed.missedExits;
        this.counters.resyncs++;
        this.counters.lastResyncMs = this.clock.nowMs();
        this.busyScanning = false;
        this.notifyRefresh();
        if (this.resyncWanted) this.requestResync();
      },
      this.options.graceMs,
    );
  }

  /** Every driftCheckMs: one readdir; a difference that survives the grace period triggers a resync. */
  private async checkDrift(): Promise<void> {
    this.schedule('drift', () => this.track(this.checkDrift()), this.options.driftCheckMs);
    if (this.busyScanning) return;
    const drift = await findDrift(this.table, this.reader);
    if (this.isClosed() || drift === null || (drift.unknown.length === 0 && drift.missing.length === 0)) return;
    this.schedule(
      'drift-confirm',
      () => {
        if (!this.busyScanning && driftPersists(this.table, this.reader, drift)) this.requestResync();
      },
      this.options.graceMs,
    );
  }
}
