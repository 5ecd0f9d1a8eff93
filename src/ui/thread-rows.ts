// htop's H: every userland thread as a row of its own, under its process in the tree. The engine keeps
// processes, not threads (a thread's events only count on its process), so the rows come from
// /proc/<pid>/task/*/stat, read on the sampling interval and only while H is on: at 10,000 processes
// the work is proportional to the threads of multi-threaded processes, not to the list.
import type { EngineView } from '../core/engine-api.js';
import type { ProcStat } from '../core/proc/parse-stat.js';
import { TICKS_PER_SECOND } from '../core/proc/parse-stat.js';
import type { Pid, ProcessInfo } from '../core/types.js';

/** The stat lines of a process's tasks (its own included, which is skipped), or null when it is gone. */
export type TaskStatReader = (tgid: Pid) => readonly ProcStat[] | null;

const MS_PER_TICK = 1000 / TICKS_PER_SECOND;

export class ThreadRows {
  private rows = new Map<Pid, ProcessInfo>();
  private ticks = new Map<Pid, { ticks: number; atMs: number }>();
  private mergedFor: {
    processes: ReadonlyMap<Pid, ProcessInfo>;
    generation: number;
    version: number;
    map: Map<Pid, ProcessInfo>;
  } | null = null;
  /** Bumped by each sample: the list must be ordered again. */
  version = 0;

  isThread(pid: Pid): boolean {
    return this.rows.has(pid);
  }

  /**
   * Reads the threads of every living multi-threaded process. CPU% is the thread's utime + stime over
   * the time since its previous sample (0 on its first), as for processes.
   */
  sample(processes: ReadonlyMap<Pid, ProcessInfo>, read: TaskStatReader, nowMs: number, bootOffsetMs: number): void {
    const rows = new Map<Pid, ProcessInfo>();
    const ticks = new Map<Pid, { ticks: number; atMs: number }>();
    for (const p of processes.values()) {
      if (p.threads <= 1 || p.exitMs !== null || p.isKernelThread) continue;
      const stats = read(p.pid);
      if (stats === null) continue;
      for (const s of stats) {
        if (s.pid === p.pid) continue;
        const used = s.utimeTicks + s.stimeTicks;
        const before = this.ticks.get(s.pid);
        const spanMs = before === undefined ? 0 : nowMs - before.atMs;
        const cpuPercent =
          spanMs > 0 && before !== undefined ? Math.max(0, ((used - before.ticks) * MS_PER_TICK * 100) / spanMs) : 0;
        ticks.set(s.pid, { ticks: used, atMs: nowMs });
        const startMs = s.startTicks * MS_PER_TICK - bootOffsetMs;
        rows.set(s.pid, {
          pid: s.pid,
          ppid: p.pid,
          uid: p.uid,
          user: p.user,
          state: s.state,
          comm: s.comm,
          // As htop by default: a thread shows its process's command line (so the filter and search treat
          // it as its process), in its own colour; its own name is its comm (details, the COMM sort).
          cmdline: p.cmdline,
          threads: 1,
          isKernelThread: false,
          priority: s.priority,
          nice: s.nice,
          // Threads share their process's memory: htop shows the process's figures on each.
          virtBytes: p.virtBytes,
          rssBytes: p.rssBytes,
          memPercent: p.memPercent,
          cpuPercent,
          cpuTimeMs: used * MS_PER_TICK,
          startMs,
          seenMs: this.rows.get(s.pid)?.seenMs ?? startMs,
          exitMs: null,
          exitStatus: null,
        });
      }
    }
    this.rows = rows;
    this.ticks = ticks;
    this.version++;
  }

  clear(): void {
    this.rows = new Map();
    this.ticks = new Map();
    this.mergedFor = null;
    this.version++;
  }

  /** The engine's processes and the thread rows in one map, rebuilt only when either changed. */
  merged(processes: ReadonlyMap<Pid, ProcessInfo>, generation: number): ReadonlyMap<Pid, ProcessInfo> {
    const m = this.mergedFor;
    if (m !== null && m.processes === processes && m.generation === generation && m.version === this.version)
      return m.map;
    const map = new Map(processes);
    // A thread whose process has gone since the sample is not listed.
    for (const [tid, row] of this.rows)
      if (processes.get(row.ppid)?.exitMs === null && !map.has(tid)) map.set(tid, row);
    this.mergedFor = { processes, generation, version: this.version, map };
    return map;
  }
}

/** The engine's view with another process map (the one with thread rows); everything else is the engine's. */
export function withProcesses(engine: EngineView, processes: ReadonlyMap<Pid, ProcessInfo>): EngineView {
  return {
    processes,
    childrenOf: (pid) => engine.childrenOf(pid),
    get exited() {
      return engine.exited;
    },
    lastExit: (pid) => engine.lastExit(pid),
    get system() {
      return engine.system;
    },
    get status() {
      return engine.status;
    },
    onEvents: (listener) => engine.onEvents(listener),
    onRefresh: (listener) => engine.onRefresh(listener),
    onAccountedExits: (listener) => engine.onAccountedExits(listener),
    exitsByCommand: () => engine.exitsByCommand(),
    exitTotals: (spanMs) => engine.exitTotals(spanMs),
    exitsBySubtree: () => engine.exitsBySubtree(),
  };
}
