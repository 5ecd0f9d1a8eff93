// Events: the forkstat-style log of every event, newest on top; scrolls, pauses (Z) and follows the
// filter (kind, pid, name, command line, exit status).
import type { Canvas, Rect } from '../../canvas.js';
import type { FrameInput } from '../../compose.js';
import { SCROLL_BINDINGS } from '../scroll-keys.js';
import { drawEventLog, keepEvent, type PaneContext } from '../../widgets/event-log.js';
import type { LoggedEvent } from '../../history.js';
import type { Screen, ScreenDraw } from '../types.js';

function draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw {
  const { state, rowContext: ctx } = input;
  const pane: PaneContext = {
    nowMs: ctx.nowMs,
    epochNowMs: input.epochNowMs,
    ascii: ctx.ascii,
    filterText: state.filterText,
    showThreads: state.showThreads,
  };
  const pausedAt = state.pausedAt.events;
  const keep = (e: LoggedEvent): boolean =>
    (pausedAt === undefined || e.event.timeMs <= pausedAt) && keepEvent(e, pane);
  const page = Math.max(1, area.height - 2);
  const total = input.events.count(keep);
  const top = Math.min(state.scroll.events ?? 0, Math.max(0, total - page));
  const title = `Events${pausedAt === undefined ? '' : ' PAUSED (Z resumes)'}, ${total} shown${top > 0 ? `, from the ${top + 1}th newest` : ''}`;
  drawEventLog(canvas, area, input.events.newest(page, keep, top), pane, title);
  return { charts: [], rows: total, page };
}

export const EVENTS_SCREEN: Screen = { id: 'events', title: 'Events', bindings: SCROLL_BINDINGS, draw };
