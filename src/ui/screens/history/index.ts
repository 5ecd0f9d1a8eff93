// History: line charts of the last two minutes (events/s by kind, CPU%, memory), one sample per second.
import type { Canvas, Rect } from '../../canvas.js';
import type { FrameInput } from '../../compose.js';
import { drawHistoryView, historySeries } from '../../history-view.js';
import type { Screen, ScreenDraw } from '../types.js';

function draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw {
  let charts = drawHistoryView(canvas, area, historySeries(input.rates, input.meters), input.braille, input.glyphs);
  // Charts are blessed elements drawn over the canvas: they would cover a menu or a confirmation.
  const mode = input.state.mode.kind;
  if (mode === 'menu' || mode === 'confirm') charts = [];
  return { charts, rows: 0, page: 1 };
}

export const HISTORY_SCREEN: Screen = { id: 'history', title: 'History', bindings: [], draw };
