// One connector event → one human-readable line for `cntop events`, forkstat-style:
// time, event, pid, parent, then what happened. Everything from a process is sanitized here.
import { decodeWaitStatus, describeExitStatus } from '../core/exit-status.js';
import { formatCommandLine, sanitizeForTerminal } from '../core/text/sanitize.js';
import { assertNever, type Pid, type ProcEvent } from '../core/types.js';
import { isThreadEvent, lifetimeMs, type EventContext, type ProcessFacts } from './event-context.js';

export const EVENT_HEADER = `${'TIME'.padEnd(12)} ${'EVENT'.padEnd(8)} ${'PID'.padStart(7)} ${'PPID'.padStart(7)}  INFO`;

/** "17:45:01.123 exit       1234    1000  exit 3 after 2.41ms  sh -c exit 3" */
export function formatEventLine(event: ProcEvent, context: EventContext): string {
  const time = formatClock(event.timeMs + context.wallOffsetMs);
  const parent = parentOf(event, context);
  const info = describeEvent(event, context);
  const thread = isThreadEvent(event) ? `[thread of ${event.tgid}] ` : '';
  return `${time} ${event.kind.padEnd(8)} ${String(event.pid).padStart(7)} ${parent.padStart(7)}  ${thread}${info}`;
}

function parentOf(event: ProcEvent, context: EventContext): string {
  switch (event.kind) {
    case 'fork':
    case 'exit':
    case 'coredump':
      return String(event.parentTgid);
    default: {
      const ppid = context.lookup(event.tgid)?.ppid;
      return ppid === undefined ? '-' : String(ppid);
    }
  }
}

function describeEvent(event: ProcEvent, context: EventContext): string {
  switch (event.kind) {
    case 'fork':
      return `child of ${commandOf(context.lookup(event.parentTgid), event.parentTgid)}`;
    case 'exec':
      return describeExec(event.cmdline, event.comm);
    case 'exit': {
      const facts = context.lookup(event.tgid);
      const lifetime = lifetimeMs(facts, event.timeMs);
      const lived = lifetime === null ? '' : ` after ${formatDuration(lifetime)}`;
      return `${describeExitStatus(decodeWaitStatus(event.exitCode))}${lived}  ${commandOf(facts, event.tgid)}`;
    }
    case 'comm':
      return `renamed to ${sanitizeForTerminal(event.comm)}`;
    case 'uid':
      return `uid ${event.ruid} euid ${event.euid}`;
    case 'gid':
      return `gid ${event.rgid} egid ${event.egid}`;
    case 'sid':
      return `new session ${event.tgid}  ${commandOf(context.lookup(event.tgid), event.tgid)}`;
    case 'ptrace':
      return event.tracerPid === 0 ? 'ptrace detached' : `traced by ${event.tracerTgid}`;
    case 'coredump':
      return `dumping core  ${commandOf(context.lookup(event.tgid), event.tgid)}`;
    default:
      return assertNever(event);
  }
}

function describeExec(cmdline: readonly string[] | null, comm: string | null): string {
  if (cmdline !== null && cmdline.length > 0) return formatCommandLine(cmdline);
  if (comm !== null) return `[${sanitizeForTerminal(comm)}] (gone before its command line was read)`;
  return '(gone before its command line was read)';
}

/** The command line when known, else [comm], else the pid in brackets. */
function commandOf(facts: ProcessFacts | null, pid: Pid): string {
  if (facts === null) return `[pid ${pid}]`;
  if (facts.cmdline !== null && facts.cmdline.length > 0) return formatCommandLine(facts.cmdline);
  return `[${sanitizeForTerminal(facts.comm)}]`;
}

// A Date and four paddings per event were a visible cost in a storm; events come in time order, so
// the text of the current second is kept and only the milliseconds are appended (local time zone
// offsets are whole seconds, so a second never straddles two of them).
let clockSecond = Number.NaN;
let clockPrefix = '';
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** Local wall-clock time of day with milliseconds: "17:45:01.123". */
export function formatClock(wallMs: number): string {
  const whole = Math.trunc(wallMs); // as Date does with a fractional time
  const second = Math.floor(whole / 1000);
  if (second !== clockSecond) {
    const d = new Date(second * 1000);
    const two = (n: number): string => String(n).padStart(2, '0');
    clockPrefix = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.`;
    clockSecond = second;
  }
  return `${clockPrefix}${MILLIS[whole - second * 1000] ?? 'NaN'}`;
}

/** "0.42ms", "3.21ms", "812ms", "1.234s", "2m03s", "5h07m". */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
}
