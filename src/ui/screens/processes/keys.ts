// The process list's keys: htop's where htop has one.
import type { Binding } from '../../keymap.js';

export const PROCESS_BINDINGS: readonly Binding[] = [
  { keys: ['up', 'down'], command: { kind: 'move', by: 'down' }, help: 'select the previous / next process' },
  { keys: ['pageup', 'pagedown'], command: { kind: 'move', by: 'pageDown' }, help: 'move a page up / down' },
  { keys: ['home', 'end'], command: { kind: 'move', by: 'end' }, help: 'first / last process' },
  {
    keys: ['enter'],
    command: { kind: 'details' },
    help: 'details: full command line, parents, user, start, lifetime, status, CPU, memory, I/O',
  },
  { keys: ['e'], command: { kind: 'environment' }, help: "the process's environment (htop)" },
  {
    keys: ['left', 'right'],
    command: { kind: 'scrollCommand', delta: 8 },
    help: 'scroll the Command column left / right (long command lines)',
  },
  {
    keys: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    command: { kind: 'pidDigit', digit: '0' },
    help: 'type a PID: selects that process (htop)',
  },
  { keys: ['f3', '/'], command: { kind: 'search' }, help: 'incremental search (F3 again: next match)' },
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
  {
    keys: ['H'],
    command: { kind: 'toggleThreads' },
    help: 'threads: each thread of a process as a row under it (htop), its thread count, and thread (clone) events in Events',
  },
  { keys: ['K'], command: { kind: 'toggleKernelThreads' }, help: 'hide / show kernel threads' },
  {
    keys: ['Z'],
    command: { kind: 'togglePause' },
    help: 'pause / resume: the list keeps its rows and order (htop); values still change',
  },
  {
    keys: ['f'],
    command: { kind: 'toggleFollow' },
    help: 'follow new: select each newly started process (the selection always stays on its process, as htop F)',
  },
  { keys: ['space'], command: { kind: 'tag' }, help: 'tag the process (signals go to all tagged)' },
  { keys: ['U'], command: { kind: 'untagAll' }, help: 'untag all processes' },
  { keys: ['f9', 'k'], command: { kind: 'signalMenu' }, help: 'send a signal (asks for confirmation)' },
  { keys: ['f7', ']'], command: { kind: 'nice', delta: -1 }, help: 'nice - (higher priority, needs root)' },
  { keys: ['f8', '['], command: { kind: 'nice', delta: 1 }, help: 'nice + (lower priority)' },
  { keys: ['+', '='], command: { kind: 'expand' }, help: 'expand the subtree' },
  { keys: ['-'], command: { kind: 'collapse' }, help: 'collapse the subtree' },
];
