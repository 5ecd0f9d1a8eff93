// The scrolling keys of the screens that list rows without a selection (Exited, Events).
import type { Binding } from '../keymap.js';

export const SCROLL_BINDINGS: readonly Binding[] = [
  { keys: ['up', 'down'], command: { kind: 'scroll', by: 'down' }, help: 'scroll a line' },
  { keys: ['pageup', 'pagedown'], command: { kind: 'scroll', by: 'pageDown' }, help: 'scroll a page' },
  { keys: ['home', 'end'], command: { kind: 'scroll', by: 'end' }, help: 'newest / oldest' },
  { keys: ['Z'], command: { kind: 'togglePause' }, help: 'pause / resume (rows that come meanwhile wait)' },
];
