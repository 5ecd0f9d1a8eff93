// What each command does: most become reducer actions (with the order or page size they need);
// signals, nice, repair and quit reach outside through the host.
import type { Pid } from '../core/types.js';
import { assertNever } from '../core/types.js';
import type { EngineView } from '../core/engine-api.js';
import { cgroupOf, environmentOf, reniceAll, signalAll, type SystemActions } from './effects.js';
import type { Command } from './keymap.js';
import { isProcessRow, matchesText, type ProcessOrder } from './process-order.js';
import { indexOfSelection, activeSort, sortableColumns, type Action, type UiState } from './ui-state.js';
import { DEFAULT_SIGNAL_INDEX, MENU_SIGNALS, menuItems } from './widgets/overlays.js';
import { helpMaxScroll } from './widgets/help.js';
import type { ScreenDraw } from './screens/types.js';
import type { SavablePreferences } from './viewer-preferences.js';
import { savableFrom } from './screens/setup/model.js';
import { topFor } from './screens/exited/selection.js';

/** What commands reach outside the UI with (the App's deps satisfy it; no import of the App here). */
export interface CommandDeps {
  readonly engine: EngineView;
  readonly system: SystemActions;
  readonly repair: (() => Promise<string>) | undefined;
  readonly requestExit: (code: number) => void;
  /** --readonly: no signals, no renice, no repair. */
  readonly readonly?: boolean;
  /** F2 setup's save (the settings file); returns the line to show. */
  readonly savePreferences?: (prefs: SavablePreferences) => string;
}

export interface CommandHost {
  readonly deps: CommandDeps;
  readonly state: UiState;
  readonly menuUsers: readonly string[];
  dispatch(action: Action): void;
  order(): ProcessOrder;
  /**
   * The order the last frame showed. Moves are relative to what the user sees, and during a storm a
   * key press must not re-order 10,000 rows that the next frame orders again anyway.
   */
  shownOrder(): ProcessOrder;
  listRows(): number;
  /** Lines of the terminal (the help takes all of them). */
  screenRows(): number;
  openUserMenu(): void;
  /** Rows the screen on show listed in the last frame and how many fit at once. */
  scrollLimits(): { rows: number; page: number };
  /** The last frame's list without pids (Exited), when the screen on show has one. */
  selectableRows(): ScreenDraw['selectable'];
  /** CLOCK_MONOTONIC ms (pausing holds back what comes after it). */
  nowMs(): number;
}

const READ_ONLY = 'read-only (--readonly): no signals, no nice, no repair';

