// Parent pid → children pids, maintained incrementally. Arrays for readers are built lazily and
// cached until that parent's children change, so a frame can ask for every row's children cheaply.
import type { Pid } from '../types.js';

const NONE: readonly Pid[] = Object.freeze([]);

export class ChildrenIndex {
  private readonly sets = new Map<Pid, Set<Pid>>();
  private readonly arrays = new Map<Pid, readonly Pid[]>();

  add(parent: Pid, child: Pid): void {
    let set = this.sets.get(parent);
    if (set === undefined) {
      set = new Set();
      this.sets.set(parent, set);
    }
    set.add(child);
    this.arrays.delete(parent);
  }

  remove(parent: Pid, child: Pid): void {
    const set = this.sets.get(parent);
    if (set === undefined || !set.delete(child)) return;
    if (set.size === 0) this.sets.delete(parent);
    this.arrays.delete(parent);
  }

  of(parent: Pid): readonly Pid[] {
    let array = this.arrays.get(parent);
    if (array === undefined) {
      const set = this.sets.get(parent);
      if (set === undefined) return NONE;
      array = Array.from(set);
      this.arrays.set(parent, array);
    }
    return array;
  }

  clear(): void {
    this.sets.clear();
    this.arrays.clear();
  }
}
