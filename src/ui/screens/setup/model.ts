// F2 setup (htop's Setup, also on C and S): three sections edited in place, each change applied at
// once (columns, meters, view options) and the whole saved to the settings file when setup closes.
// Pure: the items of a section and what an edit does to the UI state.
import { COLUMNS, columnById, type ColumnId } from '../../columns.js';
import type { UiState } from '../../ui-state.js';
import { ALL_METER_IDS, type MeterId, type SavablePreferences } from '../../viewer-preferences.js';

export const SETUP_SECTIONS = ['columns', 'meters', 'display'] as const;
export type SetupSection = (typeof SETUP_SECTIONS)[number];
export const SECTION_TITLES: Readonly<Record<SetupSection, string>> = {
  columns: 'Columns',
  meters: 'Meters',
  display: 'Display options',
};

/** The options of the Display section, in order. */
export const DISPLAY_OPTIONS = [
  'tree',
  'kernelThreads',
  'highlight',
  'highlightSeconds',
  'interval',
  'color',
  'ascii',
] as const;
export type DisplayOption = (typeof DISPLAY_OPTIONS)[number];

/** What setup edits beyond the columns and meters (kept in UiState.display). */
export interface DisplaySettings {
  readonly highlightChanges: boolean;
  readonly highlightMs: number;
  readonly refreshMs: number;
  /** Colours and ASCII take effect at the next start (the terminal is set up once); saved from here. */
  readonly color: boolean;
  readonly ascii: boolean;
}

export type SetupEdit = 'toggle' | 'moveUp' | 'moveDown' | 'increase' | 'decrease';

export interface SetupItem {
  readonly label: string;
  /** [x] / [ ] for a shown column or meter or an on/off option; null for a value. */
  readonly checked: boolean | null;
  readonly value?: string;
  readonly help: string;
}

const METER_LABELS: Readonly<Record<MeterId, string>> = {
  cpu: 'CPU, one bar per core',
  cpuavg: 'CPU, all cores in one bar',
  exits: 'Ext: CPU of the processes that exited',
  memory: 'Memory',
  swap: 'Swap',
  tasks: 'Tasks',
  load: 'Load average',
  uptime: 'Uptime',
};

/** Shown first, in their order, then the ones not shown, in the offered order. */
function ordered<T>(shown: readonly T[], all: readonly T[]): T[] {
  return [...shown, ...all.filter((id) => !shown.includes(id))];
}

export function columnOrder(state: UiState): ColumnId[] {
  return ordered(
    state.columns,
    COLUMNS.map((c) => c.id),
  );
}

export function meterOrder(state: UiState): MeterId[] {
  return ordered(state.meters, ALL_METER_IDS);
}

export function setupItems(state: UiState, section: SetupSection): SetupItem[] {
  switch (section) {
    case 'columns':
      return columnOrder(state).map((id) => {
        const c = columnById(id);
        return {
          label: c.label,
          checked: id === 'command' || state.columns.includes(id),
          help: id === 'command' ? `${c.description} (always shown, last)` : c.description,
        };
      });
    case 'meters':
      return meterOrder(state).map((id) => ({
        label: METER_LABELS[id],
        checked: state.meters.includes(id),
        help:
          id === 'exits'
            ? 'CPU% burned by processes that exited in the last interval'
            : `the ${METER_LABELS[id]} meter`,
      }));
    case 'display': {
      const d = state.display;
      return DISPLAY_OPTIONS.map((o): SetupItem => {
        switch (o) {
          case 'tree':
            return {
              label: 'Tree view',
              checked: state.treeView,
              help: 'the process tree (F5 / t switch it any time)',
            };
          case 'kernelThreads':
            return { label: 'Show kernel threads', checked: !state.hideKernelThreads, help: 'list kernel threads (K)' };
          case 'highlight':
            return { label: 'Highlight new processes', checked: d.highlightChanges, help: "htop's -H" };
          case 'highlightSeconds':
            return {
              label: 'Highlight duration',
              checked: null,
              value: `${Math.round(d.highlightMs / 1000)} s`,
              help: '+ / - change it',
            };
          case 'interval':
            return {
              label: 'Update interval',
              checked: null,
              value: `${(d.refreshMs / 1000).toFixed(1)} s`,
              help: 'CPU%, memory and meters (events are live anyway); + / -',
            };
          case 'color':
            return { label: 'Colours', checked: d.color, help: 'takes effect at the next start' };
          case 'ascii':
            return {
              label: 'ASCII only',
              checked: d.ascii,
              help: 'ASCII tree guides and boxes; takes effect at the next start',
            };
        }
      });
    }
  }
}

