// Where each region goes for a terminal size: header meters, the screen tabs, the screen's body and
// the function bar. Pure.
import type { Rect } from './canvas.js';

export interface Layout {
  readonly header: Rect;
  /** The tab bar's line (htop 3's screen tabs); -1 when the terminal is too small for it. */
  readonly tabsY: number;
  /** The screen's body: for the process list its column header line plus rows. */
  readonly list: Rect;
  readonly functionBarY: number;
}

export function computeLayout(width: number, height: number, headerLines: number): Layout {
  // Keep at least a few process rows: the header shrinks away first on a tiny terminal, then the tabs.
  const header = height - headerLines - 2 >= 6 ? headerLines : 0;
  const tabs = height - header - 1 >= 7 ? 1 : 0;
  const bodyTop = header + tabs;
  const bodyHeight = Math.max(0, height - bodyTop - 1);
  return {
    header: { x: 0, y: 0, width, height: header },
    tabsY: tabs === 1 ? header : -1,
    list: { x: 0, y: bodyTop, width, height: bodyHeight },
    functionBarY: height - 1,
  };
}
