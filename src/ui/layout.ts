// Where each region goes for a terminal size: header, process list, connector panel (right side
// when shown), the event/exited pane (below the list) and the function bar. Pure.
import type { Rect } from './canvas.js';
import type { BottomPane } from './ui-state.js';
import { PANEL_WIDTH } from './widgets/connector-panel.js';

/** Below this width the panel starts hidden: its 40 columns would leave the Command column under 35. */
export const PANEL_AUTO_MIN_WIDTH = 140;

export interface Layout {
  readonly header: Rect;
  /** Column header line plus rows. */
  readonly list: Rect;
  readonly panel: Rect | null;
  readonly pane: Rect | null;
  readonly functionBarY: number;
}

export function panelShown(showPanel: boolean | null, width: number): boolean {
  return showPanel ?? width >= PANEL_AUTO_MIN_WIDTH;
}

export function computeLayout(width: number, height: number, headerLines: number, showPanel: boolean, pane: BottomPane): Layout {
  // Keep at least a few process rows: the header shrinks away first on a tiny terminal.
  const header = height - headerLines - 1 >= 6 ? headerLines : 0;
  const bodyTop = header;
  const bodyHeight = Math.max(0, height - header - 1);
  const panelWidth = showPanel && width >= PANEL_WIDTH + 30 ? PANEL_WIDTH : showPanel ? Math.max(0, Math.floor(width / 2)) : 0;
  const listWidth = width - panelWidth;
  const paneHeight = pane === 'none' ? 0 : Math.min(Math.max(6, Math.floor(bodyHeight * 0.4)), Math.max(0, bodyHeight - 4));
  return {
    header: { x: 0, y: 0, width, height: header },
    list: { x: 0, y: bodyTop, width: listWidth, height: bodyHeight - paneHeight },
    panel: panelWidth > 0 ? { x: listWidth, y: bodyTop, width: panelWidth, height: bodyHeight } : null,
    pane: paneHeight > 0 ? { x: 0, y: bodyTop + bodyHeight - paneHeight, width: listWidth, height: paneHeight } : null,
    functionBarY: height - 1,
  };
}
