// The connector panel on the whole screen: where events come from, the LISTEN ack, rates, loss, taskstats.
import type { Canvas, Rect } from '../../canvas.js';
import type { FrameInput } from '../../compose.js';
import { drawConnectorPanel } from '../../widgets/connector-panel.js';
import type { Screen, ScreenDraw } from '../types.js';

function draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw {
  const { engine, rowContext: ctx } = input;
  drawConnectorPanel(canvas, area, {
    status: engine.status,
    health: input.health,
    rates: input.rates,
    nowMs: ctx.nowMs,
    glyphs: input.glyphs,
    ascii: ctx.ascii,
  });
  return { charts: [], rows: 0, page: 1 };
}

export const CONNECTOR_SCREEN: Screen = { id: 'connector', title: 'Connector', bindings: [], draw };
