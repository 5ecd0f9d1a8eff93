// The UI's state and its pure reducer: selection (by pid), sort per view, tree/flat, collapsed
// subtrees, filter, search, tags, user filter, toggles, which pane and which modal is open.
// Nothing here reads the engine or the terminal; actions carry whatever context they need.
import type { ExitedProcess, Pid } from '../core/types.js';
import { assertNever } from '../core/types.js';
import { columnById, type ColumnId } from './columns.js';
import { DEFAULT_PREFERENCES, type MeterId, type ViewerPreferences } from './viewer-preferences.js';
import {
  applySetupEdit,
  indexAfterEdit,
  SETUP_SECTIONS,
  setupItems,
  type DisplaySettings,
  type SetupEdit,
  type SetupSection,
} from './screens/setup/model.js';

/** The screens (htop 3's tabs), in tab order; each has its folder under src/ui/screens/. */
export const SCREEN_IDS = ['processes', 'exited', 'events', 'history', 'connector'] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];
export type ExitedSortKey = 'time' | 'lifetime' | 'cpu' | 'rss' | 'status' | 'command';
export const EXITED_SORT_KEYS: readonly ExitedSortKey[] = ['time', 'lifetime', 'cpu', 'rss', 'status', 'command'];

/** The Exited screen's own settings. */
export interface ExitedView {
  readonly sort: ExitedSortKey;
  readonly descending: boolean;
  /** One row per command (totals over the last minute) instead of one per exit. */
  readonly byCommand: boolean;
}

/**
 * The selected row of a list without pids (Exited): the row's identity (the ring entry, or the command
 * of a by-command row), so the selection stays on it while rows come and go, and its last index for
 * when it leaves the list.
 */
export interface RowSelection {
  readonly key: ExitedProcess | string | null;
  readonly index: number;
}
export type MenuKind = 'signal' | 'sort' | 'user';
export type InputTarget = 'search' | 'filter';

export type Confirmation =
  { readonly kind: 'signal'; readonly signal: number; readonly pids: readonly Pid[] } | { readonly kind: 'repair' };

export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'input'; readonly target: InputTarget }
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'menu'; readonly menu: MenuKind; readonly index: number }
  | { readonly kind: 'confirm'; readonly confirmation: Confirmation }
  /** `cgroup`: read when Enter was pressed (null: gone or not readable). */
  | { readonly kind: 'details'; readonly pid: Pid; readonly cgroup: string | null }
  /** Enter on an Exited row: that exit (the ring may drop it meanwhile; the panel keeps it). */
  | { readonly kind: 'exitDetails'; readonly exit: ExitedProcess }
  /** htop's e: the environment read when the key was pressed (sanitized when drawn). */
  | { readonly kind: 'environment'; readonly pid: Pid; readonly lines: readonly string[] }
  /** F2 setup: the section on show and the selected item in it. */
  | { readonly kind: 'setup'; readonly section: SetupSection; readonly index: number };

export interface SortSpec {
  readonly key: ColumnId;
  readonly descending: boolean;
}

export interface UiState {
  readonly mode: Mode;
  readonly treeView: boolean;
  /** htop keeps a separate sort for each view: tree siblings by PID, the flat list by CPU%. */
  readonly sortTree: SortSpec;
  readonly sortFlat: SortSpec;
  readonly collapsed: ReadonlySet<Pid>;
  readonly filterText: string;
  readonly searchText: string;
  readonly selectedPid: Pid | null;
  /** Where the selection last was; used when the selected process leaves the list. */
  readonly selectedIndex: number;
  readonly tagged: ReadonlySet<Pid>;
  readonly userFilter: string | null;
  readonly showThreads: boolean;
  readonly hideKernelThreads: boolean;
  /** Selection jumps to each newly started process. */
  readonly followNew: boolean;
  /** The screen (tab) on show. */
  readonly screen: ScreenId;
  /** First row shown on the scrolling screens (Exited, Events), by screen; the process list scrolls with its selection. */
  readonly scroll: Readonly<Partial<Record<ScreenId, number>>>;
  /** htop's Z, by screen: the monotonic time the screen froze at (rows after it are held back), or absent. */
  readonly pausedAt: Readonly<Partial<Record<ScreenId, number>>>;
  readonly exitedView: ExitedView;
  readonly exitedSelection: RowSelection;
  /** Cells the Command column is scrolled left (Left/Right), to read a long command line. */
  readonly commandScroll: number;
  /** Digits typed so far to select a process by PID (htop); cleared by any other key or a pause. */
  readonly pidTyped: string;
  /** One line of feedback (a failed kill, a repair result); the app clears it after a few seconds. */
  readonly message: string | null;
  /** The process table's columns in order (F2 setup); Command is always drawn, last. */
  readonly columns: readonly ColumnId[];
  /** The header's meters in order (F2 setup). */
  readonly meters: readonly MeterId[];
  /** htop's -p: only these processes, or null for all. */
  readonly pidFilter: ReadonlySet<Pid> | null;
  /** Highlighting, interval, colours and ASCII as F2 setup shows and saves them. */
  readonly display: DisplaySettings;
}