export function runCommand(host: CommandHost, command: Command): void {
  if (command.kind !== 'pidDigit' && host.state.pidTyped !== '') host.dispatch({ type: 'pidTyped', text: '' });
  switch (command.kind) {
    case 'move':
      move(host, command.by);
      return;
    case 'search':
      host.dispatch({ type: 'startInput', target: 'search' });
      return;
    case 'filter':
      host.dispatch({ type: 'startInput', target: 'filter' });
      return;
    case 'nextMatch':
      jumpToMatch(host, 1);
      return;
    case 'toggleTree':
      host.dispatch({ type: 'toggleTree' });
      return;
    case 'sortMenu':
      host.dispatch({
        type: 'openMenu',
        menu: 'sort',
        index: Math.max(0, sortableColumns(host.state).indexOf(activeSort(host.state).key)),
      });
      return;
    case 'cycleSort':
      host.dispatch({ type: 'cycleSort', delta: command.delta });
      return;
    case 'sortBy':
      host.dispatch({ type: 'setSort', key: command.column });
      return;
    case 'invertSort':
      host.dispatch({ type: 'invertSort' });
      return;
    case 'userMenu':
      host.openUserMenu();
      host.dispatch({ type: 'openMenu', menu: 'user', index: 0 });
      return;
    case 'toggleThreads':
      host.dispatch({ type: 'toggleThreads' });
      return;
    case 'toggleKernelThreads':
      host.dispatch({ type: 'toggleKernelThreads' });
      return;
    case 'toggleFollow':
      host.dispatch({ type: 'toggleFollow' });
      return;
    case 'tag':
      tagSelected(host);
      return;
    case 'untagAll':
      host.dispatch({ type: 'clearTags' });
      return;
    case 'signalMenu':
      if (host.deps.readonly === true) {
        host.dispatch({ type: 'setMessage', text: READ_ONLY });
        return;
      }
      host.dispatch({ type: 'openMenu', menu: 'signal', index: DEFAULT_SIGNAL_INDEX });
      return;
    case 'nice':
      if (host.deps.readonly === true) {
        host.dispatch({ type: 'setMessage', text: READ_ONLY });
        return;
      }
      host.dispatch({ type: 'setMessage', text: reniceAll(host.deps.system, targets(host), command.delta) });
      return;
    case 'expand':
    case 'collapse':
      setCollapsed(host, command.kind === 'collapse');
      return;
    case 'cycleScreen':
      host.dispatch({ type: 'cycleScreen', delta: command.delta });
      return;
    case 'toggleScreen':
      host.dispatch({
        type: 'setScreen',
        screen: host.state.screen === command.screen ? 'processes' : command.screen,
      });
      return;
    case 'scroll':
      scroll(host, command.by);
      return;
    case 'moveRow':
      moveRow(host, command.by);
      return;
    case 'togglePause':
      host.dispatch({ type: 'togglePause', nowMs: host.nowMs() });
      return;
    case 'exitedSortBy':
      host.dispatch({ type: 'exitedSort', key: command.key });
      return;
    case 'exitedCycleSort':
      host.dispatch({ type: 'exitedCycleSort', delta: command.delta });
      return;
    case 'exitedInvert':
      host.dispatch({ type: 'exitedInvert' });
      return;
    case 'toggleByCommand':
      host.dispatch({ type: 'toggleByCommand' });
      return;
    case 'pidDigit':
      jumpToPid(host, command.digit);
      return;
    case 'details':
      if (host.state.screen === 'exited') {
        rowDetails(host);
        return;
      }
      if (host.state.selectedPid === null || !isProcessRow(host.state.selectedPid)) return;
      host.dispatch({
        type: 'openDetails',
        pid: host.state.selectedPid,
        cgroup: cgroupOf(host.deps.system, host.state.selectedPid),
      });
      return;
    case 'environment': {
      const pid = host.state.selectedPid;
      if (pid === null || !isProcessRow(pid)) return;
      const env = environmentOf(host.deps.system, pid);
      if (env.error !== null) {
        host.dispatch({ type: 'setMessage', text: env.error });
        return;
      }
      host.dispatch({ type: 'openEnvironment', pid, lines: env.lines });
      return;
    }
    case 'scrollCommand':
      host.dispatch({ type: 'scrollCommand', delta: command.delta });
      return;
    case 'repair':
      if (host.deps.readonly === true) {
        host.dispatch({ type: 'setMessage', text: READ_ONLY });
        return;
      }
      if (host.deps.repair === undefined) {
        host.dispatch({ type: 'setMessage', text: 'repair is not available in this build' });
        return;
      }
      host.dispatch({ type: 'confirm', confirmation: { kind: 'repair' } });
      return;
    case 'help':
      host.dispatch({ type: 'openHelp' });
      return;
    case 'setup':
      host.dispatch({ type: 'openSetup' });
      return;
    case 'setupMove':
      host.dispatch({ type: 'setupMove', delta: command.delta });
      return;
    case 'setupSection':
      host.dispatch({ type: 'setupSection', delta: command.delta });
      return;
    case 'setupEdit':
      host.dispatch({ type: 'setupEdit', edit: command.edit });
      return;
    case 'quit':
      host.deps.requestExit(0);
      return;
    case 'inputChar':
    case 'inputBackspace':
      host.dispatch(command.kind === 'inputChar' ? { type: 'inputChar', ch: command.ch } : { type: 'inputBackspace' });
      if (host.state.mode.kind === 'input' && host.state.mode.target === 'search') jumpToMatch(host, 0);
      return;
    case 'accept':
      accept(host);
      return;
    case 'cancel':
      if (host.state.mode.kind === 'setup') {
        closeSetup(host);
        return;
      }
      host.dispatch(host.state.mode.kind === 'input' ? { type: 'inputCancel' } : { type: 'closeModal' });
      return;
    case 'menuMove':
      if (host.state.mode.kind === 'help') {
        host.dispatch({ type: 'helpScroll', delta: command.delta, max: helpMaxScroll(host.screenRows()) });
        return;
      }
      host.dispatch({ type: 'menuMove', delta: command.delta, size: currentMenuSize(host) });
      return;
    default:
      return assertNever(command);
  }
}

