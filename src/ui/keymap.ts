// Key name → command, per mode. The normal-mode table is also the source of the help screen, so
// every key that works is listed there. Pure: no terminal, no state changes.
import type { ColumnId } from './columns.js';
import type { ExitedSortKey, Mode, ScreenId } from './ui-state.js';
import { screenById } from './screens/registry.js';
import type { SetupEdit } from './screens/setup/model.js';

export type MoveBy = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

export type Command =
  | { readonly kind: 'move'; readonly by: MoveBy }
  | { readonly kind: 'search' }
  | { readonly kind: 'filter' }
  | { readonly kind: 'nextMatch' }
  | { readonly kind: 'toggleTree' }
  | { readonly kind: 'sortMenu' }
  | { readonly kind: 'cycleSort'; readonly delta: 1 | -1 }
  | { readonly kind: 'sortBy'; readonly column: ColumnId }
  | { readonly kind: 'invertSort' }
  | { readonly kind: 'userMenu' }
  | { readonly kind: 'toggleThreads' }
  | { readonly kind: 'toggleKernelThreads' }
  | { readonly kind: 'toggleFollow' }
  | { readonly kind: 'tag' }
  | { readonly kind: 'untagAll' }
  | { readonly kind: 'signalMenu' }
  | { readonly kind: 'nice'; readonly delta: -1 | 1 }
  | { readonly kind: 'expand' }
  | { readonly kind: 'collapse' }
  | { readonly kind: 'cycleScreen'; readonly delta: 1 | -1 }
  /** Shows the screen, or goes back to the process list when it is already on show. */
  | { readonly kind: 'toggleScreen'; readonly screen: ScreenId }
  | { readonly kind: 'scroll'; readonly by: MoveBy }
  /** Moves the selection of a list without pids (Exited). */
  | { readonly kind: 'moveRow'; readonly by: MoveBy }
  | { readonly kind: 'togglePause' }
  | { readonly kind: 'exitedSortBy'; readonly key: ExitedSortKey }
  | { readonly kind: 'exitedCycleSort'; readonly delta: 1 | -1 }
  | { readonly kind: 'exitedInvert' }
  | { readonly kind: 'toggleByCommand' }
  /** htop: typing digits selects the process with that PID. */
  | { readonly kind: 'pidDigit'; readonly digit: string }
  /** Left / Right: scroll the Command column to read a long command line. */
  | { readonly kind: 'scrollCommand'; readonly delta: number }
  /** Enter: the details panel of the selected process. */
  | { readonly kind: 'details' }
  /** htop's e: the selected process's environment. */
  | { readonly kind: 'environment' }
  | { readonly kind: 'repair' }
  /** htop's F2 (also C and S): setup; its keys move, switch section and edit. */
  | { readonly kind: 'setup' }
  | { readonly kind: 'setupMove'; readonly delta: number }
  | { readonly kind: 'setupSection'; readonly delta: 1 | -1 }
  | { readonly kind: 'setupEdit'; readonly edit: SetupEdit }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  // Modal commands.
  | { readonly kind: 'inputChar'; readonly ch: string }
  | { readonly kind: 'inputBackspace' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'menuMove'; readonly delta: number };

export interface Binding {
  /** Key names as normalizeKey() produces them: 'f5', 'up', 'C-c', 'S-tab', or the character itself. */
  readonly keys: readonly string[];
  readonly command: Command;
  readonly help: string;
}

