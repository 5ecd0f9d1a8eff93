// What the kernel's taskstats family reports when a task exits (one record per task, plus one per
// multi-threaded thread group when the group dies), in core's own terms. The addon decodes the
// genetlink message; native/ maps it to this shape. See ../shared/TASKSTATS.md for the fields.
import type { Pid } from '../types.js';

export interface TaskRecord {
  /**
   * 'task': a TASKSTATS_TYPE_AGGR_PID record, sent for every exiting task (thread); it carries the name,
   * exit status and peak memory. 'group': a TASKSTATS_TYPE_AGGR_TGID record, sent only when a thread
   * group of more than one thread dies; only its CPU and delay sums are filled (the rest is 0).
   */
  readonly scope: 'task' | 'group';
  /** The task id for a 'task' record, the thread-group id for a 'group' record. */
  readonly id: Pid;
  /** A task record's thread group (ac_tgid, struct version 12+), null from older kernels. */
  readonly tgid: Pid | null;
  /** ac_comm: the task's name at exit ('' in a group record). */
  readonly comm: string;
  /** ac_exitcode: the raw wait status (exit 2 → 512, SIGTERM → 15). */
  readonly exitStatus: number;
  /**
   * cpu_run_virtual_total in ms: the scheduler's sum_exec_runtime when the record was built. Precise
   * up to the task's last accounting point (a tick, a context switch, a read of its own CPU clock), but
   * it misses the stretch after that: measured on 6.18 (HZ=250), CPU-bound children of ~3.5 ms summed
   * to 50% of what getrusage(RUSAGE_CHILDREN) reported, ~0.9 ms ones to 19%. A lower bound.
   */
  readonly runMs: number;
  /**
   * ac_utime / ac_stime in ms: whole ticks charged to the task as they struck it. Coarse for one short
   * process, but unbiased: the same children summed to 99% and 92% of getrusage (docs/ACCOUNTING.md).
   */
  readonly userMs: number;
  readonly systemMs: number;
  /** hiwater_rss: peak resident set, KiB (0 in a group record). */
  readonly peakRssKiB: number;
  /** Bytes that reached or came from storage (read_bytes / write_bytes). */
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
}

/** The accounting of one exited process, joined from its records (task record of the leader, group record if any). */
export interface ExitAccounting extends Pick<
  TaskRecord,
  | 'comm'
  | 'peakRssKiB'
  | 'readBytes'
  | 'writeBytes'
  | 'minorFaults'
  | 'majorFaults'
  | 'voluntarySwitches'
  | 'involuntarySwitches'
> {
  /**
   * The process's CPU time: its user + system ticks, which are unbiased, so sums over many exits are
   * right (a lone short process reads 0 or one tick). For a multi-threaded process the group's
   * runtime (the group record carries no ticks; a lower bound), or its tasks' ticks if more.
   */
  readonly cpuMs: number;
  /** User and system time of all its tasks whose records were seen. */
  readonly userMs: number;
  readonly systemMs: number;
  // The rest (name, peak memory, I/O, faults, switches) is the leader's own: the group record carries no sums of them.
}

/**
 * Combines the leader's task record with the group record (when the group had several threads) and the
 * ticks of its other threads' records (threadTicks, when they were seen): the kernel fills only CPU and
 * delay sums in the group record, so name, memory, I/O, faults and switches are the leader's.
 */
export function accountingOf(
  task: TaskRecord,
  group: TaskRecord | null,
  threadTicks: { userMs: number; systemMs: number } | null = null,
): ExitAccounting {
  const userMs = task.userMs + (threadTicks?.userMs ?? 0);
  const systemMs = task.systemMs + (threadTicks?.systemMs ?? 0);
  return {
    comm: task.comm,
    // Ticks, not the runtime: the runtime misses each task's last stretch (a lower bound), while ticks
    // are unbiased. Not the larger of the two either: that biased sums upwards (113-163% of getrusage
    // for children that read their own CPU clock). A group whose threads' records were not all seen
    // still has the group's runtime sum as a floor.
    cpuMs: group === null ? userMs + systemMs : Math.max(group.runMs, userMs + systemMs),
    userMs,
    systemMs,
    peakRssKiB: task.peakRssKiB,
    readBytes: task.readBytes,
    writeBytes: task.writeBytes,
    minorFaults: task.minorFaults,
    majorFaults: task.majorFaults,
    voluntarySwitches: task.voluntarySwitches,
    involuntarySwitches: task.involuntarySwitches,
  };
}
