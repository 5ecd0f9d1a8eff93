import { describe, expect, it } from 'vitest';
import { CommandSlots, slotOptions, type CommandSlotOptions } from '../../../src/exporter/command-slots.js';

const MINUTE = 60_000;

function slots(maxCommands: number, overrides: Partial<CommandSlotOptions> = {}): CommandSlots {
  return new CommandSlots({ ...slotOptions(maxCommands), ...overrides });
}

/** Touches command n times at nowMs; returns the last verdict. */
function run(s: CommandSlots, command: string, n: number, nowMs: number): ReturnType<CommandSlots['touch']> {
  let verdict = s.touch(command, nowMs);
  for (let i = 1; i < n; i++) verdict = s.touch(command, nowMs);
  return verdict;
}

describe('CommandSlots', () => {
  it('gives free slots at the first event, and no more than N', () => {
    const s = slots(3);
    expect(s.touch('a', 0)).toEqual({ holds: true, admitted: true, evicted: null });
    expect(s.touch('a', 1)).toEqual({ holds: true, admitted: false, evicted: null });
    s.touch('b', 2);
    s.touch('c', 3);
    expect(s.touch('d', 4)).toEqual({ holds: false, admitted: false, evicted: null });
    expect(s.holderCount).toBe(3);
  });

  it('never lets a storm of one-off names take a slot once all are held, however long it lasts', () => {
    const s = slots(5);
    for (const c of ['a', 'b', 'c', 'd', 'e']) run(s, c, 2, 0);
    for (let i = 0; i < 50_000; i++) expect(s.touch(`random-${i}`, i).holds).toBe(false);
    expect(s.evictions).toBe(0);
    for (const c of ['a', 'b', 'c', 'd', 'e']) expect(s.touch(c, 50_000).admitted).toBe(false);
  });

  it('keeps the names it tracks bounded under a storm', () => {
    const s = slots(5, { maxTracked: 300 });
    for (let i = 0; i < 100_000; i++) s.touch(`random-${i}`, i);
    expect(s.trackedCount).toBeLessThanOrEqual(300);
  });

  it('hands the weakest slot to a command clearly busier than its holder, and says whose it was', () => {
    const s = slots(2);
    run(s, 'steady', 100, 0);
    run(s, 'rare', 2, 0);
    // 'busy' needs minChallengerScore (3) events and more than twice rare's activity (2).
    expect(run(s, 'busy', 4, 0).holds).toBe(false);
    expect(s.touch('busy', 0)).toEqual({ holds: true, admitted: true, evicted: 'rare' });
    expect(s.evictions).toBe(1);
    expect(s.touch('steady', 0).admitted).toBe(false);
  });

  it('lets a holder that went quiet lose its slot as its activity halves', () => {
    const s = slots(1);
    run(s, 'old', 40, 0);
    // At 5 minutes per halving, 40 events are worth 2.5 after 4 halvings: 6 recent events beat it.
    expect(run(s, 'new', 5, 20 * MINUTE).holds).toBe(false);
    expect(s.touch('new', 20 * MINUTE).evicted).toBe('old');
    expect(s.scoreOf('old', 20 * MINUTE)).toBeCloseTo(2.5, 5);
  });

  it('does not flap between two commands of the same activity', () => {
    const s = slots(1);
    for (let round = 0; round < 1000; round++) {
      s.touch('ping', round * 1000);
      s.touch('pong', round * 1000 + 500);
    }
    expect(s.evictions).toBe(0);
  });

  it('refuses a slot count that is not a positive whole number', () => {
    expect(() => slots(0)).toThrow(/maxCommands/);
    expect(() => slots(1.5)).toThrow(/maxCommands/);
  });
});
