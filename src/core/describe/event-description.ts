// One event → the words cntop uses for it, shared by `cntop events` (text lines) and the viewer's event
// log, so both say the same thing about the same event. Plain text, not yet safe for a terminal: each
// renderer sanitizes (a process chooses its own name and arguments).
import { decodeWaitStatus, describeExitStatus } from '../exit-status.js';
import type { ExitAccounting } from '../accounting/task-record.js';
import { assertNever, type ProcEvent } from '../types.js';

/**
 * What is known about the process an event is about, from the model: the event's process (tgid), except
 * for a fork, whose subject is the process that forked (its parentTgid; a new child is still a copy of it).
 */
export interface EventSubject {
  readonly comm: string | null;
  readonly cmdline: readonly string[] | null;
  /** Monotonic ms of its start, or null when unknown. */
  readonly startMs: number | null;
}

/** How an event reads at a glance: renderers map it to a colour. */
export type EventTone = 'birth' | 'change' | 'end' | 'failure' | 'thread' | 'notice';

export interface EventDescription {
  /** Short name of what happened: fork, clone, exec, exit, thr-exit, comm, uid, gid, sid, ptrace, coredump. */
  readonly label: string;
  readonly tone: EventTone;
  /** The rest of the line: what happened and to which command. */
  readonly detail: string;
}

/** The command line when known, else [comm], else a placeholder. */
export function commandText(subject: EventSubject | null): string {
  if (subject === null) return '[unknown]';
  const args = subject.cmdline;
  if (args !== null && args.length > 0 && args.join('').trim() !== '') return args.join(' ');
  return subject.comm !== null && subject.comm !== '' ? `[${subject.comm}]` : '[unknown]';
}

/** A task is a thread (not a process) when its task id differs from its thread-group id. */
export const isThread = (event: { readonly pid: number; readonly tgid: number }): boolean => event.pid !== event.tgid;

/** "cpu 4.21ms  peak 1.5MiB": what an exit cost, when its taskstats record came. */
export function describeCost(accounting: ExitAccounting, formatDuration: (ms: number) => string): string {
  const kib = accounting.peakRssKiB;
  const peak =
    kib >= 1024 * 1024
      ? `${(kib / 1024 / 1024).toFixed(1)}GiB`
      : kib >= 1024
        ? `${(kib / 1024).toFixed(1)}MiB`
        : `${kib}KiB`;
  return `cpu ${formatDuration(accounting.cpuMs)}  peak ${peak}`;
}

/**
 * accounting: the exit's taskstats figures, when known (an exit's detail then says what it cost, and its
 * name comes from the kernel's record when the model had none).
 */
export function describeEvent(
  event: ProcEvent,
  subject: EventSubject | null,
  formatLifetime: (ms: number) => string,
  accounting: ExitAccounting | null = null,
): EventDescription {
  const name = commandText(subject);
  switch (event.kind) {
    case 'fork':
      return isThread(event)
        ? { label: 'clone', tone: 'thread', detail: `thread of ${event.tgid}  ${name}` }
        : { label: 'fork', tone: 'birth', detail: `child of ${name}` };
    case 'exec':
      if (event.cmdline !== null && event.cmdline.length > 0)
        return { label: 'exec', tone: 'change', detail: event.cmdline.join(' ') };
      return {
        label: 'exec',
        tone: 'change',
        detail: `${event.comm !== null ? `[${event.comm}] ` : ''}(gone before its command line was read)`,
      };
    case 'exit': {
      const status = decodeWaitStatus(event.exitCode);
      const cost = accounting === null ? '' : `  ${describeCost(accounting, formatLifetime)}`;
      const named =
        accounting !== null && accounting.comm !== '' && (subject === null || commandText(subject) === '[unknown]')
          ? `[${accounting.comm}]`
          : name;
      const lifetime = subject?.startMs === null || subject === null ? null : event.timeMs - subject.startMs;
      // A start later than the exit means pid reuse or a clock mismatch: better no figure than a wrong one.
      const lived = lifetime === null || lifetime < 0 ? '' : ` after ${formatLifetime(lifetime)}`;
      const failed = status.signal !== null || status.code !== 0;
      return {
        label: isThread(event) ? 'thr-exit' : 'exit',
        tone: isThread(event) ? 'thread' : failed ? 'failure' : 'end',
        detail: `${describeExitStatus(status)}${lived}${cost}  ${named}`,
      };
    }
    case 'comm':
      return { label: 'comm', tone: 'notice', detail: `renamed to ${event.comm}` };
    case 'uid':
      return { label: 'uid', tone: 'notice', detail: `uid ${event.ruid} euid ${event.euid}  ${name}` };
    case 'gid':
      return { label: 'gid', tone: 'notice', detail: `gid ${event.rgid} egid ${event.egid}  ${name}` };
    case 'sid':
      return { label: 'sid', tone: 'notice', detail: `new session ${event.tgid}  ${name}` };
    case 'ptrace':
      // The kernel zeroes both tracer fields on detach; tracerPid is the one documented as such.
      return {
        label: 'ptrace',
        tone: 'failure',
        detail: event.tracerPid === 0 ? `detached  ${name}` : `traced by ${event.tracerTgid}  ${name}`,
      };
    case 'coredump':
      // Sent when a fatal signal starts a core dump; the dump may still not be written (ulimit -c 0,
      // core_pattern): the exit that follows says whether it was ("(core dumped)").
      return { label: 'coredump', tone: 'failure', detail: `core dump started  ${name}` };
    default:
      return assertNever(event);
  }
}
