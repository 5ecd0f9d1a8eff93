// The help screen, generated from the keymap table so that every key that works is listed.
import { drawBox, type Canvas, type Segment } from '../canvas.js';
import { NORMAL_BINDINGS } from '../keymap.js';

const KEY_LABELS: Readonly<Record<string, string>> = {
  up: 'Up', down: 'Down', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', space: 'Space', 'C-c': 'Ctrl-C',
};

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? (/^f\d+$/.test(key) ? key.toUpperCase() : key);
}

export function helpLines(): Segment[][] {
  const lines: Segment[][] = [
    [{ text: 'cntop: every process, live from the kernel (htop keys where htop has one)', style: 'title' }],
    [],
  ];
  for (const b of NORMAL_BINDINGS) {
    lines.push([{ text: b.keys.map(keyLabel).join(' ').padEnd(16), style: 'label' }, { text: b.help, style: 'text' }]);
  }
  lines.push(
    [{ text: 'Mouse'.padEnd(16), style: 'label' }, { text: 'click selects a process, the wheel scrolls', style: 'text' }],
    [],
    [{ text: 'Rows: ', style: 'title' }, { text: ' new ', style: 'new' }, { text: ' ', style: 'text' }, { text: ' exited (status shown) ', style: 'exited' }, { text: ' ', style: 'text' }, { text: ' tagged ', style: 'tagged' }, { text: ' ', style: 'text' }, { text: ' kernel thread ', style: 'kernel' }],
    [{ text: 'Up/Down scroll this help; any other key closes it.', style: 'dim' }],
  );
  return lines;
}

/** How far the help scrolls on a terminal `height` lines high: until its last line is on screen. */
export function helpMaxScroll(height: number): number {
  return Math.max(0, helpLines().length - Math.max(0, height - 2));
}

export function drawHelp(canvas: Canvas, scroll: number, ascii: boolean): void {
  const inner = drawBox(canvas, { x: 0, y: 0, width: canvas.width, height: canvas.height }, 'Help', ascii);
  const lines = helpLines();
  const top = Math.min(scroll, helpMaxScroll(canvas.height));
  lines.slice(top, top + inner.height).forEach((segments, i) => canvas.writeSegments(inner.x + 1, inner.y + i, segments, inner.width - 1));
}
