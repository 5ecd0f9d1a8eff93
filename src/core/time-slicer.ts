// Cooperative time slicing for passes over every process (refresh, scan, reconcile): do about
// sliceMs of work, then give the event loop one turn so event batches, keys and frames run between.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** ~4 ms keeps a 60 fps frame budget (16 ms) intact even when a frame lands mid-pass. */
export const DEFAULT_SLICE_MS = 4;

export class TimeSlicer {
  private deadline: number;
  private sinceCheck = 0;

  /** checkEvery: units of work between clock reads (a stat read is ~5-10 µs; reading the clock
   *  after each one would cost more than it saves). Real time, not the engine's clock: what must
   *  stay short is the wall-clock stall of the event loop, whatever clock the model runs on. */
  constructor(
    private readonly sliceMs = DEFAULT_SLICE_MS,
    private readonly checkEvery = 16,
  ) {
    this.deadline = performance.now() + sliceMs;
  }

  /** Call after each unit of work; true when the slice is used up and the caller should await pause(). */
  due(): boolean {
    if (++this.sinceCheck < this.checkEvery) return false;
    this.sinceCheck = 0;
    return performance.now() >= this.deadline;
  }

  /** Yields one event-loop turn (setImmediate: after pending I/O callbacks), then starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn();
    this.deadline = performance.now() + this.sliceMs;
  }
}