export type Action =
  | { readonly type: 'moveBy'; readonly delta: number; readonly order: readonly Pid[] }
  | { readonly type: 'moveTo'; readonly index: number; readonly order: readonly Pid[] }
  | { readonly type: 'select'; readonly pid: Pid; readonly index: number }
  | { readonly type: 'toggleTree' }
  | { readonly type: 'setSort'; readonly key: ColumnId }
  | { readonly type: 'cycleSort'; readonly delta: 1 | -1 }
  | { readonly type: 'invertSort' }
  | { readonly type: 'setCollapsed'; readonly pid: Pid; readonly collapsed: boolean }
  | { readonly type: 'startInput'; readonly target: InputTarget }
  | { readonly type: 'inputChar'; readonly ch: string }
  | { readonly type: 'inputBackspace' }
  | { readonly type: 'inputAccept' }
  | { readonly type: 'inputCancel' }
  | { readonly type: 'toggleTag'; readonly pid: Pid }
  | { readonly type: 'clearTags' }
  | { readonly type: 'openMenu'; readonly menu: MenuKind; readonly index: number }
  | { readonly type: 'menuMove'; readonly delta: number; readonly size: number }
  | { readonly type: 'openHelp' }
  /** `max`: the scroll that brings the help's last line on screen; scrolling never counts lines past it. */
  | { readonly type: 'helpScroll'; readonly delta: number; readonly max: number }
  | { readonly type: 'confirm'; readonly confirmation: Confirmation }
  | { readonly type: 'closeModal' }
  | { readonly type: 'setUserFilter'; readonly user: string | null }
  | { readonly type: 'toggleThreads' }
  | { readonly type: 'toggleKernelThreads' }
  | { readonly type: 'toggleFollow' }
  | { readonly type: 'setScreen'; readonly screen: ScreenId }
  | { readonly type: 'cycleScreen'; readonly delta: 1 | -1 }
  /** `max`: the last first-row that still fills the screen. */
  | { readonly type: 'scrollBy'; readonly delta: number; readonly max: number }
  | { readonly type: 'togglePause'; readonly nowMs: number }
  | { readonly type: 'exitedSort'; readonly key: ExitedSortKey }
  | { readonly type: 'exitedCycleSort'; readonly delta: 1 | -1 }
  | { readonly type: 'exitedInvert' }
  | { readonly type: 'toggleByCommand' }
  | { readonly type: 'pidTyped'; readonly text: string }
  | { readonly type: 'openDetails'; readonly pid: Pid; readonly cgroup: string | null }
  | { readonly type: 'openExitDetails'; readonly exit: ExitedProcess }
  /** Selects a row of the Exited list; `top` is the first row to show so that it is on screen. */
  | {
      readonly type: 'selectExitedRow';
      readonly key: ExitedProcess | string | null;
      readonly index: number;
      readonly top: number;
    }
  | { readonly type: 'openEnvironment'; readonly pid: Pid; readonly lines: readonly string[] }
  | { readonly type: 'scrollCommand'; readonly delta: number }
  | { readonly type: 'setMessage'; readonly text: string | null }
  | { readonly type: 'setFilter'; readonly text: string }
  /** F2 setup: the shown columns and meters. */
  | { readonly type: 'setColumns'; readonly columns: readonly ColumnId[] }
  | { readonly type: 'setMeters'; readonly meters: readonly MeterId[] }
  | { readonly type: 'openSetup' }
  | { readonly type: 'setupMove'; readonly delta: number }
  | { readonly type: 'setupSection'; readonly delta: 1 | -1 }
  | { readonly type: 'setupEdit'; readonly edit: SetupEdit };

