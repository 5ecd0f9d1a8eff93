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
      return move(host, command.by);
    case 'search':
      return host.dispatch({ type: 'startInput', target: 'search' });
    case 'filter':
      return host.dispatch({ type: 'startInput', target: 'filter' });
    case 'nextMatch':
      return jumpToMatch(host, 1);
    case 'toggleTree':
      return host.dispatch({ type: 'toggleTree' });
    case 'sortMenu':
      return host.dispatch({
        type: 'openMenu',
        menu: 'sort',
        index: Math.max(0, sortableColumns(host.state).indexOf(activeSort(host.state).key)),
      });
    case 'cycleSort':
      return host.dispatch({ type: 'cycleSort', delta: command.delta });
    case 'sortBy':
      return host.dispatch({ type: 'setSort', key: command.column });
    case 'invertSort':
      return host.dispatch({ type: 'invertSort' });
    case 'userMenu':
      host.openUserMenu();
      return host.dispatch({ type: 'openMenu', menu: 'user', index: 0 });
    case 'toggleThreads':
      return host.dispatch({ type: 'toggleThreads' });
    case 'toggleKernelThreads':
      return host.dispatch({ type: 'toggleKernelThreads' });
    case 'toggleFollow':
      return host.dispatch({ type: 'toggleFollow' });
    case 'tag':
      return tagSelected(host);
    case 'untagAll':
      return host.dispatch({ type: 'clearTags' });
    case 'signalMenu':
      if (host.deps.readonly === true) return host.dispatch({ type: 'setMessage', text: READ_ONLY });
      return host.dispatch({ type: 'openMenu', menu: 'signal', index: DEFAULT_SIGNAL_INDEX });
    case 'nice':
      if (host.deps.readonly === true) return host.dispatch({ type: 'setMessage', text: READ_ONLY });
      return host.dispatch({ type: 'setMessage', text: reniceAll(host.deps.system, targets(host), command.delta) });
    case 'expand':
    case 'collapse':
      return setCollapsed(host, command.kind === 'collapse');
    case 'cycleScreen':
      return host.dispatch({ type: 'cycleScreen', delta: command.delta });
    case 'toggleScreen':
      return host.dispatch({
        type: 'setScreen',
        screen: host.state.screen === command.screen ? 'processes' : command.screen,
      });
    case 'scroll':
      return scroll(host, command.by);
    case 'moveRow':
      return moveRow(host, command.by);
    case 'togglePause':
      return host.dispatch({ type: 'togglePause', nowMs: host.nowMs() });
    case 'exitedSortBy':
      return host.dispatch({ type: 'exitedSort', key: command.key });
    case 'exitedCycleSort':
      return host.dispatch({ type: 'exitedCycleSort', delta: command.delta });
    case 'exitedInvert':
      return host.dispatch({ type: 'exitedInvert' });
    case 'toggleByCommand':
      return host.dispatch({ type: 'toggleByCommand' });
    case 'pidDigit':
      return jumpToPid(host, command.digit);
    case 'details':
      if (host.state.screen === 'exited') return rowDetails(host);
      if (host.state.selectedPid === null || !isProcessRow(host.state.selectedPid)) return;
      return host.dispatch({
        type: 'openDetails',
        pid: host.state.selectedPid,
        cgroup: cgroupOf(host.deps.system, host.state.selectedPid),
      });
    case 'environment': {
      const pid = host.state.selectedPid;
      if (pid === null || !isProcessRow(pid)) return;
      const env = environmentOf(host.deps.system, pid);
      if (env.error !== null) return host.dispatch({ type: 'setMessage', text: env.error });
      return host.dispatch({ type: 'openEnvironment', pid, lines: env.lines });
    }
    case 'scrollCommand':
      return host.dispatch({ type: 'scrollCommand', delta: command.delta });
    case 'repair':
      if (host.deps.readonly === true) return host.dispatch({ type: 'setMessage', text: READ_ONLY });
      if (host.deps.repair === undefined)
        return host.dispatch({ type: 'setMessage', text: 'repair is not available in this build' });
      return host.dispatch({ type: 'confirm', confirmation: { kind: 'repair' } });
    case 'help':
      return host.dispatch({ type: 'openHelp' });
    case 'setup':
      return host.dispatch({ type: 'openSetup' });
    case 'setupMove':
      return host.dispatch({ type: 'setupMove', delta: command.delta });
    case 'setupSection':
      return host.dispatch({ type: 'setupSection', delta: command.delta });
    case 'setupEdit':
      return host.dispatch({ type: 'setupEdit', edit: command.edit });
    case 'quit':
      return host.deps.requestExit(0);
    case 'inputChar':
    case 'inputBackspace':
      host.dispatch(command.kind === 'inputChar' ? { type: 'inputChar', ch: command.ch } : { type: 'inputBackspace' });
      if (host.state.mode.kind === 'input' && host.state.mode.target === 'search') jumpToMatch(host, 0);
      return;
    case 'accept':
      return accept(host);
    case 'cancel':
      if (host.state.mode.kind === 'setup') return closeSetup(host);
      return host.dispatch(host.state.mode.kind === 'input' ? { type: 'inputCancel' } : { type: 'closeModal' });
    case 'menuMove':
      if (host.state.mode.kind === 'help')
        return host.dispatch({ type: 'helpScroll', delta: command.delta, max: helpMaxScroll(host.screenRows()) });
      return host.dispatch({ type: 'menuMove', delta: command.delta, size: currentMenuSize(host) });
    default:
      return assertNever(command);
  }
}

function move(host: CommandHost, by: 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'): void {
  const order = host.shownOrder().pids;
  const page = host.listRows();
  const deltas = { up: -1, down: 1, pageUp: -page, pageDown: page } as const;
  if (by === 'home') return host.dispatch({ type: 'moveTo', index: 0, order });
  if (by === 'end') return host.dispatch({ type: 'moveTo', index: order.length - 1, order });
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
  if (typeof item !== 'string') return host.dispatch({ type: 'openExitDetails', exit: item });
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
  if (pid === null || !isProcessRow(pid))
    return host.dispatch({ type: 'moveBy', delta: 1, order: host.shownOrder().pids });
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
    if (p !== undefined && matchesText(p, needle)) return host.dispatch({ type: 'select', pid: p.pid, index });
  }
  host.dispatch({ type: 'setMessage', text: `no match for "${needle}"` });
}

function accept(host: CommandHost): void {
  const mode = host.state.mode;
  if (mode.kind === 'input') return host.dispatch({ type: 'inputAccept' });
  if (mode.kind === 'menu') {
    switch (mode.menu) {
      case 'signal': {
        const signal = MENU_SIGNALS[mode.index] ?? 15;
        const pids = targets(host);
        if (pids.length === 0) {
          host.dispatch({ type: 'closeModal' });
          return host.dispatch({ type: 'setMessage', text: 'no process selected: no signal sent' });
        }
        return host.dispatch({ type: 'confirm', confirmation: { kind: 'signal', signal, pids } });
      }
      case 'sort':
        host.dispatch({ type: 'setSort', key: sortableColumns(host.state)[mode.index] ?? 'pid' });
        return host.dispatch({ type: 'closeModal' });
      case 'user':
        return host.dispatch({
          type: 'setUserFilter',
          user: mode.index === 0 ? null : (host.menuUsers[mode.index - 1] ?? null),
        });
    }
  }
  if (mode.kind === 'confirm') {
    const c = mode.confirmation;
    host.dispatch({ type: 'closeModal' });
    if (c.kind === 'signal')
      return host.dispatch({ type: 'setMessage', text: signalAll(host.deps.system, c.pids, c.signal) });
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
