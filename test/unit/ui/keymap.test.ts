import { describe, expect, it } from 'vitest';
import { normalizeKey, resolveKey } from '../../../src/ui/keymap.js';
import { allBindings, helpLines, keyLabel } from '../../../src/ui/widgets/help.js';

const normal = { kind: 'normal' } as const;

describe('keymap', () => {
  it.each([
    ['f3', 'search'],
    ['/', 'search'],
    ['f4', 'filter'],
    ['\\', 'filter'],
    ['f5', 'toggleTree'],
    ['t', 'toggleTree'],
    ['f6', 'sortMenu'],
    ['I', 'invertSort'],
    ['u', 'userMenu'],
    ['H', 'toggleThreads'],
    ['K', 'toggleKernelThreads'],
    ['f', 'toggleFollow'],
    ['space', 'tag'],
    ['f9', 'signalMenu'],
    ['k', 'signalMenu'],
    ['+', 'expand'],
    ['-', 'collapse'],
    ['f1', 'help'],
    ['h', 'help'],
    ['?', 'help'],
    ['f10', 'quit'],
    ['q', 'quit'],
    ['C-c', 'quit'],
  ])("binds htop's %s to %s", (key, kind) => {
    expect(resolveKey(normal, key)?.kind).toBe(kind);
  });

  it('maps the sort shortcuts and both directions of paired keys', () => {
    expect(resolveKey(normal, 'P')).toEqual({ kind: 'sortBy', column: 'cpu' });
    expect(resolveKey(normal, 'M')).toEqual({ kind: 'sortBy', column: 'mem' });
    expect(resolveKey(normal, 'T')).toEqual({ kind: 'sortBy', column: 'time' });
    expect(resolveKey(normal, 'N')).toEqual({ kind: 'sortBy', column: 'pid' });
    expect(resolveKey(normal, '<')).toEqual({ kind: 'cycleSort', delta: -1 });
    expect(resolveKey(normal, '>')).toEqual({ kind: 'cycleSort', delta: 1 });
    expect(resolveKey(normal, 'up')).toEqual({ kind: 'move', by: 'up' });
    expect(resolveKey(normal, 'down')).toEqual({ kind: 'move', by: 'down' });
    expect(resolveKey(normal, 'pageup')).toEqual({ kind: 'move', by: 'pageUp' });
    expect(resolveKey(normal, 'f7')).toEqual({ kind: 'nice', delta: -1 });
    expect(resolveKey(normal, 'f8')).toEqual({ kind: 'nice', delta: 1 });
  });

  it('types characters in the input line instead of running commands', () => {
    const input = { kind: 'input', target: 'filter' } as const;
    expect(resolveKey(input, 'q')).toEqual({ kind: 'inputChar', ch: 'q' });
    expect(resolveKey(input, 'space')).toEqual({ kind: 'inputChar', ch: ' ' });
    expect(resolveKey(input, 'enter')).toEqual({ kind: 'accept' });
    expect(resolveKey(input, 'escape')).toEqual({ kind: 'cancel' });
    expect(resolveKey(input, 'f3')).toBeNull();
    expect(resolveKey({ kind: 'input', target: 'search' }, 'f3')).toEqual({ kind: 'nextMatch' });
  });

  it('confirms only on y or Enter; anything else cancels', () => {
    const confirm = { kind: 'confirm', confirmation: { kind: 'signal', signal: 15, pids: [1] } } as const;
    expect(resolveKey(confirm, 'y')?.kind).toBe('accept');
    expect(resolveKey(confirm, 'enter')?.kind).toBe('accept');
    expect(resolveKey(confirm, 'n')?.kind).toBe('cancel');
    expect(resolveKey(confirm, 'k')?.kind).toBe('cancel');
  });

  it('normalizes blessed key events to one name per key', () => {
    expect(normalizeKey(undefined, { name: 'f5', full: 'f5' })).toBe('f5');
    // '\r' arrives as 'return' and again as a synthetic 'enter': only one may count.
    expect(normalizeKey('\r', { name: 'return', full: 'return' })).toBeNull();
    expect(normalizeKey('\r', { name: 'enter', full: 'enter' })).toBe('enter');
    expect(normalizeKey('\n', { name: 'linefeed', full: 'linefeed' })).toBe('enter');
    expect(normalizeKey('P', { name: 'p', full: 'S-p' })).toBe('P');
    expect(normalizeKey('\x03', { name: 'c', full: 'C-c' })).toBe('C-c');
    expect(normalizeKey(' ', { name: 'space', full: 'space' })).toBe('space');
    expect(normalizeKey('\\', { name: undefined, full: '\\' })).toBe('\\');
  });

  it('lists every bound key of every screen and its meaning on the help screen', () => {
    const help = helpLines()
      .map((line) => line.map((s) => s.text).join(''))
      .join('\n');
    for (const binding of allBindings()) {
      for (const key of binding.keys)
        expect(help).toContain(binding.command.kind === 'pidDigit' ? '0-9' : keyLabel(key));
      expect(help).toContain(binding.help);
    }
    for (const title of ['Processes', 'Exited', 'Events']) expect(help).toContain(title);
  });

  it('cycles the screens with Tab and Shift-Tab on every screen, and frees the keys htop gives other meanings', () => {
    for (const screen of ['processes', 'exited', 'events', 'history', 'connector'] as const) {
      expect(resolveKey(normal, 'tab', screen)).toEqual({ kind: 'cycleScreen', delta: 1 });
      expect(resolveKey(normal, 'S-tab', screen)).toEqual({ kind: 'cycleScreen', delta: -1 });
    }
    expect(normalizeKey('\t', { name: 'tab', full: 'S-tab' })).toBe('S-tab');
    // htop: x file locks, C setup, F follow the selected process (always on here); e has htop's meaning.
    for (const key of ['x', 'F']) expect(resolveKey(normal, key)).toBeNull();
    // htop's F2, C and S: setup.
    for (const key of ['f2', 'C', 'S']) expect(resolveKey(normal, key)).toEqual({ kind: 'setup' });
    expect(resolveKey(normal, 'e')).toEqual({ kind: 'environment' });
  });

  it('gives the Exited and Events screens their own keys: a selection or scrolling, Z pause, G by command, sorts', () => {
    expect(resolveKey(normal, 'up', 'exited')).toEqual({ kind: 'moveRow', by: 'up' });
    expect(resolveKey(normal, 'pagedown', 'exited')).toEqual({ kind: 'moveRow', by: 'pageDown' });
    expect(resolveKey(normal, 'enter', 'exited')).toEqual({ kind: 'details' });
    expect(resolveKey(normal, 'up', 'events')).toEqual({ kind: 'scroll', by: 'up' });
    expect(resolveKey(normal, 'end', 'events')).toEqual({ kind: 'scroll', by: 'end' });
    expect(resolveKey(normal, 'Z', 'events')).toEqual({ kind: 'togglePause' });
    expect(resolveKey(normal, 'G', 'exited')).toEqual({ kind: 'toggleByCommand' });
    expect(resolveKey(normal, 'P', 'exited')).toEqual({ kind: 'exitedSortBy', key: 'cpu' });
    expect(resolveKey(normal, '<', 'exited')).toEqual({ kind: 'exitedCycleSort', delta: -1 });
    expect(resolveKey(normal, 'k', 'exited')).toBeNull();
    expect(resolveKey(normal, '7')).toEqual({ kind: 'pidDigit', digit: '7' });
  });
});
