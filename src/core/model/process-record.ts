// The mutable row the model keeps per process. The engine hands these out as read-only ProcessInfo;
// the extra fields below are bookkeeping the UI never needs.
import type { ExitStatus, Pid, ProcessInfo } from '../types.js';

/** How far apart two start times may be and still name the same process: /proc's starttime has
 *  10 ms ticks and /proc/uptime 10 ms steps, event times are exact. Pids are handed out cyclically,
 *  so the same pid cannot be reused within this window. */
export const SAME_START_TOLERANCE_MS = 50;

export const UNKNOWN_EXIT: ExitStatus = Object.freeze({ code: null, signal: null, coreDumped: false });

export class ProcessRecord implements ProcessInfo {
  ppid: Pid = 0;
  uid = -1;
  user = '?';
  state = 'R';
  comm = '';
  cmdline: readonly string[] | null = null;
  threads = 1;
  isKernelThread = false;
  priority = 20;
  nice = 0;
  virtBytes = 0;
  rssBytes = 0;
  cpuPercent = 0;
  memPercent = 0;
  cpuTimeMs = 0;
  exitMs: number | null = null;
  exitStatus: ExitStatus | null = null;

  /** starttime from /proc/<pid>/stat once read; identifies this incarnation of the pid. */
  startTicks: number | null = null;
  /** False when startMs is a guess (the process was first seen by its exec or exit). */
  startKnown = true;
  /** An exec event was applied: comm/cmdline are its program's, never the parent's copy. */
  execSeen = false;
  /** It had more than one task at some point: when the group dies the kernel's taskstats sends a
   *  group record with the CPU of all its threads, which the exit's accounting waits for. */
  hadThreads = false;
  /** A fork event announced it (as opposed to only a scan or an exec). */
  forkSeen = false;
  /** Set when the thread-group leader exited while other threads still ran: the process ends
   *  with this status when its last task goes. */
  leaderExit: { readonly status: ExitStatus; readonly timeMs: number } | null = null;
  /** CPU time and monotonic time at the previous sample, for CPU%. */
  sampleCpuMs = 0;
  sampleMs: number;

  constructor(
    readonly pid: Pid,
    public startMs: number,
    readonly seenMs: number,
  ) {
    this.sampleMs = startMs;
  }

  get alive(): boolean {
    return this.exitMs === null;
  }

  /** True when a start time (monotonic ms) names this same incarnation of the pid. */
  sameStart(startMs: number): boolean {
    return Math.abs(this.startMs - startMs) <= SAME_START_TOLERANCE_MS;
  }
}
