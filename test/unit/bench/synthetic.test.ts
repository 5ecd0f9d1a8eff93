// The synthetic traffic the model benchmarks feed the engine: whole lifecycles in batches, and a
// simulated clock whose timers fire in time order only when it is advanced.
import { describe, expect, it } from 'vitest';
import { lifecycleBatches, simulatedClock } from '../../../bench/probes/synthetic.mjs';

describe('lifecycleBatches', () => {
  it('yields fork, exec, exit per child in batches, time increasing at the given rate', () => {
    const batches = [
      ...lifecycleBatches({ parentPid: 42, totalEvents: 30, batchEvents: 9, eventsPerSecond: 1000, startMs: 0 }),
    ];
    const events = batches.flat();
    expect(events).toHaveLength(30);
    expect(batches.map((b) => b.length)).toEqual([9, 9, 9, 3]);
    expect(events.slice(0, 3).map((e) => e.kind)).toEqual(['fork', 'exec', 'exit']);
    expect(new Set(events.slice(0, 3).map((e) => e.pid)).size).toBe(1);
    const first = events[0];
    expect(first?.kind === 'fork' && first.parentTgid).toBe(42);
    expect(events[29]?.timeMs).toBeCloseTo(30, 6);
  });

  it('uses pids no real process can have on this machine', () => {
    const [batch] = [
      ...lifecycleBatches({ parentPid: 1, totalEvents: 3, batchEvents: 3, eventsPerSecond: 1, startMs: 0 }),
    ];
    expect(batch?.[0]?.pid).toBeGreaterThan(4_194_304 - 200_000);
  });
});

describe('simulatedClock', () => {
  it('fires due timers in time order on advance, and never on its own', () => {
    const clock = simulatedClock(100);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 20);
    clock.setTimer(() => fired.push('a'), 10);
    const cancelled = clock.setTimer(() => fired.push('x'), 5);
    clock.clearTimer(cancelled);
    expect(fired).toEqual([]);
    clock.advance(15);
    expect(fired).toEqual(['a']);
    clock.advance(10);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.nowMs()).toBe(125);
  });

  it('fires a timer that a firing timer schedules when it is already due', () => {
    const clock = simulatedClock(0);
    const fired: number[] = [];
    clock.setTimer(() => {
      fired.push(clock.nowMs());
      clock.setTimer(() => fired.push(-1), 0);
    }, 1);
    clock.advance(5);
    expect(fired).toEqual([5, -1]);
  });
});
