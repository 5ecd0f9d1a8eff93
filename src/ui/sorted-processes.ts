// The sorted process list behind the list view, kept between frames. After an event batch most
// processes keep their place: one pass re-checks every listed key (the engine updates records in place,
// sometimes without an event for that pid), moves only the changed ones, drops the tombstones the engine
// let go and adds the pids the events announced. A full sort happens only when that is not cheaper.
// The result is typed arrays of pid and ppid in sort order, double-buffered and reused frame after frame:
// the tree walk then never touches the records (scattered in the heap, a cache miss each), and a storm's
// frames allocate nothing here that a garbage collection would have to pay for inside a later frame.
import type { Pid, ProcessInfo } from '../core/types.js';
import { PidIndex } from './pid-index.js';

const PID_BITS = 2 ** 23; // pid_max is at most 2^22
const KEY_LIMIT = 2 ** 30; // KEY_LIMIT * PID_BITS stays below 2^53: exact in a double

/** The sort key of a process as a non-negative integer below 2^30 (a column's sortInt). */
export type SortInt = (p: ProcessInfo, nowMs: number) => number;

/** (key, pid) packed into one double, ascending pid among equal keys; NaN when it cannot be packed. */
export function packKey(p: ProcessInfo, sortInt: SortInt, descending: boolean, nowMs: number): number {
  const key = sortInt(p, nowMs);
  if (!(key >= 0 && key < KEY_LIMIT) || p.pid < 0 || p.pid >= PID_BITS) return NaN;
  return (descending ? KEY_LIMIT - 1 - key : key) * PID_BITS + p.pid;
}

/** A list in sort order: pid and parent pid of row i for i < count. Valid until its producer's next update. */
export interface SortedList {
  readonly count: number;
  readonly pids: Int32Array;
  readonly ppids: Int32Array;
}

/** One buffer of the double buffer: the sorted records, their packed keys, pids and ppids. */
class SortedBuffer implements SortedList {
  count = 0;
  records: ProcessInfo[] = [];
  packed = new Float64Array(0);
  pids = new Int32Array(0);
  ppids = new Int32Array(0);

  ensure(n: number): void {
    if (this.packed.length >= n) return;
    const size = Math.ceil(n * 1.25) + 64;
    this.packed = new Float64Array(size);
    this.pids = new Int32Array(size);
    this.ppids = new Int32Array(size);
  }

  put(at: number, p: ProcessInfo, key: number): void {
    this.records[at] = p;
    this.packed[at] = key;
    this.pids[at] = p.pid;
    this.ppids[at] = p.ppid;
  }

  /** Ends a fill of `count` rows; drops references to records beyond it so the engine can let them go. */
  finish(count: number): void {
    this.count = count;
    if (this.records.length > count) this.records.length = count;
  }
}

interface Moved {
  readonly p: ProcessInfo;
  readonly key: number;
}

export class SortedProcesses {
  private front = new SortedBuffer();
  private back = new SortedBuffer();
  private sortInt: SortInt | null = null;
  private descending = false;
  private readonly indexOf = new PidIndex(0);
  private rebuildKeys = new Float64Array(0);
  // One bit per packable pid (1 MiB): "announced" during the one pass over the list, then cleared.
  private readonly announcedBits = new Uint8Array(PID_BITS / 8);
  /** Updates that kept the list (for tests and profiles: the rest were rebuilds). */
  incrementalUpdates = 0;

  /** Forgets the list: the next update() declines and a rebuild follows. */
  reset(): void {
    this.sortInt = null;
    this.front.finish(0);
    this.back.finish(0);
  }

  /** Sorts `list` from scratch; null when a key cannot be packed (the caller sorts with a comparator). */
  rebuild(list: readonly ProcessInfo[], sortInt: SortInt, descending: boolean, nowMs: number): SortedList | null {
    this.sortInt = null;
    const n = list.length;
    if (this.rebuildKeys.length < n) this.rebuildKeys = new Float64Array(Math.ceil(n * 1.25) + 64);
    const keys = this.rebuildKeys.subarray(0, n);
    const indexOf = this.indexOf;
    indexOf.reset(n);
    for (let i = 0; i < n; i++) {
      const p = list[i] as ProcessInfo;
      const key = packKey(p, sortInt, descending, nowMs);
      if (Number.isNaN(key)) return null;
      keys[i] = key;
      indexOf.set(p.pid, i);
    }
    keys.sort();
    // Back to records through the typed pid table: a Map lookup per process cost ~1.5 ms per frame.
    const out = this.back;
    out.ensure(n);
    for (let i = 0; i < n; i++) {
      const key = keys[i] as number;
      out.put(i, list[indexOf.get(key % PID_BITS)] as ProcessInfo, key);
    }
    out.finish(n);
    this.swap();
    this.sortInt = sortInt;
    this.descending = descending;
    return this.front;
  }

