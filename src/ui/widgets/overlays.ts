// Modal overlays drawn over the process list: the signal, sort-column and user menus, and the
// confirmation dialog that every signal and the repair must pass.
import { signalName } from '../../core/exit-status.js';
import type { Pid, ProcessInfo } from '../../core/types.js';
import { drawBox, type Canvas, type Rect } from '../canvas.js';
import { columnById, type ColumnId } from '../columns.js';
import { fitLeft, toCellText } from '../format.js';
import type { Confirmation, MenuKind } from '../ui-state.js';

/** The signals the menu offers, as htop lists them: 1-31 by number. */
export const MENU_SIGNALS: readonly number[] = Array.from({ length: 31 }, (_, i) => i + 1);
export const DEFAULT_SIGNAL_INDEX = MENU_SIGNALS.indexOf(15);

/** `columns`: the sortable (shown) columns, for the sort menu. */
export function menuItems(menu: MenuKind, users: readonly string[], columns: readonly ColumnId[] = []): string[] {
  switch (menu) {
    case 'signal':
      return MENU_SIGNALS.map((n) => `${String(n).padStart(2)} ${signalName(n)}`);
    case 'sort':
      return columns.map((id) => columnById(id).label);
    case 'user':
      return ['(all users)', ...users];
  }
}

const MENU_TITLES: Readonly<Record<MenuKind, string>> = { signal: 'Send signal', sort: 'Sort by', user: 'Show user' };

/** A menu down the left edge of `area`, as htop draws its side panels. */
export function drawMenu(
  canvas: Canvas,
  area: Rect,
  menu: MenuKind,
  items: readonly string[],
  index: number,
  ascii: boolean,
): void {
  const width = Math.min(area.width, Math.max(22, ...items.map((i) => i.length + 4)));
  const inner = drawBox(canvas, { x: area.x, y: area.y, width, height: area.height }, MENU_TITLES[menu], ascii);
  const top = Math.max(0, Math.min(index - Math.floor(inner.height / 2), items.length - inner.height));
  for (let i = 0; i < inner.height && top + i < items.length; i++) {
    const selected = top + i === index;
    canvas.write(
      inner.x,
      inner.y + i,
      fitLeft(` ${toCellText(items[top + i] ?? '', ascii)}`, inner.width),
      selected ? 'menuSelected' : 'text',
      inner.width,
    );
  }
}

export function drawConfirm(
  canvas: Canvas,
  area: Rect,
  confirmation: Confirmation,
  lookup: (pid: Pid) => ProcessInfo | undefined,
  repairText: string,
  ascii: boolean,
): void {
  const lines = confirmLines(confirmation, lookup, repairText, ascii);
  const width = Math.min(area.width, Math.max(40, ...lines.map((l) => l.length + 4)));
  const height = Math.min(area.height, lines.length + 2);
  const rect = {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
  const inner = drawBox(canvas, rect, 'Confirm', ascii);
  lines.forEach((line, i) =>
    canvas.write(inner.x + 1, inner.y + i, line, i === lines.length - 1 ? 'title' : 'text', inner.width - 1),
  );
}

export function confirmLines(
  confirmation: Confirmation,
  lookup: (pid: Pid) => ProcessInfo | undefined,
  repairText: string,
  ascii: boolean,
): string[] {
  if (confirmation.kind === 'repair') return [...repairText.split('\n'), '', 'y/Enter: repair   n/Esc: cancel'];
  const shown = confirmation.pids.slice(0, 6).map((pid) => {
    const p = lookup(pid);
    return `${String(pid).padStart(7)}  ${p === undefined ? '(gone)' : toCellText(p.comm, ascii)}`;
  });
  const more =
    confirmation.pids.length > shown.length ? [`        ... and ${confirmation.pids.length - shown.length} more`] : [];
  const name = signalName(confirmation.signal);
  return [`Send ${name} (${confirmation.signal}) to:`, ...shown, ...more, '', `y/Enter: send ${name}   n/Esc: cancel`];
}
