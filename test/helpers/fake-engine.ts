// A fake EngineControl for UI tests and the UI dev script: an in-memory process table that tests
// drive with fork/exec/exit and that notifies listeners the way the real engine does. Pure logic only.
// Pids start above the kernel's pid_max ceiling (2^22) so that a signal sent from a test can never
// reach a real process: kill(2) answers ESRCH.
import type { CommandTotals, ExitTotals } from '../../src/core/accounting/exit-window.js';
import { ACCOUNTING_NOT_ASKED, type ConnectorStats } from '../../src/core/event-source.js';
import type { EngineControl, EngineStatus } from '../../src/core/engine-api.js';
import type {
  ExitedProcess,
  ExitStatus,
  Pid,
  ProcEvent,
  ProcEventKind,
  ProcessInfo,
  SystemStats,
} from '../../src/core/types.js';
import { PROC_EVENT_KINDS } from '../../src/core/types.js';

export const FAKE_PID_BASE = 4_200_000;

export function monotonicNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function zeroRates(): Record<ProcEventKind, number> {
  return Object.fromEntries(PROC_EVENT_KINDS.map((k) => [k, 0])) as Record<ProcEventKind, number>;
}

export function fakeProcess(fields: Partial<ProcessInfo> & { pid: Pid }): ProcessInfo {
  const now = monotonicNowMs();
  return {
    ppid: 0,
    uid: 0,
    user: 'root',
    state: 'S',
    comm: `proc${fields.pid}`,
    cmdline: null,
    threads: 1,
    isKernelThread: false,
    priority: 20,
    nice: 0,
    virtBytes: 10 * 1024 * 1024,
    rssBytes: 2 * 1024 * 1024,
    cpuPercent: 0,
    memPercent: 0.1,
    cpuTimeMs: 0,
    startMs: now - 60_000,
    seenMs: now - 60_000,
    exitMs: null,
    exitStatus: null,
    ...fields,
  };
}

export class FakeEngine implements EngineControl {
  readonly processes = new Map<Pid, ProcessInfo>();
  readonly exited: ExitedProcess[] = [];
  lastExit(pid: Pid): ExitedProcess | undefined {
    // No findLast: the e2e fixtures that import this compile for ES2022.
    for (let i = this.exited.length - 1; i >= 0; i--) if (this.exited[i]?.pid === pid) return this.exited[i];
    return undefined;
  }
  system: SystemStats = {
    cpuPercentPerCore: [12.5, 40],
    cpuPercentTotal: 26.25,
    memTotalBytes: 8 * 2 ** 30,
    memUsedBytes: 3 * 2 ** 30,
    memCacheBytes: 2 ** 30,
    swapTotalBytes: 2 * 2 ** 30,
    swapUsedBytes: 2 ** 28,
    loadAverage: [0.52, 0.31, 0.2],
    uptimeMs: 3 * 86_400_000 + 3_723_000,
    tasks: { total: 0, running: 1, threads: 0, kernelThreads: 0 },
  };
  status: EngineStatus;
  refreshMs = 1000;
  closed = false;
  private readonly eventListeners = new Set<(events: readonly ProcEvent[]) => void>();
  private readonly refreshListeners = new Set<() => void>();
  private readonly totals = zeroRates();

  constructor() {
    this.status = {
      mode: 'netlink',
      pollingReason: null,
      start: { ack: { err: 0, latencyMs: 0.42 }, rcvbufBytes: 4 * 2 ** 20, rcvbufForced: true, droppedKinds: [] },
      connector: this.connectorStats(null),
      resyncs: 0,
      lastResyncMs: null,
      missedForks: 0,
      missedExits: 0,
      eventRates: zeroRates(),
      startedMs: monotonicNowMs(),
      accounting: ACCOUNTING_NOT_ASKED,
    };
  }

  childrenOf(pid: Pid): readonly Pid[] {
    return [...this.processes.values()].filter((p) => p.ppid === pid && p.pid !== pid).map((p) => p.pid);
  }

