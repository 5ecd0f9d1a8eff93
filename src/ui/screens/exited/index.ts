// Exited: every exited process the engine's ring holds, newest first by default: time, pid, status,
// lifetime, CPU, peak RSS, command. Sortable, filterable (also by status), pausable (Z); G folds it
// into one row per command over the last minute.
import type { Canvas, Rect, Segment } from '../../canvas.js';
import { drawBox } from '../../canvas.js';
import type { FrameInput } from '../../compose.js';
import {
  fitLeft,
  fitRight,
  formatBytes,
  formatClock,
  formatDuration,
  formatPercent,
  toCellText,
} from '../../format.js';
import type { Binding } from '../../keymap.js';
import type { ExitedSortKey, ExitedView } from '../../ui-state.js';
import type { ExitedProcess } from '../../../core/types.js';
import {
  commandRows,
  exitCommand,
  exitedRowsCached,
  exitFailed,
  exitUnknown,
  statusText,
  type CommandRow,
} from './view-model.js';
import type { Screen, ScreenDraw } from '../types.js';
import { placeSelection } from './selection.js';

export const EXITED_BINDINGS: readonly Binding[] = [
  { keys: ['up', 'down'], command: { kind: 'moveRow', by: 'down' }, help: 'select the previous / next row' },
  { keys: ['pageup', 'pagedown'], command: { kind: 'moveRow', by: 'pageDown' }, help: 'move a page up / down' },
  { keys: ['home', 'end'], command: { kind: 'moveRow', by: 'end' }, help: 'first / last row' },
  {
    keys: ['enter'],
    command: { kind: 'details' },
    help: "details of the selected exit (by command: that command's exits)",
  },
  { keys: ['Z'], command: { kind: 'togglePause' }, help: 'pause / resume (exits that come meanwhile wait)' },
  {
    keys: ['G'],
    command: { kind: 'toggleByCommand' },
    help: 'by command: one row per command over the last minute (sort by CPU: where the CPU went)',
  },
  {
    keys: ['f6', '>', '.'],
    command: { kind: 'exitedCycleSort', delta: 1 },
    help: 'sort by the next column (time, lifetime, CPU, peak RSS, status, command)',
  },
  { keys: ['<', ','], command: { kind: 'exitedCycleSort', delta: -1 }, help: 'sort by the previous column' },
  { keys: ['P'], command: { kind: 'exitedSortBy', key: 'cpu' }, help: 'sort by CPU' },
  { keys: ['M'], command: { kind: 'exitedSortBy', key: 'rss' }, help: 'sort by peak RSS' },
  { keys: ['T'], command: { kind: 'exitedSortBy', key: 'time' }, help: 'sort by time of exit' },
  { keys: ['A'], command: { kind: 'exitedSortBy', key: 'lifetime' }, help: 'sort by lifetime' },
  { keys: ['I'], command: { kind: 'exitedInvert' }, help: 'invert the sort order' },
];

/** The column header with the sort column marked. */
function header(labels: readonly ColumnSpec[], view: ExitedView, ascii: boolean): string {
  const arrow = ascii ? (view.descending ? 'v' : '^') : view.descending ? '▽' : '△';
  return labels
    .map(([label, width, align, key]) => {
      const text = key === view.sort ? `${label}${arrow}` : label;
      return width <= 0 ? text : align === 'r' ? text.padStart(width) : text.padEnd(width);
    })
    .join(' ');
}

type ColumnSpec = readonly [label: string, width: number, align: 'l' | 'r', sort: ExitedSortKey | null];

const EXIT_COLUMNS: readonly ColumnSpec[] = [
  ['TIME', 12, 'l', 'time'],
  ['PID', 7, 'r', null],
  ['STATUS', 12, 'l', 'status'],
  ['LIFETIME', 9, 'r', 'lifetime'],
  ['CPU', 8, 'r', 'cpu'],
  ['PEAK', 6, 'r', 'rss'],
  ['COMMAND', 0, 'l', 'command'],
];
const COMMAND_COLUMNS: readonly ColumnSpec[] = [
  ['COUNT', 7, 'r', 'time'],
  ['FAILED', 7, 'r', 'status'],
  ['EXITS/s', 8, 'r', null],
  ['CPU s', 9, 'r', 'cpu'],
  ['CPU%', 6, 'r', null],
  ['PEAK', 6, 'r', 'rss'],
  ['COMMAND', 0, 'l', 'command'],
];

/** The sort key of the column header under cell x of the list's inner area (a click sorts by it), or null. */
export function exitedColumnAt(x: number, byCommand: boolean): ExitedSortKey | null {
  let start = 0;
  for (const [, width, , key] of byCommand ? COMMAND_COLUMNS : EXIT_COLUMNS) {
    if (width <= 0 || x < start + width) return key;
    start += width + 1;
  }
  return null;
}

function cpuText(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 10_000 ? `${(ms / 1000).toFixed(3)}s` : `${(ms / 1000).toFixed(1)}s`;
}

