// Where the Exited list's selection is and which rows show: the selection is kept by identity (the
// ring entry, or a by-command row's command), so it stays on its row while exits arrive above it, and
// falls back to its last index when that row leaves the list. Pure.
import type { RowSelection } from '../../ui-state.js';

export interface Placement {
  /** Row of the selection in the list, -1 when the list is empty. */
  readonly index: number;
  /** First row shown: the selection is always on screen. */
  readonly top: number;
}

export function placeSelection<T>(
  items: readonly T[],
  selection: RowSelection,
  keyOf: (item: T) => unknown,
  previousTop: number,
  page: number,
): Placement {
  if (items.length === 0) return { index: -1, top: 0 };
  let index = -1;
  if (selection.key !== null) {
    // Most frames the selection is where it was; look there before scanning.
    const at = items[selection.index];
    if (at !== undefined && keyOf(at) === selection.key) index = selection.index;
    else index = items.findIndex((item) => keyOf(item) === selection.key);
  }
  if (index < 0) index = Math.min(Math.max(0, selection.index), items.length - 1);
  return { index, top: topFor(index, previousTop, page, items.length) };
}

/** The first row to show so that `index` is on a page of `page` rows, moving as little as possible. */
export function topFor(index: number, previousTop: number, page: number, count: number): number {
  const rows = Math.max(1, page);
  let top = Math.min(Math.max(0, previousTop), Math.max(0, count - rows));
  if (index < top) top = index;
  else if (index >= top + rows) top = index - rows + 1;
  return Math.max(0, top);
}