function move(host: CommandHost, by: 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'): void {
  const order = host.shownOrder().pids;
  const page = host.listRows();
  const deltas = { up: -1, down: 1, pageUp: -page, pageDown: page } as const;
  if (by === 'home') {
    host.dispatch({ type: 'moveTo', index: 0, order });
    return;
  }
  if (by === 'end') {
    host.dispatch({ type: 'moveTo', index: order.length - 1, order });
    return;
  }
  host.dispatch({ type: 'moveBy', delta: deltas[by], order });
}

function scroll(host: CommandHost, by: 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'): void {
  const { rows, page } = host.scrollLimits();
  const max = Math.max(0, rows - page);
  const deltas = { up: -1, down: 1, pageUp: -page, pageDown: page, home: -rows, end: rows } as const;
  host.dispatch({ type: 'scrollBy', delta: deltas[by], max });
}

/** Up, Down, pages, Home, End on a list without pids: the selection moves, the page follows it. */
function moveRow(host: CommandHost, by: 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'): void {
  const list = host.selectableRows();
  if (list === undefined || list.items.length === 0) return;
  const { page } = host.scrollLimits();
  const count = list.items.length;
  const deltas = { up: -1, down: 1, pageUp: -page, pageDown: page, home: -count, end: count } as const;
  const index = Math.min(count - 1, Math.max(0, list.index + deltas[by]));
  host.dispatch({
    type: 'selectExitedRow',
    key: list.items[index] ?? null,
    index,
    top: topFor(index, list.top, page, count),
  });
}

/** Enter on Exited: the selected exit's details; on a by-command row, the per-exit list filtered to that command. */
function rowDetails(host: CommandHost): void {
  const list = host.selectableRows();
  const item = list?.items[list.index];
  if (item === undefined) return;
  if (typeof item !== 'string') {
    host.dispatch({ type: 'openExitDetails', exit: item });
    return;
  }
  host.dispatch({ type: 'toggleByCommand' });
  host.dispatch({ type: 'setFilter', text: item });
}

/**
 * htop: digits typed in a row select the process with that PID. Each digit extends the number typed so
 * far (kept in the search text while it is all digits, reset after a pause by the message timer).
 */
function jumpToPid(host: CommandHost, digit: string): void {
  const typed = host.state.pidTyped + digit;
  host.dispatch({ type: 'pidTyped', text: typed });
  const pids = host.shownOrder().pids;
  // That PID, else the first listed PID that starts with the digits typed so far.
  let index = pids.indexOf(Number(typed));
  if (index < 0) index = pids.findIndex((pid) => String(pid).startsWith(typed));
  const pid = pids[index];
  if (pid !== undefined) host.dispatch({ type: 'select', pid, index });
  else host.dispatch({ type: 'setMessage', text: `PID ${typed}: not listed` });
}

/** The processes a signal or nice applies to: the tagged ones, else the selected one. */
function targets(host: CommandHost): Pid[] {
  // A summary row of folded exits has a negative id: kill(-n) would signal a whole process group.
  if (host.state.tagged.size > 0) return [...host.state.tagged].filter(isProcessRow);
  const pid = host.state.selectedPid;
  return pid === null || !isProcessRow(pid) ? [] : [pid];
}