export function initialUiState(prefs: ViewerPreferences = DEFAULT_PREFERENCES): UiState {
  return {
    mode: { kind: 'normal' },
    treeView: prefs.tree,
    sortTree:
      prefs.sortTreeToo === true
        ? { key: prefs.sortColumn, descending: prefs.sortDescending }
        : { key: 'pid', descending: false },
    sortFlat: { key: prefs.sortColumn, descending: prefs.sortDescending },
    collapsed: new Set(),
    filterText: prefs.filter ?? '',
    searchText: '',
    selectedPid: null,
    selectedIndex: 0,
    tagged: new Set(),
    userFilter: prefs.user,
    showThreads: false,
    // Kernel threads hidden by default (K shows them): dozens of kworkers are rarely what one looks for.
    hideKernelThreads: !prefs.showKernelThreads,
    followNew: false,
    screen: 'processes',
    scroll: {},
    pausedAt: {},
    exitedView: { sort: 'time', descending: true, byCommand: false },
    exitedSelection: { key: null, index: 0 },
    commandScroll: 0,
    pidTyped: '',
    message: prefs.startMessage ?? null,
    columns: prefs.columns,
    meters: prefs.meters,
    pidFilter: prefs.pids === null ? null : new Set(prefs.pids),
    display: {
      highlightChanges: prefs.highlightChanges,
      highlightMs: prefs.highlightMs,
      refreshMs: prefs.refreshMs,
      color: prefs.color,
      ascii: prefs.ascii,
    },
  };
}

/** The columns the sort keys cycle over and the sort menu lists: the shown ones, Command included. */
export function sortableColumns(state: UiState): readonly ColumnId[] {
  return state.columns.includes('command') ? state.columns : [...state.columns, 'command'];
}

/** The sort of the view on screen. */
export function activeSort(state: UiState): SortSpec {
  return state.treeView ? state.sortTree : state.sortFlat;
}

