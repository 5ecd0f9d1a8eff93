// A pid → row-number table with open addressing in typed arrays. The tree walk needs one lookup per
// process per frame; a Map costs ~200 ns per insert on a busy machine, this a few nanoseconds.
// reset() reuses the arrays: a fresh table per frame (256 KiB at 10,000 processes) is memory outside
// the JS heap that V8 pays for with full garbage collections, which then land inside frames.
import type { Pid } from '../core/types.js';

export class PidIndex {
  private keys = new Int32Array(0);
  private values = new Int32Array(0);
  private mask = 0;

  constructor(expected: number) {
    this.reset(expected);
  }

  /** Empties the table, sized for `expected` entries (grown when they would not fit, never shrunk). */
  reset(expected: number): void {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    if (capacity > this.keys.length) {
      this.keys = new Int32Array(capacity);
      this.values = new Int32Array(capacity);
      this.mask = capacity - 1;
    }
    this.keys.fill(-1);
  }

  set(pid: Pid, value: number): void {
    let slot = this.slotOf(pid);
    while (this.keys[slot] !== -1 && this.keys[slot] !== pid) slot = (slot + 1) & this.mask;
    this.keys[slot] = pid;
    this.values[slot] = value;
  }

  /** The value stored for pid, or -1. */
  get(pid: Pid): number {
    for (let slot = this.slotOf(pid); ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot];
      if (key === pid) return this.values[slot] as number;
      if (key === -1) return -1;
    }
  }

  // Fibonacci hashing spreads the dense, sequential pids the kernel hands out.
  private slotOf(pid: Pid): number {
    return (Math.imul(pid, 0x9e3779b1) >>> 0) & this.mask;
  }
}
