// Draws one complete frame into a Canvas: header meters, the screen tabs, the body of the screen on
// show (from the screen registry), the function bar and any open modal. Pure given its inputs.
import type { EngineView } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import type { Pid } from '../core/types.js';
import { Canvas } from './canvas.js';
import { toCellText } from './format.js';
import type { Glyphs } from './glyphs.js';
import type { EventRing, MeterHistory, RateHistory } from './history.js';
import type { ChartSpec } from './history-view.js';
import type { Layout } from './layout.js';
import type { ProcessOrder } from './process-order.js';
import { screenById, SCREENS } from './screens/registry.js';
import type { ScreenDraw } from './screens/types.js';
import type { UiState } from './ui-state.js';
import type { RowContext } from './view-model.js';
import { drawFunctionBar } from './widgets/function-bar.js';
import { drawHeader, type HeaderExtras } from './widgets/header.js';
import { drawHelp } from './widgets/help.js';
import { drawConfirm, drawMenu } from './widgets/overlays.js';
import { detailsLines, drawDetails, exitDetailsLines } from './widgets/details.js';
import { drawTabBar } from './widgets/tab-bar.js';
import { drawSetup } from './screens/setup/draw.js';

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
  /** Header figures beside the engine's own (the exits' CPU meter). */
  readonly headerExtras?: HeaderExtras;
  /** Replay: the time cursor's bar text, right-aligned on the tab line. */
  readonly timeLabel?: string;
}

export interface Frame {
  readonly canvas: Canvas;
  /** Line charts the terminal draws over the canvas (the history view with braille). */
  readonly charts: readonly ChartSpec[];
  /** What the screen on show listed: the scroll keys' limits. */
  readonly body: ScreenDraw;
}

export function composeFrame(input: FrameInput): Frame {
  const { layout, state, engine, rowContext: ctx } = input;
  const canvas = new Canvas(input.width, input.height);
  if (state.mode.kind === 'help') {
    drawHelp(canvas, state.mode.scroll, ctx.ascii);
    return { canvas, charts: [], body: { charts: [], rows: 0, page: 1 } };
  }
  if (layout.header.height > 0)
    drawHeader(canvas, layout.header, engine.system, engine.status, ctx.nowMs, input.headerExtras);
  if (layout.tabsY >= 0) drawTabBar(canvas, layout.tabsY, SCREENS, state.screen);
  if (layout.tabsY >= 0 && input.timeLabel !== undefined) {
    const label = toCellText(input.timeLabel, ctx.ascii);
    canvas.write(Math.max(0, input.width - label.length - 1), layout.tabsY, label, 'input');
  }
  const body = screenById(state.screen).draw(canvas, layout.list, input);
  drawFunctionBar(canvas, layout.functionBarY, state, ctx.ascii);
  drawModal(canvas, input);
  return { canvas, charts: body.charts, body };
}

function drawModal(canvas: Canvas, input: FrameInput): void {
  const { state, layout } = input;
  const area = { x: layout.list.x, y: layout.list.y, width: input.width, height: layout.list.height };
  if (state.mode.kind === 'menu')
    drawMenu(canvas, area, state.mode.menu, input.menuItems, state.mode.index, input.rowContext.ascii);
  if (state.mode.kind === 'details') {
    const ctx = input.rowContext;
    drawDetails(
      canvas,
      area,
      detailsLines(
        input.engine,
        state.mode.pid,
        ctx.nowMs,
        input.epochNowMs,
        area.width - 4,
        ctx.ascii,
        state.mode.cgroup,
      ),
      ctx.ascii,
    );
  }
  if (state.mode.kind === 'setup')
    drawSetup(canvas, area, state, state.mode.section, state.mode.index, input.rowContext.ascii);
  if (state.mode.kind === 'exitDetails') {
    const ctx = input.rowContext;
    drawDetails(
      canvas,
      area,
      exitDetailsLines(input.engine, state.mode.exit, ctx.nowMs, input.epochNowMs, area.width - 4, ctx.ascii),
      ctx.ascii,
    );
  }
  if (state.mode.kind === 'environment') {
    const { pid, lines } = state.mode;
    const ascii = input.rowContext.ascii;
    const shown = lines.length === 0 ? ['(empty)'] : lines.map((l) => toCellText(l, ascii));
    drawDetails(
      canvas,
      area,
      [`Environment of ${pid}  ${toCellText(input.engine.processes.get(pid)?.comm ?? '', ascii)}`, ...shown],
      ascii,
    );
  }
  if (state.mode.kind === 'confirm') {
    const lookup = (pid: Pid) => input.engine.processes.get(pid);
    drawConfirm(canvas, area, state.mode.confirmation, lookup, input.repairText, input.rowContext.ascii);
  }
}
