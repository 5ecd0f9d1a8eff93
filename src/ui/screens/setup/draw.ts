// F2 setup's panel, over the screen's body as htop's Setup is: the sections on the left, the items
// of the selected one with their checkboxes or values, and the keys and the selected item's help.
import { drawBox, type Canvas, type Rect } from '../../canvas.js';
import { fitLeft } from '../../format.js';
import type { UiState } from '../../ui-state.js';
import { SECTION_TITLES, SETUP_SECTIONS, setupItems, type SetupSection } from './model.js';

const KEYS_LINE: Readonly<Record<SetupSection, string>> = {
  columns: 'Space: show/hide  F7/F8 or [ ]: move  Left/Right: section  Esc/F10: done (saves)',
  meters: 'Space: show/hide  F7/F8 or [ ]: move  Left/Right: section  Esc/F10: done (saves)',
  display: 'Space: on/off  + -: change value  Left/Right: section  Esc/F10: done (saves)',
};

export function drawSetup(
  canvas: Canvas,
  area: Rect,
  state: UiState,
  section: SetupSection,
  index: number,
  ascii: boolean,
): void {
  const inner = drawBox(canvas, area, 'Setup', ascii);
  const sectionsWidth = 18;
  SETUP_SECTIONS.forEach((s, i) => {
    canvas.write(
      inner.x,
      inner.y + i,
      fitLeft(` ${SECTION_TITLES[s]}`, sectionsWidth),
      s === section ? 'menuSelected' : 'text',
      sectionsWidth,
    );
  });
  const items = setupItems(state, section);
  const x = inner.x + sectionsWidth + 1;
  const width = Math.max(10, inner.width - sectionsWidth - 1);
  const rows = Math.max(1, inner.height - 3);
  const top = Math.max(0, Math.min(index - rows + 1, items.length - rows));
  const labelWidth = Math.max(...items.map((it) => it.label.length), 8);
  items.slice(top, top + rows).forEach((item, i) => {
    const box = item.checked === null ? '   ' : item.checked ? '[x]' : '[ ]';
    const text = `${box} ${item.label.padEnd(labelWidth)}${item.value === undefined ? '' : `  ${item.value}`}`;
    canvas.write(x, inner.y + i, fitLeft(text, width), top + i === index ? 'selected' : 'text', width);
  });
  const help = items[index]?.help ?? '';
  canvas.write(x, inner.y + inner.height - 2, fitLeft(help, width), 'dim', width);
  canvas.write(inner.x, inner.y + inner.height - 1, fitLeft(KEYS_LINE[section], inner.width), 'label', inner.width);
}
