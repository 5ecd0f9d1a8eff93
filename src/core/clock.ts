// The engine's notion of time: a monotonic clock in milliseconds on the same base as the kernel's
// event timestamps (CLOCK_MONOTONIC), plus one-shot timers. Tests inject a FakeClock instead.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** CLOCK_MONOTONIC in milliseconds (same base as ProcEvent.timeMs). */
  nowMs(): number;
  /** Runs fn once after delayMs. */
  setTimer(fn: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/**
 * The real clock. process.hrtime reads CLOCK_MONOTONIC on Linux (libuv's uv_hrtime), the clock the
 * kernel stamps proc_event.timestamp_ns with, so event times and our own times compare directly.
 */
export function systemClock(): Clock {
  let nextId = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    nowMs: () => Number(process.hrtime.bigint()) / 1e6,
    setTimer(fn, delayMs) {
      const id = nextId++;
      const timeout = setTimeout(() => {
        timers.delete(id);
        fn();
      }, delayMs);
      timers.set(id, timeout);
      return { id };
    },
    clearTimer(handle) {
      const timeout = timers.get(handle.id);
      if (timeout !== undefined) clearTimeout(timeout);
      timers.delete(handle.id);
    },
  };
}
