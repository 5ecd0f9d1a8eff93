// The shared vocabulary of cntop: process events as the kernel reports them, processes as the
// model keeps them, and Result for expected failures. Types only; no behaviour lives here.
import type { ExitAccounting } from './accounting/task-record.js';

export type Pid = number;

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Fields every connector event carries (struct proc_event header plus cn_msg.seq). */
interface EventHeader {
  /** Task id (thread id). For a process's main thread pid === tgid. */
  readonly pid: Pid;
  /** Thread-group id, i.e. the process id as ps shows it. */
  readonly tgid: Pid;
  /** CPU that emitted the event; cn_msg.seq is counted per CPU. */
  readonly cpu: number;
  /** Kernel monotonic clock (CLOCK_MONOTONIC) at the event, in milliseconds with sub-ms fraction. */
  readonly timeMs: number;
}

export interface ForkEvent extends EventHeader {
  readonly kind: 'fork';
  /** The parent task (the one that called fork/clone). */
  readonly parentPid: Pid;
  readonly parentTgid: Pid;
}

export interface ExecEvent extends EventHeader {
  readonly kind: 'exec';
  /** Read from /proc/<pid>/comm on the reader thread right after the event; null if already gone. */
  readonly comm: string | null;
  /** Read from /proc/<pid>/cmdline on the reader thread right after the event; null if already gone. */
  readonly cmdline: readonly string[] | null;
}

export interface ExitEvent extends EventHeader {
  readonly kind: 'exit';
  /** Raw wait status (as waitpid(2) would return it): WIFEXITED/WEXITSTATUS/WTERMSIG/WCOREDUMP. */
  readonly exitCode: number;
  /** Signal sent to the parent at exit (usually SIGCHLD). */
  readonly exitSignal: number;
  readonly parentPid: Pid;
  readonly parentTgid: Pid;
}

export interface CommEvent extends EventHeader {
  readonly kind: 'comm';
  /** The new task name (at most 15 bytes), as set by prctl(PR_SET_NAME) or exec. */
  readonly comm: string;
}

export interface UidEvent extends EventHeader {
  readonly kind: 'uid';
  readonly ruid: number;
  readonly euid: number;
}

export interface GidEvent extends EventHeader {
  readonly kind: 'gid';
  readonly rgid: number;
  readonly egid: number;
}

export interface SidEvent extends EventHeader {
  readonly kind: 'sid';
}

export interface PtraceEvent extends EventHeader {
  readonly kind: 'ptrace';
  /** The tracer; 0 on detach. */
  readonly tracerPid: Pid;
  readonly tracerTgid: Pid;
}

export interface CoredumpEvent extends EventHeader {
  readonly kind: 'coredump';
  readonly parentPid: Pid;
  readonly parentTgid: Pid;
}

export type ProcEvent =
  ForkEvent | ExecEvent | ExitEvent | CommEvent | UidEvent | GidEvent | SidEvent | PtraceEvent | CoredumpEvent;

export type ProcEventKind = ProcEvent['kind'];

export const PROC_EVENT_KINDS: readonly ProcEventKind[] = [
  'fork',
  'exec',
  'exit',
  'comm',
  'uid',
  'gid',
  'sid',
  'ptrace',
  'coredump',
];

/** Decoded wait status of an exited process. */
export interface ExitStatus {
  /** exit(2) code, or null when killed by a signal. */
  readonly code: number | null;
  /** Signal number that killed it, or null. */
  readonly signal: number | null;
  readonly coreDumped: boolean;
}

/** For exhaustive switches: a new union member becomes a compile error. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** One process (thread group) as the model keeps it. Times are monotonic milliseconds (CLOCK_MONOTONIC). */
export interface ProcessInfo {
  readonly pid: Pid;
  /** Parent process (tgid of the parent); 0 for init and kthreadd. */
  readonly ppid: Pid;
  /** Real uid; -1 until known. */
  readonly uid: number;
  /** User name for uid, or the uid as text when it has no name. */
  readonly user: string;
  /** One-letter state from /proc/<pid>/stat (R, S, D, Z, T, t, X, I …); 'X' once exited. */
  readonly state: string;
  /** Task name (/proc/<pid>/comm), at most 15 bytes; may contain any byte: sanitize before display. */
  readonly comm: string;
  /** Arguments from /proc/<pid>/cmdline; null when unreadable (kernel thread, gone, zombie). */
  readonly cmdline: readonly string[] | null;
  /** Tasks in the thread group, the main thread included. */
  readonly threads: number;
  readonly isKernelThread: boolean;
  /** Kernel priority and nice value from /proc/<pid>/stat. */
  readonly priority: number;
  readonly nice: number;
  readonly virtBytes: number;
  readonly rssBytes: number;
  /** CPU use over the last sampling interval, 100 = one full core. */
  readonly cpuPercent: number;
  readonly memPercent: number;
  /** utime + stime, in milliseconds. */
  readonly cpuTimeMs: number;
  /** Start time on the monotonic clock (from stat's starttime or the fork event). */
  readonly startMs: number;
  /** When the model first saw it (monotonic ms); drives the "new" highlight. */
  readonly seenMs: number;
  /** Exit time, or null while alive. Exited rows linger as tombstones for a few seconds. */
  readonly exitMs: number | null;
  readonly exitStatus: ExitStatus | null;
}

/** A process that has exited, kept in a bounded ring so that short-lived ones can be read later. */
export interface ExitedProcess {
  readonly pid: Pid;
  readonly ppid: Pid;
  readonly comm: string;
  readonly cmdline: readonly string[] | null;
  readonly user: string;
  readonly status: ExitStatus;
  /** Monotonic ms; startMs is null when the process was born before cntop and its start is unknown. */
  readonly startMs: number | null;
  readonly exitMs: number;
  readonly lifetimeMs: number | null;
  /** From the kernel's taskstats record of its exit (name, exact CPU, peak memory, I/O), or null when none came. */
  readonly accounting: ExitAccounting | null;
}

/** Host-wide figures for the header meters, refreshed on the sampling interval. */
export interface SystemStats {
  /** Busy percentage per core (0-100), over the last interval. */
  readonly cpuPercentPerCore: readonly number[];
  readonly cpuPercentTotal: number;
  readonly memTotalBytes: number;
  readonly memUsedBytes: number;
  readonly memCacheBytes: number;
  readonly swapTotalBytes: number;
  readonly swapUsedBytes: number;
  readonly loadAverage: readonly [number, number, number];
  readonly uptimeMs: number;
  readonly tasks: {
    readonly total: number;
    readonly running: number;
    readonly threads: number;
    readonly kernelThreads: number;
  };
}
