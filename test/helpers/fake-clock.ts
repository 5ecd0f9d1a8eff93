// A hand-driven monotonic clock for unit tests: time moves only when advance() is called, and
// timers fire in due order as it passes them.
import type { Clock, TimerHandle } from '../../src/core/clock.js';

interface FakeTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

export class FakeClock implements Clock {
  private timers: FakeTimer[] = [];
  private nextId = 1;

  constructor(private now = 1_000_000) {}

  nowMs(): number {
    return this.now;
  }

  setTimer(fn: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueMs: this.now + delayMs, fn };
    this.timers.push(timer);
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle.id);
  }

  /** Moves time forward by ms, firing every timer that falls due on the way, earliest first. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.dueMs <= end).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = Math.max(this.now, due.dueMs);
      due.fn();
    }
    this.now = end;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
