// Turns the ordered process list, the UI state and a viewport into the rows on screen: exact-width
// text plus a style per row. Only the visible rows are formatted. Pure; widgets only paint the result.
import type { Pid, ProcessInfo } from '../core/types.js';
import { COLUMNS, fixedColumnsFor, type Column, type ColumnId, type ShownColumn } from './columns.js';
import { fitLeft, fitRight, formatDuration, toCellText } from './format.js';
import type { Glyphs } from './glyphs.js';
import { guideAt, type FoldSummary, type ProcessOrder } from './process-order.js';
import { activeSort, type UiState } from './ui-state.js';

export type RowStyle = 'normal' | 'selected' | 'tagged' | 'new' | 'exited' | 'kernel' | 'thread' | 'summary';

export interface VisibleRow {
  readonly pid: Pid;
  /** Exactly `width` characters, one per cell. */
  readonly text: string;
  readonly style: RowStyle;
  /** Also tagged (drawn with the tag colour even while selected). */
  readonly tagged: boolean;
}

export interface Viewport {
  /** Index of the first listed process shown. */
  readonly top: number;
  readonly height: number;
  readonly width: number;
}

export interface RowContext {
  readonly nowMs: number;
  readonly ascii: boolean;
  /** Processes first seen after this monotonic time are highlighted as new (the initial scan is not). */
  readonly newAfterMs: number;
  /** How long a process stays highlighted as new. */
  readonly newHighlightMs: number;
  readonly glyphs: Glyphs;
  /** htop's H: whether a row is a thread of its process rather than a process. */
  readonly isThread?: ((pid: Pid) => boolean) | undefined;
  /** The shown columns (F2 setup); the default set when absent. */
  readonly columns?: readonly ColumnId[] | undefined;
}

/** The column header line, with the sort column marked (htop marks it with colour; we add an arrow too). */
export function headerText(state: UiState, width: number, ascii: boolean): string {
  const sort = activeSort(state);
  const mark = (c: ShownColumn): string =>
    c.id === sort.key ? (ascii ? (sort.descending ? 'v' : '^') : sort.descending ? '▽' : '△') : '';
  // Labels are ours and fit their column: padded, not passed through cellText, whose ASCII-only cells
  // (for user names) turned the arrow of the left-aligned USER and S into '?'.
  const cells = fixedColumnsFor(width, state.columns).map((c) => {
    const label = markedLabel(c.label, mark(c), c.width);
    return c.align === 'right' ? label.padStart(c.width) : label.padEnd(c.width);
  });
  const commandLabel = `${COLUMNS[COLUMNS.length - 1]?.label ?? 'Command'}${mark(COLUMNS[COLUMNS.length - 1] as Column)}`;
  return fitLeft(`${cells.join(' ')} ${commandLabel}`, width);
}

/**
 * A column label with its sort arrow. Where both do not fit the column (MEM%, PRI, S), the label is cut
 * to make room: cut to width, "MEM%" and its arrow would show as "MEM+" and the sort column would not be
 * marked at all.
 */
function markedLabel(label: string, mark: string, width: number): string {
  if (label.length + mark.length <= width) return label + mark;
  return label.slice(0, Math.max(0, width - mark.length)) + mark;
}

/** Keeps the selected index inside the viewport with the least scrolling. */
export function scrollTopFor(selectedIndex: number, previousTop: number, height: number, total: number): number {
  if (height <= 0 || total <= height) return 0;
  let top = previousTop;
  if (selectedIndex < top) top = selectedIndex;
  if (selectedIndex >= top + height) top = selectedIndex - height + 1;
  return Math.min(Math.max(0, top), total - height);
}