function tagSelected(host: CommandHost): void {
  const pid = host.state.selectedPid;
  if (pid === null || !isProcessRow(pid)) {
    host.dispatch({ type: 'moveBy', delta: 1, order: host.shownOrder().pids });
    return;
  }
  host.dispatch({ type: 'toggleTag', pid });
  host.dispatch({ type: 'moveBy', delta: 1, order: host.shownOrder().pids });
}

function setCollapsed(host: CommandHost, collapsed: boolean): void {
  const pid = host.state.selectedPid;
  if (pid !== null && isProcessRow(pid)) host.dispatch({ type: 'setCollapsed', pid, collapsed });
}

/** Moves the selection to the next process matching the search text, from the selection (0) or after it (1), wrapping. */
function jumpToMatch(host: CommandHost, offset: 0 | 1): void {
  const needle = host.state.searchText;
  if (needle === '') return;
  const pids = host.order().pids;
  const start = indexOfSelection(host.state, pids);
  const processes = host.deps.engine.processes;
  for (let i = 0; i < pids.length; i++) {
    const index = (start + offset + i) % pids.length;
    const p = processes.get(pids[index] as Pid);
    if (p !== undefined && matchesText(p, needle)) {
      host.dispatch({ type: 'select', pid: p.pid, index });
      return;
    }
  }
  host.dispatch({ type: 'setMessage', text: `no match for "${needle}"` });
}

function accept(host: CommandHost): void {
  const mode = host.state.mode;
  if (mode.kind === 'input') {
    host.dispatch({ type: 'inputAccept' });
    return;
  }
  if (mode.kind === 'menu') {
    switch (mode.menu) {
      case 'signal': {
        const signal = MENU_SIGNALS[mode.index] ?? 15;
        const pids = targets(host);
        if (pids.length === 0) {
          host.dispatch({ type: 'closeModal' });
          host.dispatch({ type: 'setMessage', text: 'no process selected: no signal sent' });
          return;
        }
        host.dispatch({ type: 'confirm', confirmation: { kind: 'signal', signal, pids } });
        return;
      }
      case 'sort':
        host.dispatch({ type: 'setSort', key: sortableColumns(host.state)[mode.index] ?? 'pid' });
        host.dispatch({ type: 'closeModal' });
        return;
      case 'user':
        host.dispatch({
          type: 'setUserFilter',
          user: mode.index === 0 ? null : (host.menuUsers[mode.index - 1] ?? null),
        });
        return;
    }
  }
  if (mode.kind === 'confirm') {
    const c = mode.confirmation;
    host.dispatch({ type: 'closeModal' });
    if (c.kind === 'signal') {
      host.dispatch({ type: 'setMessage', text: signalAll(host.deps.system, c.pids, c.signal) });
      return;
    }
    const repair = host.deps.repair;
    if (repair === undefined) return;
    host.dispatch({ type: 'setMessage', text: 'repairing...' });
    repair().then(
      (text) => host.dispatch({ type: 'setMessage', text }),
      (error: unknown) => host.dispatch({ type: 'setMessage', text: `repair failed: ${String(error)}` }),
    );
  }
}

/** Leaving setup saves what it shows (htop writes its htoprc when setup closes). */
function closeSetup(host: CommandHost): void {
  host.dispatch({ type: 'closeModal' });
  const save = host.deps.savePreferences;
  host.dispatch({
    type: 'setMessage',
    text: save === undefined ? 'settings not saved (no settings file here)' : save(savableFrom(host.state)),
  });
}

function currentMenuSize(host: CommandHost): number {
  const mode = host.state.mode;
  return mode.kind === 'menu' ? menuItems(mode.menu, host.menuUsers, sortableColumns(host.state)).length : 0;
}
