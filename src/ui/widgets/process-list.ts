// Paints the column header and the visible rows the view-model produced. No sorting, filtering or
// formatting happens here: rows arrive as exact-width text with a style.
import type { Canvas, Rect, StyleName } from '../canvas.js';
import type { RowStyle, VisibleRow } from '../view-model.js';

const ROW_STYLES: Readonly<Record<RowStyle, StyleName>> = {
  normal: 'text',
  selected: 'selected',
  tagged: 'tagged',
  new: 'new',
  exited: 'exited',
  kernel: 'kernel',
  thread: 'thread',
  summary: 'dim',
};

export function drawProcessList(
  canvas: Canvas,
  rect: Rect,
  header: string,
  rows: readonly VisibleRow[],
  emptyText: string,
): void {
  canvas.write(rect.x, rect.y, header.padEnd(rect.width), 'columnHeader', rect.width);
  rows.forEach((row, i) => {
    if (i + 1 >= rect.height) return;
    const style = row.style === 'selected' && row.tagged ? 'menuSelected' : ROW_STYLES[row.style];
    canvas.write(rect.x, rect.y + 1 + i, row.text, style, rect.width);
  });
  if (rows.length === 0 && rect.height > 1) canvas.write(rect.x + 1, rect.y + 1, emptyText, 'dim', rect.width - 1);
}
