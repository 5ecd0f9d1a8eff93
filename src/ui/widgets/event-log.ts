// The bottom panes: a forkstat-style scrolling event log (newest on top) and the list of recently
// exited processes with exit status and lifetime, so that a process that lived 2 ms can be read.
import { commandText, describeEvent, type EventTone } from '../../core/describe/event-description.js';
import { describeExitStatus } from '../../core/exit-status.js';
import type { ExitedProcess } from '../../core/types.js';
import { drawBox, type Canvas, type Rect, type Segment, type StyleName } from '../canvas.js';
import { fitLeft, formatClock, formatDuration, toCellText } from '../format.js';
import type { LoggedEvent } from '../history.js';

export interface PaneContext {
  readonly nowMs: number;
  /** Date.now() at nowMs, to print monotonic event times as wall-clock times. */
  readonly epochNowMs: number;
  readonly ascii: boolean;
  readonly filterText: string;
  readonly showThreads: boolean;
}

/** Draws `events` (already filtered, newest first) in a box. */
export function drawEventLog(
  canvas: Canvas,
  rect: Rect,
  events: readonly LoggedEvent[],
  ctx: PaneContext,
  title = 'Event log',
): void {
  const inner = drawBox(
    canvas,
    rect,
    `${title}${ctx.filterText === '' ? '' : ` (filter: ${toCellText(ctx.filterText, ctx.ascii)})`}`,
    ctx.ascii,
  );
  const lines = events.slice(0, inner.height);
  lines.forEach((e, i) => canvas.writeSegments(inner.x, inner.y + i, eventLine(e, ctx), inner.width));
  if (lines.length === 0) canvas.write(inner.x, inner.y, 'no events yet', 'dim', inner.width);
}

export function drawExitedList(canvas: Canvas, rect: Rect, exited: readonly ExitedProcess[], ctx: PaneContext): void {
  const inner = drawBox(canvas, rect, 'Recently exited (newest first)', ctx.ascii);
  canvas.write(
    inner.x,
    inner.y,
    fitLeft('TIME          PID     STATUS            LIFETIME  USER      COMMAND', inner.width),
    'columnHeader',
    inner.width,
  );
  const rows: ExitedProcess[] = [];
  for (let i = exited.length - 1; i >= 0 && rows.length < inner.height - 1; i--) {
    const e = exited[i] as ExitedProcess;
    if (matches(ctx.filterText, e.pid, e.comm, e.cmdline)) rows.push(e);
  }
  rows.forEach((e, i) => canvas.writeSegments(inner.x, inner.y + 1 + i, exitedLine(e, ctx), inner.width));
}

export function exitedLine(e: ExitedProcess, ctx: PaneContext): Segment[] {
  // Neither code nor signal: the exit was seen by a /proc scan, not by an event (polling, a resync).
  const unknown = e.status.code === null && e.status.signal === null;
  const status = unknown ? 'unknown (no event)' : describeExitStatus(e.status);
  const failed = !unknown && (e.status.signal !== null || e.status.code !== 0);
  return [
    { text: `${formatClock(ctx.epochNowMs - (ctx.nowMs - e.exitMs))} `, style: 'dim' },
    { text: `${String(e.pid).padStart(7)} `, style: 'value' },
    { text: fitLeft(status, 17) + ' ', style: failed ? 'bad' : 'good' },
    { text: `${(e.lifetimeMs === null ? '?' : formatDuration(e.lifetimeMs)).padStart(8)}  `, style: 'value' },
    { text: `${fitLeft(toCellText(e.user, true), 9)} `, style: 'text' },
    {
      text: toCellText(commandText({ comm: e.comm, cmdline: e.cmdline, startMs: e.startMs }), ctx.ascii),
      style: 'text',
    },
  ];
}

export function eventLine(logged: LoggedEvent, ctx: PaneContext): Segment[] {
  const e = logged.event;
  const { label, tone, detail } = describeEvent(e, logged, formatDuration);
  return [
    { text: `${formatClock(ctx.epochNowMs - (ctx.nowMs - e.timeMs))} `, style: 'dim' },
    { text: label.padEnd(9), style: TONE_STYLE[tone] },
    { text: `${String(e.pid).padStart(7)} `, style: 'value' },
    { text: toCellText(detail, ctx.ascii), style: 'text' },
  ];
}

const TONE_STYLE: Readonly<Record<EventTone, StyleName>> = {
  birth: 'good',
  change: 'label',
  end: 'dim',
  failure: 'bad',
  thread: 'dim',
  notice: 'warn',
};

/**
 * Whether the event log shows an event: thread events only with H, and only events matching the filter
 * text, which is looked for in the kind, the pid, the name and command line, and what the log line says
 * (the exit status: `SIGSEGV`, `exit 3`).
 */
export function keepEvent(logged: LoggedEvent, ctx: PaneContext): boolean {
  const e = logged.event;
  if (!ctx.showThreads && e.pid !== e.tgid && (e.kind === 'fork' || e.kind === 'exit')) return false;
  if (matches(ctx.filterText, e.tgid, logged.comm, logged.cmdline)) return true;
  const needle = ctx.filterText.trim().toLowerCase();
  const { label, detail } = describeEvent(e, logged, formatDuration);
  return `${label} ${e.pid} ${detail}`.toLowerCase().includes(needle);
}

function matches(filter: string, pid: number, comm: string | null, cmdline: readonly string[] | null): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return `${pid} ${comm ?? ''} ${cmdline?.join(' ') ?? ''}`.toLowerCase().includes(needle);
}
