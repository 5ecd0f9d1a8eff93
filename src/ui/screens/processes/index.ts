// The process list (htop's main screen), with the connector panel on its right on wide terminals.
import { toCellText } from '../../format.js';
import type { Canvas, Rect } from '../../canvas.js';
import type { FrameInput } from '../../compose.js';
import type { UiState } from '../../ui-state.js';
import { headerText, visibleRows } from '../../view-model.js';
import { drawConnectorPanel, PANEL_WIDTH } from '../../widgets/connector-panel.js';
import { drawProcessList } from '../../widgets/process-list.js';
import type { Screen, ScreenDraw } from '../types.js';
import { PROCESS_BINDINGS } from './keys.js';

/** From this width the connector panel shows beside the list: its 40 columns leave the Command column 35 and more. */
export const PANEL_AUTO_MIN_WIDTH = 140;

/** Where the list and the side panel go in the screen's area. */
export function processAreas(area: Rect): { list: Rect; panel: Rect | null } {
  if (area.width < PANEL_AUTO_MIN_WIDTH) return { list: area, panel: null };
  const listWidth = area.width - PANEL_WIDTH;
  return {
    list: { ...area, width: listWidth },
    panel: { x: area.x + listWidth, y: area.y, width: PANEL_WIDTH, height: area.height },
  };
}

function draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw {
  const { state, engine, rowContext: ctx } = input;
  const { list, panel } = processAreas(area);
  const rows = visibleRows(
    input.order,
    engine.processes,
    state,
    input.selectedIndex,
    { top: input.scrollTop, height: Math.max(0, list.height - 1), width: list.width },
    ctx,
  );
  drawProcessList(
    canvas,
    list,
    headerText(state, list.width, ctx.ascii),
    rows,
    toCellText(emptyText(state), ctx.ascii),
  );
  if (panel !== null) {
    drawConnectorPanel(canvas, panel, {
      status: engine.status,
      health: input.health,
      rates: input.rates,
      nowMs: ctx.nowMs,
      glyphs: input.glyphs,
      ascii: ctx.ascii,
    });
  }
  return { charts: [], rows: input.order.pids.length, page: Math.max(1, list.height - 1) };
}

function emptyText(state: UiState): string {
  if (state.filterText !== '') return `no process matches the filter "${state.filterText}" (F4 to edit, Esc clears)`;
  if (state.userFilter !== null) return `no process of user ${state.userFilter} (u to change)`;
  return 'no processes';
}

export const PROCESSES_SCREEN: Screen = { id: 'processes', title: 'Processes', bindings: PROCESS_BINDINGS, draw };