export function reduce(state: UiState, action: Action): UiState {
  switch (action.type) {
    case 'moveBy':
      return moveTo(state, indexOfSelection(state, action.order) + action.delta, action.order);
    case 'moveTo':
      return moveTo(state, action.index, action.order);
    case 'select':
      return { ...state, selectedPid: action.pid, selectedIndex: Math.max(0, action.index) };
    case 'toggleTree':
      return { ...state, treeView: !state.treeView };
    case 'setSort':
      return withSort(state, { key: action.key, descending: columnById(action.key).defaultDescending });
    case 'cycleSort': {
      // Over the shown columns, as htop's sort menu lists the columns of the screen.
      const ids = sortableColumns(state);
      const at = ids.indexOf(activeSort(state).key);
      const next = ids[(at + action.delta + ids.length) % ids.length] ?? 'pid';
      return withSort(state, { key: next, descending: columnById(next).defaultDescending });
    }
    case 'invertSort': {
      const sort = activeSort(state);
      return withSort(state, { key: sort.key, descending: !sort.descending });
    }
    case 'setCollapsed':
      return { ...state, collapsed: withMember(state.collapsed, action.pid, action.collapsed) };
    case 'startInput':
      return {
        ...state,
        mode: { kind: 'input', target: action.target },
        // A new search starts empty (htop); the filter keeps its text so it can be edited.
        searchText: action.target === 'search' ? '' : state.searchText,
      };
    case 'inputChar':
      return editInput(state, (text) => text + action.ch);
    case 'inputBackspace':
      return editInput(state, (text) => text.slice(0, -1));
    case 'inputAccept':
      return { ...state, mode: { kind: 'normal' } };
    case 'inputCancel':
      return inputCancel(state);
    case 'toggleTag':
      return { ...state, tagged: withMember(state.tagged, action.pid, !state.tagged.has(action.pid)) };
    case 'clearTags':
      return { ...state, tagged: new Set() };
    case 'openMenu':
      return { ...state, mode: { kind: 'menu', menu: action.menu, index: action.index } };
    case 'menuMove':
      return menuMove(state, action.delta, action.size);
    case 'openHelp':
      return { ...state, mode: { kind: 'help', scroll: 0 } };
    case 'helpScroll':
      return state.mode.kind === 'help'
        ? { ...state, mode: { kind: 'help', scroll: helpScrolled(state.mode.scroll, action.delta, action.max) } }
        : state;
    case 'confirm':
      return { ...state, mode: { kind: 'confirm', confirmation: action.confirmation } };
    case 'closeModal':
      return { ...state, mode: { kind: 'normal' } };
    case 'setUserFilter':
      return { ...state, userFilter: action.user, mode: { kind: 'normal' } };
    case 'toggleThreads':
      return { ...state, showThreads: !state.showThreads };
    case 'toggleKernelThreads':
      return { ...state, hideKernelThreads: !state.hideKernelThreads };
    case 'toggleFollow':
      return { ...state, followNew: !state.followNew };
    case 'setScreen':
      return { ...state, screen: action.screen };
    case 'cycleScreen': {
      const at = SCREEN_IDS.indexOf(state.screen);
      return {
        ...state,
        screen: SCREEN_IDS[(at + action.delta + SCREEN_IDS.length) % SCREEN_IDS.length] ?? 'processes',
      };
    }
    case 'scrollBy': {
      const top = Math.min(Math.max(0, action.max), Math.max(0, (state.scroll[state.screen] ?? 0) + action.delta));
      return { ...state, scroll: { ...state.scroll, [state.screen]: top } };
    }
    case 'togglePause': {
      if (state.pausedAt[state.screen] === undefined)
        return { ...state, pausedAt: { ...state.pausedAt, [state.screen]: action.nowMs } };
      const { [state.screen]: _resumed, ...stillPaused } = state.pausedAt;
      return { ...state, pausedAt: stillPaused };
    }
    case 'exitedSort':
      return {
        ...state,
        exitedView: {
          ...state.exitedView,
          sort: action.key,
          descending: action.key !== 'command' && action.key !== 'status',
        },
      };
    case 'exitedCycleSort': {
      const at = EXITED_SORT_KEYS.indexOf(state.exitedView.sort);
      const key = EXITED_SORT_KEYS[(at + action.delta + EXITED_SORT_KEYS.length) % EXITED_SORT_KEYS.length] ?? 'time';
      return reduce(state, { type: 'exitedSort', key });
    }
    case 'exitedInvert':
      return { ...state, exitedView: { ...state.exitedView, descending: !state.exitedView.descending } };
    case 'toggleByCommand':
      return {
        ...state,
        exitedView: { ...state.exitedView, byCommand: !state.exitedView.byCommand },
        exitedSelection: { key: null, index: 0 },
        scroll: { ...state.scroll, exited: 0 },
      };
    case 'pidTyped':
      return { ...state, pidTyped: action.text };
    case 'openDetails':
      return { ...state, mode: { kind: 'details', pid: action.pid, cgroup: action.cgroup } };
    case 'openExitDetails':
      return { ...state, mode: { kind: 'exitDetails', exit: action.exit } };
    case 'selectExitedRow':
      return {
        ...state,
        exitedSelection: { key: action.key, index: Math.max(0, action.index) },
        scroll: { ...state.scroll, exited: Math.max(0, action.top) },
      };
    case 'openEnvironment':
      return { ...state, mode: { kind: 'environment', pid: action.pid, lines: action.lines } };
    case 'scrollCommand':
      return { ...state, commandScroll: Math.min(4096, Math.max(0, state.commandScroll + action.delta)) };
    case 'setMessage':
      return { ...state, message: action.text };
    case 'setFilter':
      return { ...state, filterText: action.text };
    case 'setColumns': {
      // A sort column that is no longer shown gives way to PID, as htop's does.
      const shown = (key: ColumnId) => key === 'command' || action.columns.includes(key);
      return {
        ...state,
        columns: action.columns,
        sortFlat: shown(state.sortFlat.key) ? state.sortFlat : { key: 'pid', descending: false },
        sortTree: shown(state.sortTree.key) ? state.sortTree : { key: 'pid', descending: false },
      };
    }
    case 'setMeters':
      return { ...state, meters: action.meters };
    case 'openSetup':
      return { ...state, mode: { kind: 'setup', section: 'columns', index: 0 } };
    case 'setupMove': {
      if (state.mode.kind !== 'setup') return state;
      const size = setupItems(state, state.mode.section).length;
      return {
        ...state,
        mode: { ...state.mode, index: Math.min(size - 1, Math.max(0, state.mode.index + action.delta)) },
      };
    }
    case 'setupSection': {
      if (state.mode.kind !== 'setup') return state;
      const at = SETUP_SECTIONS.indexOf(state.mode.section);
      const section = SETUP_SECTIONS[(at + action.delta + SETUP_SECTIONS.length) % SETUP_SECTIONS.length] ?? 'columns';
      return { ...state, mode: { kind: 'setup', section, index: 0 } };
    }
    case 'setupEdit': {
      if (state.mode.kind !== 'setup') return state;
      const { section, index } = state.mode;
      const edited = applySetupEdit(state, section, index, action.edit);
      // The selection stays on the column or meter it was on, wherever the edit put it.
      const next = {
        ...edited,
        mode: { kind: 'setup' as const, section, index: indexAfterEdit(state, edited, section, index) },
      };
      return reduce(next, { type: 'setColumns', columns: next.columns });
    }
    default:
      return assertNever(action);
  }
}

