// Key name → command, per mode. The normal-mode table is also the source of the help screen, so
// every key that works is listed there. Pure: no terminal, no state changes.
import type { ColumnId } from './columns.js';
import type { Mode } from './ui-state.js';

export type Command =
  | { readonly kind: 'move'; readonly by: 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' }
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
  | { readonly kind: 'togglePanel' }
  | { readonly kind: 'toggleEvents' }
  | { readonly kind: 'toggleExited' }
  | { readonly kind: 'toggleHistory' }
  | { readonly kind: 'repair' }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  // Modal commands.
  | { readonly kind: 'inputChar'; readonly ch: string }
  | { readonly kind: 'inputBackspace' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'menuMove'; readonly delta: number };

export interface Binding {
  /** Key names as normalizeKey() produces them: 'f5', 'up', 'C-c', or the character itself. */
  readonly keys: readonly string[];
  readonly command: Command;
  readonly help: string;
}

/** The normal-mode bindings, htop's where htop has one. Order is the help screen's order. */
export const NORMAL_BINDINGS: readonly Binding[] = [
  { keys: ['up', 'down'], command: { kind: 'move', by: 'down' }, help: 'select the previous / next process' },
  { keys: ['pageup', 'pagedown'], command: { kind: 'move', by: 'pageDown' }, help: 'move a page up / down' },
  { keys: ['home', 'end'], command: { kind: 'move', by: 'end' }, help: 'first / last process' },
  { keys: ['f3', '/'], command: { kind: 'search' }, help: 'incremental search (F3 again: next match)' },
  { keys: ['f4', '\\'], command: { kind: 'filter' }, help: 'filter (tree view keeps the ancestors of matches)' },
  { keys: ['f5', 't'], command: { kind: 'toggleTree' }, help: 'tree view / flat list' },
  { keys: ['f6'], command: { kind: 'sortMenu' }, help: 'choose the sort column' },
  { keys: ['<', ','], command: { kind: 'cycleSort', delta: -1 }, help: 'sort by the previous column' },
  { keys: ['>', '.'], command: { kind: 'cycleSort', delta: 1 }, help: 'sort by the next column' },
  { keys: ['P'], command: { kind: 'sortBy', column: 'cpu' }, help: 'sort by CPU%' },
  { keys: ['M'], command: { kind: 'sortBy', column: 'mem' }, help: 'sort by MEM%' },
  { keys: ['T'], command: { kind: 'sortBy', column: 'time' }, help: 'sort by TIME+' },
  { keys: ['N'], command: { kind: 'sortBy', column: 'pid' }, help: 'sort by PID' },
  { keys: ['A'], command: { kind: 'sortBy', column: 'age' }, help: 'sort by AGE (youngest first)' },
  { keys: ['I'], command: { kind: 'invertSort' }, help: 'invert the sort order' },
  { keys: ['u'], command: { kind: 'userMenu' }, help: "show only one user's processes" },
  { keys: ['H'], command: { kind: 'toggleThreads' }, help: 'show thread counts and thread (clone) events' },
  { keys: ['K'], command: { kind: 'toggleKernelThreads' }, help: 'hide / show kernel threads' },
  { keys: ['F'], command: { kind: 'toggleFollow' }, help: 'follow: select each newly started process' },
  { keys: ['space'], command: { kind: 'tag' }, help: 'tag the process (signals go to all tagged)' },
  { keys: ['U'], command: { kind: 'untagAll' }, help: 'untag all processes' },
  { keys: ['f9', 'k'], command: { kind: 'signalMenu' }, help: 'send a signal (asks for confirmation)' },
  { keys: ['f7', ']'], command: { kind: 'nice', delta: -1 }, help: 'nice - (higher priority, needs root)' },
  { keys: ['f8', '['], command: { kind: 'nice', delta: 1 }, help: 'nice + (lower priority)' },
  { keys: ['+', '='], command: { kind: 'expand' }, help: 'expand the subtree' },
  { keys: ['-'], command: { kind: 'collapse' }, help: 'collapse the subtree' },
  { keys: ['C'], command: { kind: 'togglePanel' }, help: 'connector panel on / off' },
  { keys: ['e'], command: { kind: 'toggleEvents' }, help: 'event log (fork, exec, exit ... as they happen)' },
  { keys: ['x'], command: { kind: 'toggleExited' }, help: 'recently exited processes with status and lifetime' },
  { keys: ['g'], command: { kind: 'toggleHistory' }, help: 'history: charts of events/s by kind, CPU% and memory (2 min)' },
  { keys: ['R'], command: { kind: 'repair' }, help: "repair the kernel's listener counter (asks first)" },
  { keys: ['f1', 'h', '?'], command: { kind: 'help' }, help: 'this help' },
  { keys: ['f10', 'q', 'C-c'], command: { kind: 'quit' }, help: 'quit' },
];

// Keys that share a binding row but mean the opposite direction.
const OPPOSITES: Readonly<Record<string, Command>> = {
  up: { kind: 'move', by: 'up' },
  pageup: { kind: 'move', by: 'pageUp' },
  home: { kind: 'move', by: 'home' },
};

const NORMAL_TABLE: ReadonlyMap<string, Command> = new Map(
  NORMAL_BINDINGS.flatMap((b) => b.keys.map((key): [string, Command] => [key, OPPOSITES[key] ?? b.command])),
);

/** The subset of blessed's key event that naming needs. */
export interface KeyEvent {
  readonly name?: string | undefined;
  readonly full?: string | undefined;
}

const NAMED_KEYS = new Set([
  'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'enter', 'escape', 'backspace',
  'delete', 'tab', 'space', 'insert',
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
]);

/** One name per key: 'f5', 'up', 'enter', 'C-c', or the typed character ('P', '\\', '<'). */
export function normalizeKey(ch: string | undefined, key: KeyEvent | undefined): string | null {
  const name = key?.name;
  // blessed reports '\r' twice, as 'return' and then as a synthetic 'enter': act on the second
  // only, or one Enter would both pick a menu entry and accept the confirmation that follows.
  if (name === 'return') return null;
  if (name === 'enter' || name === 'linefeed') return 'enter';
  if (name !== undefined && NAMED_KEYS.has(name)) return name;
  const full = key?.full;
  if (full !== undefined && full.startsWith('C-')) return full;
  if (ch !== undefined && ch.length > 0) return ch;
  return full ?? null;
}

/** What a key means in the current mode, or null when it means nothing there. */
export function resolveKey(mode: Mode, key: string): Command | null {
  switch (mode.kind) {
    case 'normal':
      return NORMAL_TABLE.get(key) ?? null;
    case 'input':
      return resolveInputKey(key, mode.target === 'search');
    case 'help':
      return resolveHelpKey(key);
    case 'menu':
      return resolveMenuKey(key);
    case 'confirm':
      if (key === 'y' || key === 'Y' || key === 'enter') return { kind: 'accept' };
      if (key === 'C-c') return { kind: 'quit' };
      return { kind: 'cancel' };
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
    case 'up': return { kind: 'menuMove', delta: -1 };
    case 'down': return { kind: 'menuMove', delta: 1 };
    case 'pageup': return { kind: 'menuMove', delta: -10 };
    case 'pagedown': return { kind: 'menuMove', delta: 10 };
    case 'home': return { kind: 'menuMove', delta: -1000 };
    case 'end': return { kind: 'menuMove', delta: 1000 };
    case 'enter': return { kind: 'accept' };
    case 'escape': case 'q': case 'f10': return { kind: 'cancel' };
    case 'C-c': return { kind: 'quit' };
    default: return null;
  }
}