/** Keys that mean the same on every screen. Order is the help screen's order. */
export const GLOBAL_BINDINGS: readonly Binding[] = [
  { keys: ['tab', 'S-tab'], command: { kind: 'cycleScreen', delta: 1 }, help: 'next / previous screen (tab)' },
  {
    keys: ['f4', '\\'],
    command: { kind: 'filter' },
    help: 'filter as you type (processes: tree keeps ancestors; exited: also the status, e.g. SEGV, exit 3, failed)',
  },
  {
    keys: ['g'],
    command: { kind: 'toggleScreen', screen: 'history' },
    help: 'history: charts of events/s by kind, CPU% and memory (2 min)',
  },
  {
    keys: ['f2', 'C', 'S'],
    command: { kind: 'setup' },
    help: "setup: columns, meters, display options; saved when it closes (htop's F2)",
  },
  { keys: ['R'], command: { kind: 'repair' }, help: "repair the kernel's listener counter (asks first)" },
  { keys: ['f1', 'h', '?'], command: { kind: 'help' }, help: 'this help' },
  { keys: ['f10', 'q', 'C-c'], command: { kind: 'quit' }, help: 'quit' },
];

// Keys that share a binding row but mean the opposite direction.
const OPPOSITES: Readonly<Record<string, Readonly<Partial<Record<Command['kind'], Command>>>>> = {
  up: {
    move: { kind: 'move', by: 'up' },
    scroll: { kind: 'scroll', by: 'up' },
    moveRow: { kind: 'moveRow', by: 'up' },
  },
  pageup: {
    move: { kind: 'move', by: 'pageUp' },
    scroll: { kind: 'scroll', by: 'pageUp' },
    moveRow: { kind: 'moveRow', by: 'pageUp' },
  },
  home: {
    move: { kind: 'move', by: 'home' },
    scroll: { kind: 'scroll', by: 'home' },
    moveRow: { kind: 'moveRow', by: 'home' },
  },
  'S-tab': { cycleScreen: { kind: 'cycleScreen', delta: -1 } },
  left: { scrollCommand: { kind: 'scrollCommand', delta: -8 } },
  '<': { exitedCycleSort: { kind: 'exitedCycleSort', delta: -1 } },
  ',': { exitedCycleSort: { kind: 'exitedCycleSort', delta: -1 } },
};

/** Key name to command for a list of bindings; the first binding of a key wins. */
export function bindingTable(bindings: readonly Binding[]): ReadonlyMap<string, Command> {
  const table = new Map<string, Command>();
  for (const b of bindings) {
    for (const key of b.keys) {
      if (table.has(key)) continue;
      table.set(
        key,
        b.command.kind === 'pidDigit'
          ? { kind: 'pidDigit', digit: key }
          : (OPPOSITES[key]?.[b.command.kind] ?? b.command),
      );
    }
  }
  return table;
}

const TABLES = new Map<ScreenId, ReadonlyMap<string, Command>>();

/** A screen's keys first, then the global ones. */
function screenTable(screen: ScreenId): ReadonlyMap<string, Command> {
  let table = TABLES.get(screen);
  if (table === undefined) {
    table = bindingTable([...screenById(screen).bindings, ...GLOBAL_BINDINGS]);
    TABLES.set(screen, table);
  }
  return table;
}

/** The subset of blessed's key event that naming needs. */
export interface KeyEvent {
  readonly name?: string | undefined;
  readonly full?: string | undefined;
  readonly sequence?: string | undefined;
}

const NAMED_KEYS = new Set([
  'up',
  'down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'enter',
  'escape',
  'backspace',
  'delete',
  'tab',
  'space',
  'insert',
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
]);

/** One name per key: 'f5', 'up', 'enter', 'C-c', or the typed character ('P', '\\', '<'). */
export function normalizeKey(ch: string | undefined, key: KeyEvent | undefined): string | null {
  const name = key?.name;
  // blessed reports '\r' twice, as 'return' and then as a synthetic 'enter': act on the second
  // only, or one Enter would both pick a menu entry and accept the confirmation that follows.
  if (name === 'return') return null;
  if (name === 'enter' || name === 'linefeed') return 'enter';
  if (key?.full === 'S-tab') return 'S-tab';
  if (name !== undefined && NAMED_KEYS.has(name)) return name;
  const full = key?.full;
  if (full !== undefined && full.startsWith('C-')) return full;
  if (ch !== undefined && ch.length > 0) return ch;
  return full ?? null;
}