  onEvents(listener: (events: readonly ProcEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onRefresh(listener: () => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }

  setRefreshMs(refreshMs: number): void {
    this.refreshMs = refreshMs;
  }

  close(): void {
    this.closed = true;
  }

  onAccountedExits(): () => void {
    return () => undefined; // the fake settles no accounting
  }

  exitsByCommand(): readonly CommandTotals[] {
    return [];
  }

  exitsBySubtree(): ReadonlyMap<Pid, ExitTotals> {
    return new Map();
  }

  exitTotals(): ExitTotals {
    return { count: 0, failures: 0, cpuMs: 0, withoutCpu: 0, peakRssKiB: 0 };
  }

  /** The fake runs no passes: it is always idle. */
  idle(): Promise<void> {
    return Promise.resolve();
  }

  add(fields: Partial<ProcessInfo> & { pid: Pid }): ProcessInfo {
    const p = fakeProcess(fields);
    this.processes.set(p.pid, p);
    return p;
  }

  /** A new process forked from `parent`, announced with a fork event (and exec when a command is given). */
  fork(parent: Pid, pid: Pid, comm: string, cmdline: readonly string[] | null = null): void {
    const now = monotonicNowMs();
    const parentInfo = this.processes.get(parent);
    this.add({
      pid,
      ppid: parent,
      comm,
      cmdline,
      user: parentInfo?.user ?? 'root',
      uid: parentInfo?.uid ?? 0,
      startMs: now,
      seenMs: now,
    });
    const header = { pid, tgid: pid, cpu: 0, timeMs: now };
    const events: ProcEvent[] = [{ ...header, kind: 'fork', parentPid: parent, parentTgid: parent }];
    if (cmdline !== null) events.push({ ...header, kind: 'exec', comm, cmdline });
    this.emit(events);
  }

  /** The process exits: it lingers as a tombstone and enters the exited ring. */
  exit(pid: Pid, status: ExitStatus, rawStatus = 0): void {
    const p = this.processes.get(pid);
    if (p === undefined) return;
    const now = monotonicNowMs();
    this.processes.set(pid, { ...p, state: 'X', exitMs: now, exitStatus: status });
    this.exited.push({
      pid,
      ppid: p.ppid,
      comm: p.comm,
      cmdline: p.cmdline,
      user: p.user,
      status,
      startMs: p.startMs,
      exitMs: now,
      lifetimeMs: now - p.startMs,
      accounting: null,
    });
    this.emit([
      {
        pid,
        tgid: pid,
        cpu: 0,
        timeMs: now,
        kind: 'exit',
        exitCode: rawStatus,
        exitSignal: 17,
        parentPid: p.ppid,
        parentTgid: p.ppid,
      },
    ]);
  }

  /** Drops tombstones, as the real engine does after its linger delay. */
  sweep(): void {
    for (const [pid, p] of this.processes) if (p.exitMs !== null) this.processes.delete(pid);
    this.refresh();
  }

  emit(events: readonly ProcEvent[]): void {
    for (const e of events) this.totals[e.kind] += 1;
    const last = events[events.length - 1];
    // A batch with no events keeps the last event's time.
    const lastEventMs = last?.timeMs ?? this.status.connector?.lastEventMs ?? null;
    this.status = { ...this.status, connector: this.connectorStats(lastEventMs) };
    for (const listener of this.eventListeners) listener(events);
  }

  /** A sampling tick: the meters and CPU% changed. */
  refresh(changes: Partial<EngineStatus> = {}): void {
    const total = this.processes.size;
    this.system = { ...this.system, tasks: { ...this.system.tasks, total } };
    this.status = { ...this.status, ...changes };
    for (const listener of this.refreshListeners) listener();
  }

  private connectorStats(lastEventMs: number | null): ConnectorStats {
    return {
      eventsByKind: { ...this.totals },
      batches: 0,
      overruns: 0,
      seqGapMessages: 0,
      malformed: 0,
      foreign: 0,
      acksSeen: 1,
      rcvbufBytes: 4 * 2 ** 20,
      lastEventMs,
      listenSent: true,
      ignoreSent: false,
    };
  }
}

/**
 * A plausible machine: init, kthreadd with kernel threads, a few daemons with children, and filler
 * processes until `count` in all, in a tree about 4 levels deep.
 */
export function populate(engine: FakeEngine, count: number): void {
  const base = FAKE_PID_BASE;
  engine.add({ pid: base + 1, comm: 'systemd', cmdline: ['/sbin/init'], cpuTimeMs: 12_340 });
  engine.add({ pid: base + 2, comm: 'kthreadd', isKernelThread: true });
  for (let i = 0; i < 5; i++)
    engine.add({ pid: base + 3 + i, ppid: base + 2, comm: `kworker/${i}:0`, isKernelThread: true });
  engine.add({ pid: base + 10, ppid: base + 1, comm: 'sshd', cmdline: ['sshd: /usr/sbin/sshd -D'] });
  engine.add({ pid: base + 11, ppid: base + 10, comm: 'bash', cmdline: ['-bash'], user: 'alice', uid: 1000 });
  engine.add({
    pid: base + 12,
    ppid: base + 11,
    comm: 'vim',
    cmdline: ['vim', 'notes.txt'],
    user: 'alice',
    uid: 1000,
    cpuPercent: 3.5,
    memPercent: 1.2,
  });
  engine.add({ pid: base + 13, ppid: base + 1, comm: 'cron', cmdline: ['/usr/sbin/cron', '-f'], cpuPercent: 0.5 });
  engine.add({
    pid: base + 14,
    ppid: base + 1,
    comm: 'postgres',
    cmdline: ['postgres', '-D', '/var/lib/pg'],
    user: 'postgres',
    uid: 110,
    cpuPercent: 7.25,
    memPercent: 4.5,
    rssBytes: 300 * 2 ** 20,
  });
  for (let i = 0; i < 3; i++)
    engine.add({
      pid: base + 15 + i,
      ppid: base + 14,
      comm: 'postgres',
      cmdline: ['postgres: worker', String(i)],
      user: 'postgres',
      uid: 110,
      cpuPercent: i,
    });
  let pid = base + 100;
  while (engine.processes.size < count) {
    const parents = [base + 1, base + 14, base + 11, pid - 7, pid - 50];
    const parent = parents[pid % parents.length] ?? base + 1;
    const ppid = engine.processes.has(parent) ? parent : base + 1;
    engine.add({
      pid,
      ppid,
      comm: `worker-${pid - base}`,
      cmdline: ['/usr/bin/worker', `--id=${pid - base}`],
      cpuPercent: (pid % 97) / 10,
      memPercent: (pid % 13) / 10,
      cpuTimeMs: (pid % 1000) * 37,
    });
    pid++;
  }
  engine.refresh();
}