export function visibleRows(
  order: ProcessOrder,
  processes: ReadonlyMap<Pid, ProcessInfo>,
  state: UiState,
  selectedIndex: number,
  viewport: Viewport,
  ctx: RowContext,
): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const end = Math.min(order.pids.length, viewport.top + viewport.height);
  for (let i = Math.max(0, viewport.top); i < end; i++) {
    const pid = order.pids[i] as Pid;
    const fold = order.folds?.get(pid);
    if (fold !== undefined) {
      rows.push({
        pid,
        text: summaryText(fold, guideAt(order, i, ctx.glyphs), viewport.width, ctx),
        style: i === selectedIndex ? 'selected' : 'summary',
        tagged: false,
      });
      continue;
    }
    const p = processes.get(pid);
    if (p === undefined) continue;
    const tagged = state.tagged.has(pid);
    const text = rowText(p, guideAt(order, i, ctx.glyphs), state.showThreads, viewport.width, ctx, state.commandScroll);
    rows.push({ pid, text, style: rowStyle(p, i === selectedIndex, tagged, ctx), tagged });
  }
  return rows;
}

/** A parent's folded exits: "… 37 more exited (12 failed) in 3.0s" under the parent, in the Command column. */
export function summaryText(fold: FoldSummary, guide: string, width: number, ctx: RowContext): string {
  const span = fold.newestExitMs - fold.oldestExitMs;
  const text = `${guide}${ctx.ascii ? '...' : '…'} ${fold.count} more exited${fold.failed > 0 ? ` (${fold.failed} failed)` : ''} in ${formatDuration(Math.max(0, span))}`;
  const offset = fixedColumnsFor(width, ctx.columns).reduce((sum, c) => sum + c.width + 1, 0);
  return fitLeft(`${' '.repeat(offset)}${text}`, width);
}

/** One row: the columns that fit `width`, then the Command column scrolled `commandScroll` cells left (Left/Right). */
export function rowText(
  p: ProcessInfo,
  guide: string,
  showThreads: boolean,
  width: number,
  ctx: RowContext,
  commandScroll = 0,
): string {
  const cells = fixedColumnsFor(width, ctx.columns).map((c) =>
    cellText(c, c.id === 'state' && p.exitMs !== null ? 'X' : c.format(p, ctx.nowMs)),
  );
  const command = toCellText(`${guide}${commandText(p, showThreads)}`, ctx.ascii);
  return fitLeft(`${cells.join(' ')} ${commandScroll > 0 ? command.slice(commandScroll) : command}`, width);
}

/** What the Command column says: thread count (with H), then the command line; the exit status has its own column. */
export function commandText(p: ProcessInfo, showThreads: boolean): string {
  const status = '';
  const threads = showThreads && p.threads > 1 ? `{${p.threads} thr} ` : '';
  const args = p.cmdline !== null && p.cmdline.length > 0 && !p.isKernelThread ? p.cmdline.join(' ') : `[${p.comm}]`;
  // A command line that does not start with the comm (e.g. rewritten argv) is still found by its comm in search.
  return `${status}${threads}${args.trim() === '' ? p.comm : args}`;
}

function cellText(c: ShownColumn, value: string): string {
  return c.align === 'right' ? fitRight(value, c.width) : fitLeft(toCellText(value, true), c.width);
}

function rowStyle(p: ProcessInfo, selected: boolean, tagged: boolean, ctx: RowContext): RowStyle {
  if (selected) return 'selected';
  if (p.exitMs !== null) return 'exited';
  if (tagged) return 'tagged';
  if (p.seenMs > ctx.newAfterMs && ctx.nowMs - p.seenMs < ctx.newHighlightMs) return 'new';
  if (p.isKernelThread) return 'kernel';
  if (ctx.isThread?.(p.pid) === true) return 'thread';
  return 'normal';
}

/** Where the Command column starts on a list wide enough for every column. */
export const COMMAND_COLUMN_OFFSET = fixedColumnsFor(1000).reduce((sum, c) => sum + c.width + 1, 0);

/** The column under cell `x` of the column header line of a list `width` wide, or null. */
export function columnAt(x: number, width: number, columns?: readonly ColumnId[]): ColumnId | null {
  let start = 0;
  for (const c of fixedColumnsFor(width, columns)) {
    if (x >= start && x < start + c.width + 1) return c.id === 'exit' ? null : c.id;
    start += c.width + 1;
  }
  return x >= start ? 'command' : null;
}
