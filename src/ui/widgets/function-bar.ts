// The bottom line: htop's function-key bar, or the search/filter input line while typing, with the
// active filters and any one-line message on the right.
import type { Canvas, Segment } from '../canvas.js';
import { toCellText } from '../format.js';
import type { UiState } from '../ui-state.js';

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['F1', 'Help'],
  ['F2', 'Setup'],
  ['F3', 'Search'],
  ['F4', 'Filter'],
  ['F5', 'Tree'],
  ['F6', 'SortBy'],
  ['F7', 'Nice-'],
  ['F8', 'Nice+'],
  ['F9', 'Kill'],
  ['F10', 'Quit'],
];

export function functionBarSegments(state: UiState, ascii: boolean): Segment[] {
  if (state.mode.kind === 'input') {
    const search = state.mode.target === 'search';
    const text = toCellText(search ? state.searchText : state.filterText, ascii);
    return [
      { text: search ? 'Search: ' : 'Filter: ', style: 'fkeyLabel' },
      { text: `${text}_ `, style: 'input' },
      { text: search ? '  Enter:done  F3:next  Esc:cancel' : '  Enter:done  Esc:clear', style: 'dim' },
    ];
  }
  const segments: Segment[] = [];
  for (const [key, label] of KEYS) {
    segments.push({ text: key, style: 'fkey' });
    const text = key === 'F5' ? (state.treeView ? 'List' : 'Tree') : label;
    // The last label unpadded: ten keys then fit 80 columns exactly as htop's bar does.
    segments.push({ text: key === 'F10' ? text : text.padEnd(6), style: 'fkeyLabel' });
  }
  return segments;
}

/** Flags and messages for the right end of the bar: what is narrowing the view right now. */
export function statusSegments(state: UiState, ascii: boolean): Segment[] {
  const out: Segment[] = [];
  if (state.message !== null) out.push({ text: ` ${toCellText(state.message, ascii)} `, style: 'warn' });
  if (state.filterText !== '' && state.mode.kind !== 'input')
    out.push({ text: ` filter:${toCellText(state.filterText, ascii)} `, style: 'input' });
  if (state.userFilter !== null) out.push({ text: ` user:${toCellText(state.userFilter, ascii)} `, style: 'input' });
  if (state.tagged.size > 0) out.push({ text: ` ${state.tagged.size} tagged `, style: 'tagged' });
  if (state.followNew) out.push({ text: ' follow ', style: 'good' });
  if (state.screen === 'processes' && state.pausedAt.processes !== undefined)
    out.push({ text: ' PAUSED ', style: 'warn' });
  if (!state.hideKernelThreads) out.push({ text: ' kthreads ', style: 'dim' });
  return out;
}

export function drawFunctionBar(canvas: Canvas, y: number, state: UiState, ascii: boolean): void {
  canvas.fill({ x: 0, y, width: canvas.width, height: 1 }, 'fkeyLabel');
  const end = canvas.writeSegments(0, y, functionBarSegments(state, ascii));
  const status = statusSegments(state, ascii);
  const width = status.reduce((n, s) => n + s.text.length, 0);
  // Flags go right-aligned after the keys and never over them (at 80 columns they covered F10Quit):
  // what does not fit is cut, the message (first) kept longest, the cut marked with '…'.
  const x = Math.max(end, canvas.width - width);
  canvas.fill({ x: end, y, width: canvas.width - end, height: 1 }, 'text');
  const room = canvas.width - x;
  canvas.writeSegments(x, y, status, room);
  if (width > room && room > 0) canvas.write(canvas.width - 1, y, ascii ? '>' : '…', 'warn');
}