export function exitRow(e: ExitedProcess, nowMs: number, epochNowMs: number, ascii: boolean): Segment[] {
  const a = e.accounting;
  return [
    { text: `${formatClock(epochNowMs - (nowMs - e.exitMs))} `, style: 'dim' },
    { text: `${fitRight(String(e.pid), 7)} `, style: 'value' },
    { text: `${fitLeft(statusText(e), 12)} `, style: exitUnknown(e) ? 'dim' : exitFailed(e) ? 'bad' : 'good' },
    { text: `${fitRight(e.lifetimeMs === null ? '?' : formatDuration(e.lifetimeMs), 9)} `, style: 'value' },
    { text: `${fitRight(cpuText(a?.cpuMs ?? null), 8)} `, style: 'value' },
    { text: `${fitRight(a === null ? '-' : formatBytes(a.peakRssKiB * 1024), 6)} `, style: 'value' },
    { text: toCellText(exitCommand(e), ascii), style: 'text' },
  ];
}

export function commandRow(r: CommandRow, ascii: boolean): Segment[] {
  return [
    { text: `${fitRight(String(r.count), 7)} `, style: 'value' },
    { text: `${fitRight(String(r.failures), 7)} `, style: r.failures > 0 ? 'bad' : 'value' },
    { text: `${fitRight(r.exitsPerSecond.toFixed(1), 8)} `, style: 'value' },
    { text: `${fitRight((r.cpuMs / 1000).toFixed(2), 9)} `, style: 'value' },
    { text: `${fitRight(formatPercent(r.cpuPercent), 6)} `, style: 'value' },
    { text: `${fitRight(r.peakRssKiB > 0 ? formatBytes(r.peakRssKiB * 1024) : '-', 6)} `, style: 'value' },
    { text: toCellText(r.command, ascii), style: 'text' },
  ];
}

function draw(canvas: Canvas, area: Rect, input: FrameInput): ScreenDraw {
  const { state, engine, rowContext: ctx } = input;
  const view = state.exitedView;
  const pausedAt = state.pausedAt.exited;
  const paused = pausedAt === undefined ? '' : ' PAUSED (Z resumes)';
  const filter = state.filterText === '' ? '' : `, filter: ${toCellText(state.filterText, ctx.ascii)}`;
  const page = Math.max(1, area.height - 3);
  if (view.byCommand) {
    const windowMs = Math.min(60_000, Math.max(1000, ctx.nowMs - engine.status.startedMs));
    const rows = commandRows(engine.exitsByCommand(), windowMs, view, state.filterText);
    const commands = rows.map((r) => r.command);
    const inner = drawBox(
      canvas,
      area,
      `Exited by command, last ${Math.round(windowMs / 1000)} s${paused}${filter}`,
      ctx.ascii,
    );
    const placed = drawRows(canvas, inner, header(COMMAND_COLUMNS, view, ctx.ascii), commands, input, (i) =>
      commandRow(rows[i] as CommandRow, ctx.ascii),
    );
    if (rows.length === 0) canvas.write(inner.x, inner.y + 1, 'no exits in the last minute', 'dim', inner.width);
    return { charts: [], rows: rows.length, page, selectable: { items: commands, ...placed } };
  }
  const rows = exitedRowsCached(engine.exited, view, state.filterText, pausedAt);
  const inner = drawBox(
    canvas,
    area,
    `Exited: ${rows.length} of ${engine.exited.length} held${paused}${filter}`,
    ctx.ascii,
  );
  const placed = drawRows(canvas, inner, header(EXIT_COLUMNS, view, ctx.ascii), rows, input, (i) =>
    exitRow(rows[i] as ExitedProcess, ctx.nowMs, input.epochNowMs, ctx.ascii),
  );
  if (rows.length === 0)
    canvas.write(
      inner.x,
      inner.y + 1,
      state.filterText === '' ? 'no process has exited yet' : 'no exit matches the filter (F4 to edit, Esc clears)',
      'dim',
      inner.width,
    );
  return { charts: [], rows: rows.length, page, selectable: { items: rows, ...placed } };
}

/** The header and the page of rows around the selection, the selected row in the selection's colours. */
function drawRows(
  canvas: Canvas,
  inner: Rect,
  headerText: string,
  items: readonly (ExitedProcess | string)[],
  input: FrameInput,
  segments: (i: number) => Segment[],
): { index: number; top: number } {
  const page = Math.max(1, inner.height - 1);
  const placed = placeSelection(
    items,
    input.state.exitedSelection,
    (item) => item,
    input.state.scroll.exited ?? 0,
    page,
  );
  canvas.write(inner.x, inner.y, fitLeft(headerText, inner.width), 'columnHeader', inner.width);
  const end = Math.min(items.length, placed.top + page);
  for (let i = placed.top; i < end; i++) {
    const y = inner.y + 1 + i - placed.top;
    const row = segments(i);
    if (i === placed.index)
      canvas.write(inner.x, y, fitLeft(row.map((s) => s.text).join(''), inner.width), 'selected', inner.width);
    else canvas.writeSegments(inner.x, y, row, inner.width);
  }
  return placed;
}

export const EXITED_SCREEN: Screen = { id: 'exited', title: 'Exited', bindings: EXITED_BINDINGS, draw };