/** What a key means in the current mode, or null when it means nothing there. */
export function resolveKey(mode: Mode, key: string, screen: ScreenId = 'processes'): Command | null {
  switch (mode.kind) {
    case 'normal':
      return screenTable(screen).get(key) ?? null;
    case 'input':
      return resolveInputKey(key, mode.target === 'search');
    case 'help':
      return resolveHelpKey(key);
    case 'details':
    case 'exitDetails':
    case 'environment':
      return key === 'C-c' ? { kind: 'quit' } : { kind: 'cancel' };
    case 'menu':
      return resolveMenuKey(key);
    case 'confirm':
      if (key === 'y' || key === 'Y' || key === 'enter') return { kind: 'accept' };
      if (key === 'C-c') return { kind: 'quit' };
      return { kind: 'cancel' };
    case 'setup':
      return resolveSetupKey(key);
  }
}

/** F2 setup's keys, htop's where it has them (F7/F8 move a column, Space toggles, F10 or Esc leaves). */
function resolveSetupKey(key: string): Command | null {
  switch (key) {
    case 'up':
      return { kind: 'setupMove', delta: -1 };
    case 'down':
      return { kind: 'setupMove', delta: 1 };
    case 'pageup':
    case 'home':
      return { kind: 'setupMove', delta: -1000 };
    case 'pagedown':
    case 'end':
      return { kind: 'setupMove', delta: 1000 };
    case 'left':
    case 'S-tab':
      return { kind: 'setupSection', delta: -1 };
    case 'right':
    case 'tab':
      return { kind: 'setupSection', delta: 1 };
    case 'space':
    case 'enter':
      return { kind: 'setupEdit', edit: 'toggle' };
    case 'f7':
    case '[':
      return { kind: 'setupEdit', edit: 'moveUp' };
    case 'f8':
    case ']':
      return { kind: 'setupEdit', edit: 'moveDown' };
    case '+':
    case '=':
      return { kind: 'setupEdit', edit: 'increase' };
    case '-':
      return { kind: 'setupEdit', edit: 'decrease' };
    case 'escape':
    case 'f10':
    case 'f2':
    case 'q':
      return { kind: 'cancel' };
    case 'C-c':
      return { kind: 'quit' };
    default:
      return null;
  }
}

function resolveInputKey(key: string, searching: boolean): Command | null {
  if (key === 'enter') return { kind: 'accept' };
  if (key === 'escape') return { kind: 'cancel' };
  if (key === 'backspace') return { kind: 'inputBackspace' };
  if (key === 'C-c') return { kind: 'quit' };
  if (searching && key === 'f3') return { kind: 'nextMatch' };
  if (key === 'space') return { kind: 'inputChar', ch: ' ' };
  if (key === 'down' || key === 'up') return { kind: 'accept' };
  // Printable characters only: names of special keys are longer than one character.
  return key.length === 1 && key >= ' ' ? { kind: 'inputChar', ch: key } : null;
}

function resolveHelpKey(key: string): Command {
  if (key === 'down' || key === 'pagedown') return { kind: 'menuMove', delta: key === 'down' ? 1 : 10 };
  if (key === 'up' || key === 'pageup') return { kind: 'menuMove', delta: key === 'up' ? -1 : -10 };
  if (key === 'C-c') return { kind: 'quit' };
  return { kind: 'cancel' };
}

function resolveMenuKey(key: string): Command | null {
  switch (key) {
    case 'up':
      return { kind: 'menuMove', delta: -1 };
    case 'down':
      return { kind: 'menuMove', delta: 1 };
    case 'pageup':
      return { kind: 'menuMove', delta: -10 };
    case 'pagedown':
      return { kind: 'menuMove', delta: 10 };
    case 'home':
      return { kind: 'menuMove', delta: -1000 };
    case 'end':
      return { kind: 'menuMove', delta: 1000 };
    case 'enter':
      return { kind: 'accept' };
    case 'escape':
    case 'q':
    case 'f10':
      return { kind: 'cancel' };
    case 'C-c':
      return { kind: 'quit' };
    default:
      return null;
  }
}
