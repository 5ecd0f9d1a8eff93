// Draws one complete frame into a Canvas from everything the screen shows: header, process list,
// panel, bottom pane (or the history view in their place), function bar and any open modal. Pure given
// its inputs.
import type { EngineView } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import type { Pid } from '../core/types.js';
import { Canvas } from './canvas.js';
import { toCellText } from './format.js';
import type { Glyphs } from './glyphs.js';
import type { EventRing, MeterHistory, RateHistory } from './history.js';
import { drawHistoryView, historySeries, type ChartSpec } from './history-view.js';
import type { Layout } from './layout.js';
import type { ProcessOrder } from './process-order.js';
import type { UiState } from './ui-state.js';
import { headerText, visibleRows, type RowContext } from './view-model.js';
import { drawConnectorPanel } from './widgets/connector-panel.js';
import { drawEventLog, drawExitedList, keepEvent, type PaneContext } from './widgets/event-log.js';
import { drawFunctionBar } from './widgets/function-bar.js';
import { drawHeader } from './widgets/header.js';
import { drawHelp } from './widgets/help.js';
import { drawConfirm, drawMenu } from './widgets/overlays.js';
import { drawProcessList } from './widgets/process-list.js';

export interface FrameInput {
  readonly layout: Layout;
  readonly width: number;
  readonly height: number;
  readonly state: UiState;
  readonly engine: EngineView;
  readonly order: ProcessOrder;
  readonly selectedIndex: number;
  readonly scrollTop: number;
  readonly health: HealthReport | null;
  readonly rates: RateHistory;
  readonly meters: MeterHistory;
  /** Whether the history view may draw braille line charts (see brailleAllowed). */
  readonly braille: boolean;
  readonly events: EventRing;
  readonly rowContext: RowContext;
  readonly epochNowMs: number;
  readonly glyphs: Glyphs;
  readonly menuItems: readonly string[];
  readonly repairText: string;
}

export interface Frame {
  readonly canvas: Canvas;
  /** Line charts the terminal draws over the canvas (the history view with braille). */
  readonly charts: readonly ChartSpec[];
}

export function composeFrame(input: FrameInput): Frame {
  const { layout, state, engine, rowContext: ctx } = input;
  const canvas = new Canvas(input.width, input.height);
  if (state.mode.kind === 'help') {
    drawHelp(canvas, state.mode.scroll, ctx.ascii);
    return { canvas, charts: [] };
  }
  if (layout.header.height > 0) drawHeader(canvas, layout.header, engine.system, engine.status, ctx.nowMs);
  let charts: readonly ChartSpec[] = [];
  if (state.showHistory) {
    const area = { x: 0, y: layout.list.y, width: input.width, height: layout.functionBarY - layout.list.y };
    charts = drawHistoryView(canvas, area, historySeries(input.rates, input.meters), input.braille, input.glyphs);
    // Charts are blessed elements drawn over the canvas: they would cover a menu or a confirmation.
    if (state.mode.kind === 'menu' || state.mode.kind === 'confirm') charts = [];
  } else {
    drawBody(canvas, input);
  }
  drawFunctionBar(canvas, layout.functionBarY, state, ctx.ascii);
  drawModal(canvas, input);
  return { canvas, charts };
}

/** The process list, the connector panel and the bottom pane. */
function drawBody(canvas: Canvas, input: FrameInput): void {
  const { layout, state, engine, rowContext: ctx } = input;
  const list = layout.list;
  const rows = visibleRows(input.order, engine.processes, state, input.selectedIndex, { top: input.scrollTop, height: Math.max(0, list.height - 1), width: list.width }, ctx);
  drawProcessList(canvas, list, headerText(state, list.width, ctx.ascii), rows, toCellText(emptyText(state), ctx.ascii));
  if (layout.panel !== null) {
    drawConnectorPanel(canvas, layout.panel, { status: engine.status, health: input.health, rates: input.rates, nowMs: ctx.nowMs, glyphs: input.glyphs, ascii: ctx.ascii });
  }
  if (layout.pane !== null) {
    const paneCtx: PaneContext = { nowMs: ctx.nowMs, epochNowMs: input.epochNowMs, ascii: ctx.ascii, filterText: state.filterText, showThreads: state.showThreads };
    if (state.bottomPane === 'events') drawEventLog(canvas, layout.pane, input.events.newest(layout.pane.height, (e) => keepEvent(e, paneCtx)), paneCtx);
    else drawExitedList(canvas, layout.pane, engine.exited, paneCtx);
  }
}

function drawModal(canvas: Canvas, input: FrameInput): void {
  const { state, layout } = input;
  const area = { x: layout.list.x, y: layout.list.y, width: input.width, height: layout.list.height + (layout.pane?.height ?? 0) };
  if (state.mode.kind === 'menu') drawMenu(canvas, area, state.mode.menu, input.menuItems, state.mode.index, input.rowContext.ascii);
  if (state.mode.kind === 'confirm') {
    const lookup = (pid: Pid) => input.engine.processes.get(pid);
    drawConfirm(canvas, area, state.mode.confirmation, lookup, input.repairText, input.rowContext.ascii);
  }
}

function emptyText(state: UiState): string {
  if (state.filterText !== '') return `no process matches the filter "${state.filterText}" (F4 to edit, Esc clears)`;
  if (state.userFilter !== null) return `no process of user ${state.userFilter} (u to change)`;
  return 'no processes';
}
