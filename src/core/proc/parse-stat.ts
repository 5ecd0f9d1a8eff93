// Pure parsers for /proc/<pid>/stat (proc_pid_stat(5)). No I/O here.
import { err, ok, type Result } from '../types.js';

/** The fields of /proc/<pid>/stat the engine uses. Times are in clock ticks (USER_HZ). */
export interface ProcStat {
  readonly pid: number;
  /** Field 2, without the parentheses. May contain spaces, parentheses and newlines. */
  readonly comm: string;
  /** Field 3: R, S, D, Z, T, t, X, I … */
  readonly state: string;
  /** Field 4. */
  readonly ppid: number;
  /** Field 9: PF_* flags; PF_KTHREAD marks a kernel thread. */
  readonly flags: number;
  /** Fields 14 and 15: user and system CPU time in ticks. */
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** Fields 18 and 19. */
  readonly priority: number;
  readonly nice: number;
  /** Field 20. */
  readonly numThreads: number;
  /** Field 22: start time in ticks since boot (CLOCK_BOOTTIME). */
  readonly startTicks: number;
  /** Field 23, bytes. */
  readonly vsizeBytes: number;
  /** Field 24, pages. */
  readonly rssPages: number;
}

export interface ParseError {
  readonly kind: 'malformed';
  readonly detail: string;
}

/** PF_KTHREAD from include/linux/sched.h. */
export const PF_KTHREAD = 0x00200000;

/** Clock ticks per second (USER_HZ): 100 on every architecture Linux exposes to /proc readers. */
export const TICKS_PER_SECOND = 100;

// Index of each field in the array of fields that follow "comm) ", i.e. proc(5) field number - 3.
const STATE = 0;
const PPID = 1;
const FLAGS = 6;
const UTIME = 11;
const STIME = 12;
const PRIORITY = 15;
const NICE = 16;
const NUM_THREADS = 17;
const START_TIME = 19;
const VSIZE = 20;
const RSS = 21;

/**
 * Parses /proc/<pid>/stat. comm may contain anything, "(sd-pam)" or "a) b (" included, so it runs from
 * the first '(' to the LAST ')'; the remaining fields never contain parentheses. Never split the
 * whole line on spaces.
 */
export function parseStat(text: string): Result<ProcStat, ParseError> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return err({ kind: 'malformed', detail: 'no (comm) in stat' });
  const pid = Number(text.slice(0, open - 1));
  const fields = text.slice(close + 2).split(' ');
  if (!Number.isInteger(pid) || fields.length <= RSS) {
    return err({ kind: 'malformed', detail: `stat has ${fields.length + 2} fields` });
  }
  const num = (index: number): number => Number(fields[index]);
  const stat: ProcStat = {
    pid,
    comm: text.slice(open + 1, close),
    state: fields[STATE] ?? '?',
    ppid: num(PPID),
    flags: num(FLAGS),
    utimeTicks: num(UTIME),
    stimeTicks: num(STIME),
    priority: num(PRIORITY),
    nice: num(NICE),
    numThreads: num(NUM_THREADS),
    startTicks: num(START_TIME),
    vsizeBytes: num(VSIZE),
    rssPages: num(RSS),
  };
  if (Number.isNaN(stat.ppid) || Number.isNaN(stat.startTicks) || Number.isNaN(stat.rssPages)) {
    return err({ kind: 'malformed', detail: 'non-numeric stat field' });
  }
  return ok(stat);
}

/** True for kernel threads: PF_KTHREAD set, or kthreadd itself and its children. */
export function isKernelThreadStat(stat: Pick<ProcStat, 'pid' | 'ppid' | 'flags'>): boolean {
  return (stat.flags & PF_KTHREAD) !== 0 || stat.pid === 2 || stat.ppid === 2;
}
