// htop 3's screen tabs: one line, the screen on show highlighted; Tab / Shift-Tab cycle.
import type { Canvas } from '../canvas.js';
import type { ScreenId } from '../ui-state.js';

export interface TabCell {
  readonly id: ScreenId;
  readonly x: number;
  readonly width: number;
}

/** Where each tab is drawn (also where a click lands). */
export function tabCells(tabs: ReadonlyArray<{ readonly id: ScreenId; readonly title: string }>): TabCell[] {
  const cells: TabCell[] = [];
  let x = 0;
  for (const t of tabs) {
    cells.push({ id: t.id, x, width: t.title.length + 2 });
    x += t.title.length + 3;
  }
  return cells;
}

export function drawTabBar(
  canvas: Canvas,
  y: number,
  tabs: ReadonlyArray<{ readonly id: ScreenId; readonly title: string }>,
  current: ScreenId,
): void {
  canvas.fill({ x: 0, y, width: canvas.width, height: 1 }, 'text');
  const cells = tabCells(tabs);
  tabs.forEach((t, i) => {
    const cell = cells[i];
    if (cell !== undefined) canvas.write(cell.x, y, ` ${t.title} `, t.id === current ? 'tabActive' : 'tab');
  });
  const end = cells.reduce((n, c) => Math.max(n, c.x + c.width), 0);
  canvas.write(end + 1, y, 'Tab/S-Tab: screens', 'dim');
}
