// The help screen, generated from the keymap table so that every key that works is listed.
import { drawBox, type Canvas, type Segment } from '../canvas.js';
import { GLOBAL_BINDINGS, type Binding } from '../keymap.js';
import { SCREENS } from '../screens/registry.js';

const KEY_LABELS: Readonly<Record<string, string>> = {
  up: 'Up',
  down: 'Down',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  space: 'Space',
  'C-c': 'Ctrl-C',
  tab: 'Tab',
  'S-tab': 'Shift-Tab',
  left: 'Left',
  right: 'Right',
  enter: 'Enter',
};

/** Every binding the help lists: the global ones, then each screen's. */
export function allBindings(): Binding[] {
  return [...GLOBAL_BINDINGS, ...SCREENS.flatMap((s) => s.bindings)];
}

function bindingLine(b: Binding): Segment[] {
  // Ten digit keys read as one: 0-9.
  const keys = b.command.kind === 'pidDigit' ? '0-9' : b.keys.map(keyLabel).join(' ');
  return [
    { text: keys.padEnd(16), style: 'label' },
    { text: b.help, style: 'text' },
  ];
}

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? (/^f\d+$/.test(key) ? key.toUpperCase() : key);
}

export function helpLines(): Segment[][] {
  const lines: Segment[][] = [
    [{ text: 'cntop: every process, live from the kernel (htop keys where htop has one)', style: 'title' }],
    [],
  ];
  lines.push([{ text: 'On every screen', style: 'title' }]);
  for (const b of GLOBAL_BINDINGS) lines.push(bindingLine(b));
  for (const screen of SCREENS) {
    if (screen.bindings.length === 0) continue;
    lines.push([], [{ text: screen.title, style: 'title' }]);
    for (const b of screen.bindings) lines.push(bindingLine(b));
    if (screen.id === 'processes') {
      lines.push(
        [
          { text: 'Mouse'.padEnd(16), style: 'label' },
          {
            text: 'click selects a process or a tab; a click on a column header sorts by it (again: inverts); the wheel scrolls',
            style: 'text',
          },
        ],
        [
          { text: 'Rows: ', style: 'title' },
          { text: ' new ', style: 'new' },
          { text: ' ', style: 'text' },
          { text: ' exited (status shown) ', style: 'exited' },
          { text: ' ', style: 'text' },
          { text: ' tagged ', style: 'tagged' },
          { text: ' ', style: 'text' },
          { text: ' kernel thread ', style: 'kernel' },
        ],
      );
    }
  }
  lines.push([], [{ text: 'Up/Down scroll this help; any other key closes it.', style: 'dim' }]);
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
  lines
    .slice(top, top + inner.height)
    .forEach((segments, i) => canvas.writeSegments(inner.x + 1, inner.y + i, segments, inner.width - 1));
}
