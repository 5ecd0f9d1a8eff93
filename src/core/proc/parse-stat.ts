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
 * whole line on spaces. The numbers are read in place, without substrings: this runs once per
 * process per refresh (10,000 times a second at 10,000 processes).
 */
export function parseStat(text: string): Result<ProcStat, ParseError> {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open || text.charCodeAt(close + 1) !== 32) {
    return err({ kind: 'malformed', detail: 'no (comm) in stat' });
  }
  const pid = Number(text.slice(0, open - 1));
  const stateAt = close + 2;
  const stateEnd = text.indexOf(' ', stateAt);
  if (!Number.isInteger(pid) || stateEnd < 0) return err({ kind: 'malformed', detail: 'truncated stat' });
  const fields = readNumbers(text, stateEnd + 1, RSS);
  if (fields === null) return err({ kind: 'malformed', detail: 'truncated or non-numeric stat fields' });
  return ok({
    pid,
    comm: text.slice(open + 1, close),
    state: text.slice(stateAt, stateEnd),
    ppid: fields[PPID] as number,
    flags: fields[FLAGS] as number,
    utimeTicks: fields[UTIME] as number,
    stimeTicks: fields[STIME] as number,
    priority: fields[PRIORITY] as number,
    nice: fields[NICE] as number,
    numThreads: fields[NUM_THREADS] as number,
    startTicks: fields[START_TIME] as number,
    vsizeBytes: fields[VSIZE] as number,
    rssPages: fields[RSS] as number,
  });
}

const scratch = new Float64Array(RSS + 1);

/** Reads space-separated integers from `from` into scratch[1..last]; null if any is missing or bad. */
function readNumbers(text: string, from: number, last: number): Float64Array | null {
  let i = from;
  for (let field = 1; field <= last; field++) {
    let negative = false;
    if (text.charCodeAt(i) === 45) {
      negative = true;
      i++;
    }
    let value = 0;
    const start = i;
    for (let code = text.charCodeAt(i); code >= 48 && code <= 57; code = text.charCodeAt(++i))
      value = value * 10 + (code - 48);
    const next = text.charCodeAt(i);
    if (i === start || (next !== 32 && !(field === last && (Number.isNaN(next) || next === 10)))) return null;
    scratch[field] = negative ? -value : value;
    i++;
  }
  return scratch;
}

/** True for kernel threads: PF_KTHREAD set, or kthreadd itself and its children. */
export function isKernelThreadStat(stat: Pick<ProcStat, 'pid' | 'ppid' | 'flags'>): boolean {
  return (stat.flags & PF_KTHREAD) !== 0 || stat.pid === 2 || stat.ppid === 2;
}
