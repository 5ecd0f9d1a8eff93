import { describe, expect, it } from 'vitest';
import { indexOfSelection, initialUiState, reduce, type Action, type UiState } from '../../../src/ui/ui-state.js';

const run = (actions: Action[], from: UiState = initialUiState()): UiState => actions.reduce(reduce, from);

describe('ui-state reducer', () => {
  const order = [10, 20, 30, 40];

  it('moves the selection by pid and clamps at both ends', () => {
    let s = run([{ type: 'moveTo', index: 1, order }]);
    expect(s.selectedPid).toBe(20);
    s = run([{ type: 'moveBy', delta: 10, order }], s);
    expect(s.selectedPid).toBe(40);
    s = run([{ type: 'moveBy', delta: -99, order }], s);
    expect(s.selectedPid).toBe(10);
  });

  it('keeps the selection on the same process when the order changes', () => {
    const s = run([{ type: 'moveTo', index: 2, order }]);
    expect(indexOfSelection(s, [30, 10, 20, 40])).toBe(0);
    // Gone from the list: the selection stays where it was on screen.
    expect(indexOfSelection(s, [10, 20, 40, 50])).toBe(2);
    expect(indexOfSelection(s, [10])).toBe(0);
  });

  it('keeps a separate sort per view and starts numeric columns descending', () => {
    let s = run([{ type: 'setSort', key: 'mem' }]);
    expect(s.sortTree).toEqual({ key: 'mem', descending: true });
    expect(s.sortFlat).toEqual({ key: 'cpu', descending: true });
    s = run([{ type: 'toggleTree' }, { type: 'setSort', key: 'pid' }, { type: 'invertSort' }], s);
    expect(s.sortFlat).toEqual({ key: 'pid', descending: true });
    expect(s.sortTree.key).toBe('mem');
  });

  it('cycles the sort column in both directions, wrapping around', () => {
    const s = run([{ type: 'cycleSort', delta: -1 }]);
    expect(s.sortTree.key).toBe('command');
    expect(run([{ type: 'cycleSort', delta: 1 }], s).sortTree.key).toBe('pid');
  });

  it('edits the filter live, keeps it on Enter and clears it on Escape', () => {
    let s = run([
      { type: 'startInput', target: 'filter' },
      { type: 'inputChar', ch: 'v' },
      { type: 'inputChar', ch: 'x' },
      { type: 'inputBackspace' },
      { type: 'inputChar', ch: 'i' },
    ]);
    expect(s.filterText).toBe('vi');
    s = run([{ type: 'inputAccept' }], s);
    expect(s.mode.kind).toBe('normal');
    expect(s.filterText).toBe('vi');
    s = run([{ type: 'startInput', target: 'filter' }, { type: 'inputCancel' }], s);
    expect(s.filterText).toBe('');
  });

  it('starts each search empty and leaves the filter alone', () => {
    const s = run([
      { type: 'startInput', target: 'filter' },
      { type: 'inputChar', ch: 'a' },
      { type: 'inputAccept' },
      { type: 'startInput', target: 'search' },
      { type: 'inputChar', ch: 'b' },
    ]);
    expect(s.searchText).toBe('b');
    expect(s.filterText).toBe('a');
  });

  it('tags, collapses and toggles without sharing sets between states', () => {
    const before = initialUiState();
    const after = run(
      [
        { type: 'toggleTag', pid: 5 },
        { type: 'setCollapsed', pid: 7, collapsed: true },
      ],
      before,
    );
    expect([...after.tagged]).toEqual([5]);
    expect([...after.collapsed]).toEqual([7]);
    expect(before.tagged.size + before.collapsed.size).toBe(0);
    expect(run([{ type: 'toggleTag', pid: 5 }, { type: 'clearTags' }], after).tagged.size).toBe(0);
  });

  it('clamps menu moves to the menu size and returns to normal on close', () => {
    let s = run([
      { type: 'openMenu', menu: 'signal', index: 14 },
      { type: 'menuMove', delta: 100, size: 31 },
    ]);
    expect(s.mode).toEqual({ kind: 'menu', menu: 'signal', index: 30 });
    s = run([{ type: 'closeModal' }], s);
    expect(s.mode.kind).toBe('normal');
  });

  it('cycles the screens both ways, wrapping, and keeps scroll and pause per screen', () => {
    let s = run([{ type: 'cycleScreen', delta: -1 }]);
    expect(s.screen).toBe('connector');
    s = run(
      [
        { type: 'cycleScreen', delta: 1 },
        { type: 'cycleScreen', delta: 1 },
      ],
      s,
    );
    expect(s.screen).toBe('exited');
    s = run(
      [
        { type: 'scrollBy', delta: 50, max: 20 },
        { type: 'togglePause', nowMs: 1234 },
      ],
      s,
    );
    expect(s.scroll).toEqual({ exited: 20 });
    expect(s.pausedAt).toEqual({ exited: 1234 });
    s = run(
      [
        { type: 'setScreen', screen: 'events' },
        { type: 'scrollBy', delta: -5, max: 20 },
      ],
      s,
    );
    expect(s.scroll).toEqual({ exited: 20, events: 0 });
    expect(
      run(
        [
          { type: 'setScreen', screen: 'exited' },
          { type: 'togglePause', nowMs: 9 },
        ],
        s,
      ).pausedAt,
    ).toEqual({});
  });

  it('sorts the exited list by a column (numbers biggest first), cycles and inverts, and folds it by command', () => {
    let s = run([{ type: 'exitedSort', key: 'cpu' }]);
    expect(s.exitedView).toEqual({ sort: 'cpu', descending: true, byCommand: false });
    s = run([{ type: 'exitedCycleSort', delta: 1 }, { type: 'exitedInvert' }, { type: 'toggleByCommand' }], s);
    expect(s.exitedView).toEqual({ sort: 'rss', descending: false, byCommand: true });
  });
});
