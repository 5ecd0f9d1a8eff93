// One connector event → one human-readable line for `cntop events`, forkstat-style: time, event, pid,
// parent, then what happened, in the words the viewer's event log uses too (core/describe). Everything
// from a process is sanitized here.
import { describeEvent } from '../core/describe/event-description.js';
import { formatClock, formatDuration } from '../core/describe/duration.js';
import type { ExitAccounting } from '../core/accounting/task-record.js';
import { sanitizeForTerminal } from '../core/text/sanitize.js';
import type { ProcEvent } from '../core/types.js';
import type { EventContext } from './event-context.js';

export const EVENT_HEADER = `${'TIME'.padEnd(12)} ${'EVENT'.padEnd(8)} ${'PID'.padStart(7)} ${'PPID'.padStart(7)}  INFO`;

/** "17:45:01.123 exit       1234    1000  exit 3 after 2.41ms  sh -c exit 3" */
export function formatEventLine(
  event: ProcEvent,
  context: EventContext,
  accounting: ExitAccounting | null = null,
): string {
  const time = formatClock(event.timeMs + context.wallOffsetMs);
  const subject = context.lookup(event.kind === 'fork' ? event.parentTgid : event.tgid);
  const { label, detail } = describeEvent(event, subject, formatDuration, accounting);
  return `${time} ${label.padEnd(8)} ${String(event.pid).padStart(7)} ${parentOf(event, context).padStart(7)}  ${sanitizeForTerminal(detail)}`;
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
