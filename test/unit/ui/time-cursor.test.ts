import { describe, expect, it } from 'vitest';
import { cursorBar, cursorKey, type TimeCursor } from '../../../src/ui/time-cursor.js';

function fakeCursor(): TimeCursor & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    label: () => 'replay 2026-12-06 03:12:05 · step 10.000s · paused',
    gap: () => null,
    step: (d) => void calls.push(`step ${d}`),
    jump: (text) => (calls.push(`jump ${text}`), text === 'bad' ? "'bad' is not a time" : null),
    rewind: () => void calls.push('rewind'),
    togglePlay: () => void calls.push('play'),
  };
}

describe('the replay keys', () => {
  it("move the cursor with atop's t / T / r and z, ahead of the screens' own keys", () => {
    const cursor = fakeCursor();
    for (const key of ['t', 'T', 'r', 'z'])
      expect(cursorKey(cursor, null, key, true)).toEqual({ typed: null, message: null });
    expect(cursor.calls).toEqual(['step 1', 'step -1', 'rewind', 'play']);
    expect(cursorKey(cursor, null, 'P', true)).toBeNull();
    // In a menu or a prompt, the screens' modes keep their keys.
    expect(cursorKey(cursor, null, 't', false)).toBeNull();
  });

  it('b asks for a time; Enter jumps (or says why not), Esc cancels, Backspace edits', () => {
    const cursor = fakeCursor();
    let typed = cursorKey(cursor, null, 'b', true)?.typed ?? null;
    expect(typed).toBe('');
    for (const key of ['0', '3', ':', '1', '2', 'x', 'backspace'])
      typed = cursorKey(cursor, typed, key, true)?.typed ?? null;
    expect(typed).toBe('03:12');
    expect(cursorBar(cursor, typed)).toBe('jump to (03:12, -5m, 2026-12-06T03:12): 03:12_');
    expect(cursorKey(cursor, typed, 'enter', true)).toEqual({ typed: null, message: null });
    expect(cursor.calls).toEqual(['jump 03:12']);
    expect(cursorKey(cursor, 'bad', 'enter', true)).toEqual({ typed: null, message: "'bad' is not a time" });
    expect(cursorKey(cursor, '03', 'escape', true)).toEqual({ typed: null, message: null });
    expect(cursorKey(cursor, '5m', 'space', true)?.typed).toBe('5m ');
  });

  it('shows the label, and a mark in a coverage gap', () => {
    const cursor = fakeCursor();
    expect(cursorBar(cursor, null)).toBe('replay 2026-12-06 03:12:05 · step 10.000s · paused · t/T b r z');
    expect(cursorBar({ ...cursor, gap: () => 'lossy: events lost' }, null)).toContain('· ! lossy: events lost');
  });
});
