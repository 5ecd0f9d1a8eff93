// A pid → row-number table with open addressing in typed arrays. The tree walk needs one lookup per
// process per frame; a Map costs ~200 ns per insert on a busy machine, this a few nanoseconds.
import type { Pid } from '../core/types.js';

export class PidIndex {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
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
    return Math.imul(pid, 0x9e3779b1) >>> 0 & this.mask;
  }
}