/** Where item `index` of `section` is after an edit moved things around (the selection follows it). */
export function indexAfterEdit(before: UiState, after: UiState, section: SetupSection, index: number): number {
  if (section === 'display') return index;
  const order = (s: UiState): readonly string[] => (section === 'columns' ? columnOrder(s) : meterOrder(s));
  const id = order(before)[index];
  const at = id === undefined ? -1 : order(after).indexOf(id);
  return at < 0 ? index : at;
}

/** The UI state after `edit` on item `index` of `section`. */
export function applySetupEdit(state: UiState, section: SetupSection, index: number, edit: SetupEdit): UiState {
  switch (section) {
    case 'columns': {
      const id = columnOrder(state)[index];
      // Command is the tree's column: always there, always last.
      if (id === undefined || id === 'command') return state;
      const columns = editList(
        state.columns.filter((c) => c !== 'command'),
        id,
        edit,
      );
      return columns === null ? state : { ...state, columns: [...columns, 'command'] };
    }
    case 'meters': {
      const id = meterOrder(state)[index];
      if (id === undefined) return state;
      const meters = editList(state.meters, id, edit);
      return meters === null ? state : { ...state, meters };
    }
    case 'display':
      return editDisplay(state, DISPLAY_OPTIONS[index], edit);
  }
}

/** Toggle adds or removes `id`; moves swap it with its neighbour among the shown ones. Null: no change. */
function editList<T>(shown: readonly T[], id: T, edit: SetupEdit): T[] | null {
  const at = shown.indexOf(id);
  if (edit === 'toggle') return at < 0 ? [...shown, id] : shown.filter((x) => x !== id);
  if (at < 0 || (edit !== 'moveUp' && edit !== 'moveDown')) return null;
  const to = edit === 'moveUp' ? at - 1 : at + 1;
  if (to < 0 || to >= shown.length) return null;
  const next = [...shown];
  next[at] = shown[to] as T;
  next[to] = id;
  return next;
}

const HIGHLIGHT_STEPS_S = [1, 2, 3, 5, 10, 30, 60, 300, 3600];
const INTERVAL_STEPS_MS = [100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000, 60_000];

function step(values: readonly number[], current: number, up: boolean): number {
  if (up) return values.find((v) => v > current) ?? current;
  return [...values].reverse().find((v) => v < current) ?? current;
}

function editDisplay(state: UiState, option: DisplayOption | undefined, edit: SetupEdit): UiState {
  const d = state.display;
  const up = edit === 'increase';
  const change = edit === 'increase' || edit === 'decrease';
  switch (option) {
    case 'tree':
      return edit === 'toggle' ? { ...state, treeView: !state.treeView } : state;
    case 'kernelThreads':
      return edit === 'toggle' ? { ...state, hideKernelThreads: !state.hideKernelThreads } : state;
    case 'highlight':
      return edit === 'toggle' ? { ...state, display: { ...d, highlightChanges: !d.highlightChanges } } : state;
    case 'highlightSeconds':
      return change
        ? { ...state, display: { ...d, highlightMs: step(HIGHLIGHT_STEPS_S, d.highlightMs / 1000, up) * 1000 } }
        : state;
    case 'interval':
      return change ? { ...state, display: { ...d, refreshMs: step(INTERVAL_STEPS_MS, d.refreshMs, up) } } : state;
    case 'color':
      return edit === 'toggle' ? { ...state, display: { ...d, color: !d.color } } : state;
    case 'ascii':
      return edit === 'toggle' ? { ...state, display: { ...d, ascii: !d.ascii } } : state;
    case undefined:
      return state;
  }
}

/** What the settings file keeps, from the state setup leaves (the flat list's sort: htop saves its sort_key). */
export function savableFrom(state: UiState): SavablePreferences {
  const d = state.display;
  return {
    sortColumn: state.sortFlat.key,
    sortDescending: state.sortFlat.descending,
    tree: state.treeView,
    columns: state.columns,
    meters: state.meters,
    refreshMs: d.refreshMs,
    showKernelThreads: !state.hideKernelThreads,
    highlightChanges: d.highlightChanges,
    highlightMs: d.highlightMs,
    color: d.color,
    ascii: d.ascii,
  };
}
