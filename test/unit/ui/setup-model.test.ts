// F2 setup's edits: columns and meters shown, hidden and moved; Command always there and last; the
// display values step through their choices; what is saved is what setup shows.
import { describe, expect, it } from 'vitest';
import {
  applySetupEdit,
  columnOrder,
  indexAfterEdit,
  savableFrom,
  setupItems,
} from '../../../src/ui/screens/setup/model.js';
import { initialUiState } from '../../../src/ui/ui-state.js';
import type { ViewerPreferences } from '../../../src/ui/viewer-preferences.js';

describe('setup model', () => {
  it('shows a column at the end of the shown ones (before Command) and hides it again', () => {
    const state = initialUiState();
    const shr = columnOrder(state).indexOf('shr');
    const on = applySetupEdit(state, 'columns', shr, 'toggle');
    expect(on.columns.slice(-2)).toEqual(['shr', 'command']);
    expect(indexAfterEdit(state, on, 'columns', shr)).toBe(columnOrder(on).indexOf('shr'));
    const off = applySetupEdit(on, 'columns', columnOrder(on).indexOf('shr'), 'toggle');
    expect(off.columns).toEqual(state.columns);
  });

  it('never hides or moves Command, and does not move a column past the ends', () => {
    const state = initialUiState();
    const command = columnOrder(state).indexOf('command');
    expect(applySetupEdit(state, 'columns', command, 'toggle')).toBe(state);
    expect(applySetupEdit(state, 'columns', command, 'moveUp')).toBe(state);
    expect(applySetupEdit(state, 'columns', 0, 'moveUp')).toBe(state);
    const moved = applySetupEdit(state, 'columns', 0, 'moveDown');
    expect(moved.columns.slice(0, 2)).toEqual(['user', 'pid']);
  });

  it('steps the interval and the highlight through their choices and stops at the ends', () => {
    let state = initialUiState({ ...initialUiStatePrefs(), refreshMs: 1000 });
    const interval = setupItems(state, 'display').findIndex((i) => i.label === 'Update interval');
    state = applySetupEdit(state, 'display', interval, 'increase');
    expect(state.display.refreshMs).toBe(1500);
    for (let i = 0; i < 20; i++) state = applySetupEdit(state, 'display', interval, 'decrease');
    expect(state.display.refreshMs).toBe(100);
    expect(savableFrom(state).refreshMs).toBe(100);
  });
});

function initialUiStatePrefs(): ViewerPreferences {
  const s = initialUiState();
  return {
    sortColumn: s.sortFlat.key,
    sortDescending: s.sortFlat.descending,
    tree: s.treeView,
    columns: s.columns,
    meters: s.meters,
    refreshMs: s.display.refreshMs,
    showKernelThreads: false,
    highlightChanges: true,
    highlightMs: 3000,
    color: true,
    ascii: false,
    mouse: true,
    user: null,
    pids: null,
    filter: null,
    readonly: false,
    maxIterations: null,
  };
}
