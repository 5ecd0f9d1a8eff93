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
  /** ac_comm: the task's name at exit ('' in a group record). */
  readonly comm: string;
  /** ac_exitcode: the raw wait status (exit 2 → 512, SIGTERM → 15). */
  readonly exitStatus: number;
  /** cpu_run_virtual_total in ms: exact CPU time (the scheduler's sum_exec_runtime). */
  readonly cpuMs: number;
  /** ac_utime / ac_stime in ms: tick-granular on many kernels, so only meaningful above a few ticks. */
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
export interface ExitAccounting {
  readonly comm: string;
  /** The whole process's CPU: the group record's sum when there was one, else the task's own. */
  readonly cpuMs: number;
  /** The leader's own user and system time (the group record has none): tick-granular, see TaskRecord. */
  readonly userMs: number;
  readonly systemMs: number;
  readonly peakRssKiB: number;
  /** The leader's own I/O, faults and context switches (the group record carries no sums of them). */
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
}

/**
 * Combines the leader's task record with the group record (when the group had several threads): the
 * kernel fills only CPU and delay sums in the group record, so everything but CPU is the leader's.
 */
export function accountingOf(task: TaskRecord, group: TaskRecord | null): ExitAccounting {
  return {
    comm: task.comm,
    cpuMs: group?.cpuMs ?? task.cpuMs,
    userMs: task.userMs,
    systemMs: task.systemMs,
    peakRssKiB: task.peakRssKiB,
    readBytes: task.readBytes,
    writeBytes: task.writeBytes,
    minorFaults: task.minorFaults,
    majorFaults: task.majorFaults,
    voluntarySwitches: task.voluntarySwitches,
    involuntarySwitches: task.involuntarySwitches,
  };
}