  /**
   * Brings the last sorted list up to date with `processes` after events that announced `announced`
   * (tgids; read more than once). Null when a rebuild is due: another sort, a key that cannot be packed, too many moves, or
   * a count that does not add up (something changed that no event announced).
   */
  update(
    processes: ReadonlyMap<Pid, ProcessInfo>,
    announced: ReadonlySet<Pid> | readonly Pid[],
    sortInt: SortInt,
    descending: boolean,
    nowMs: number,
  ): SortedList | null {
    if (this.sortInt !== sortInt || this.descending !== descending) return null;
    const bits = this.announcedBits;
    for (const pid of announced)
      if (pid >= 0 && pid < PID_BITS) bits[pid >>> 3] = (bits[pid >>> 3] as number) | (1 << (pid & 7));
    const moved = this.keepUnmoved(processes, nowMs);
    for (const pid of announced) if (pid >= 0 && pid < PID_BITS) bits[pid >>> 3] = 0;
    if (moved === null) return null;
    const kept = this.back;
    for (const pid of announced) {
      const p = processes.get(pid);
      if (p === undefined) continue;
      const key = packKey(p, sortInt, descending, nowMs);
      if (Number.isNaN(key)) return null;
      const at = lowerBound(kept.packed, kept.count, key);
      if (at < kept.count && kept.packed[at] === key && kept.records[at] === p) continue;
      moved.push({ p, key });
    }
    // A record both re-keyed and announced (or announced twice) was set aside twice: same key, adjacent.
    moved.sort((a, b) => a.key - b.key);
    const extra = moved.filter((m, i) => i === 0 || m.p !== (moved[i - 1] as Moved).p);
    if (kept.count + extra.length !== processes.size) return null;
    this.merge(extra);
    this.incrementalUpdates++;
    return this.front;
  }

  private swap(): void {
    const front = this.front;
    this.front = this.back;
    this.back = front;
  }

  /**
   * One pass over the list into the back buffer: records whose key is unchanged stay in order (with
   * their current ppid); changed ones are returned, null when there are too many of them.
   */
  private keepUnmoved(processes: ReadonlyMap<Pid, ProcessInfo>, nowMs: number): Moved[] | null {
    const { sortInt, descending, front, back } = this;
    if (sortInt === null) return null;
    const n = front.count;
    back.ensure(n);
    const moved: Moved[] = [];
    let count = 0;
    for (let i = 0; i < n; i++) {
      const p = front.records[i] as ProcessInfo;
      // Between refreshes a record leaves the table only as a tombstone (swept, or evicted in a storm)
      // or when an event names its pid (a pid reused, an engine that replaces records).
      const announced = (this.announcedBits[p.pid >>> 3] as number) & (1 << (p.pid & 7));
      if ((p.exitMs !== null || announced !== 0) && processes.get(p.pid) !== p) continue;
      const key = packKey(p, sortInt, descending, nowMs);
      if (key === front.packed[i]) back.put(count++, p, key);
      else moved.push({ p, key });
    }
    back.finish(count);
    // Past an eighth of the list, the native sort of a rebuild is cheaper than placing each one.
    return moved.length > n / 8 ? null : moved;
  }

  /** Merges `extra` (sorted by key) with the kept rows of the back buffer into the front buffer. */
  private merge(extra: readonly Moved[]): void {
    const kept = this.back;
    const count = kept.count;
    const total = count + extra.length;
    const out = this.front;
    out.ensure(total);
    let i = 0;
    let j = 0;
    for (let o = 0; o < total; o++) {
      const e = extra[j];
      if (e !== undefined && (i >= count || e.key < (kept.packed[i] as number))) {
        out.put(o, e.p, e.key);
        j++;
      } else {
        out.put(o, kept.records[i] as ProcessInfo, kept.packed[i] as number);
        i++;
      }
    }
    out.finish(total);
  }
}

/** First index in packed[0, count) whose value is >= key. */
function lowerBound(packed: Float64Array, count: number, key: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((packed[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
