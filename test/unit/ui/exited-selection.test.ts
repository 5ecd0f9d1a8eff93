// The Exited list's selection: kept by identity while rows move, by index when its row leaves, and
// always on the page shown.
import { describe, expect, it } from 'vitest';
import { placeSelection, topFor } from '../../../src/ui/screens/exited/selection.js';
import { cgroupPath } from '../../../src/ui/effects.js';

const id = (s: string): string => s;

describe('Exited selection', () => {
  it('follows its row when rows are added above it', () => {
    expect(placeSelection(['c', 'b', 'a'], { key: 'b', index: 0 }, id, 0, 10)).toEqual({ index: 1, top: 0 });
  });

  it('falls back to the last index, clamped, when its row is gone', () => {
    expect(placeSelection(['c', 'a'], { key: 'b', index: 1 }, id, 0, 10).index).toBe(1);
    expect(placeSelection(['c'], { key: 'b', index: 5 }, id, 0, 10).index).toBe(0);
    expect(placeSelection([], { key: 'b', index: 5 }, id, 0, 10)).toEqual({ index: -1, top: 0 });
  });

  it('scrolls only as far as needed to keep the selection on the page', () => {
    expect(topFor(2, 0, 5, 100)).toBe(0);
    expect(topFor(7, 0, 5, 100)).toBe(3);
    expect(topFor(3, 10, 5, 100)).toBe(3);
    // A stale top beyond the end of a shorter list is pulled back.
    expect(topFor(1, 50, 5, 3)).toBe(0);
  });
});

describe('cgroupPath', () => {
  it('takes the unified hierarchy line, else the first, and keeps colons in the path', () => {
    expect(cgroupPath('0::/system.slice/cron.service\n')).toBe('/system.slice/cron.service');
    expect(cgroupPath('12:cpu,cpuacct:/user.slice\n0::/user.slice/a:b\n')).toBe('/user.slice/a:b');
    expect(cgroupPath('3:memory:/docker/abc\n')).toBe('/docker/abc');
    expect(cgroupPath('')).toBe('');
  });
});