/** Index of the selected process in `order`, or its last known index when it is no longer listed. */
export function indexOfSelection(state: UiState, order: readonly Pid[]): number {
  if (order.length === 0) return 0;
  if (state.selectedPid !== null) {
    // Most moves are by one row: look at the remembered index first before scanning.
    if (order[state.selectedIndex] === state.selectedPid) return state.selectedIndex;
    const found = order.indexOf(state.selectedPid);
    if (found >= 0) return found;
  }
  return Math.min(Math.max(0, state.selectedIndex), order.length - 1);
}

function moveTo(state: UiState, index: number, order: readonly Pid[]): UiState {
  if (order.length === 0) return { ...state, selectedPid: null, selectedIndex: 0 };
  const clamped = Math.min(Math.max(0, index), order.length - 1);
  return { ...state, selectedPid: order[clamped] ?? null, selectedIndex: clamped };
}

function withSort(state: UiState, sort: SortSpec): UiState {
  return state.treeView ? { ...state, sortTree: sort } : { ...state, sortFlat: sort };
}

function withMember(set: ReadonlySet<Pid>, pid: Pid, present: boolean): ReadonlySet<Pid> {
  if (set.has(pid) === present) return set;
  const next = new Set(set);
  if (present) next.add(pid);
  else next.delete(pid);
  return next;
}

function editInput(state: UiState, edit: (text: string) => string): UiState {
  if (state.mode.kind !== 'input') return state;
  return state.mode.target === 'search'
    ? { ...state, searchText: edit(state.searchText) }
    : { ...state, filterText: edit(state.filterText) };
}

function inputCancel(state: UiState): UiState {
  if (state.mode.kind !== 'input') return state;
  // Escape in the filter bar clears the filter (htop); in search it just stops searching.
  const filterText = state.mode.target === 'filter' ? '' : state.filterText;
  return { ...state, mode: { kind: 'normal' }, filterText, searchText: '' };
}

/**
 * The help's scroll after a move, within 0..max. The current scroll is clamped first (the terminal may
 * have grown since), so that every move the user makes shows on screen.
 */
function helpScrolled(scroll: number, delta: number, max: number): number {
  const limit = Math.max(0, max);
  return Math.min(limit, Math.max(0, Math.min(scroll, limit) + delta));
}

function menuMove(state: UiState, delta: number, size: number): UiState {
  if (state.mode.kind !== 'menu' || size <= 0) return state;
  const index = Math.min(Math.max(0, state.mode.index + delta), size - 1);
  return { ...state, mode: { ...state.mode, index } };
}
