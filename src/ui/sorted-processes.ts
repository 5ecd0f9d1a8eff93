// The sorted process list behind the list view, kept between frames. After an event batch most
// processes keep their place: one pass re-checks every listed key (the engine updates records in place,
// sometimes without an event for that pid), moves only the changed ones, drops the tombstones the engine
// let go and adds the pids the events announced. A full sort happens only when that is not cheaper.
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

export class SortedProcesses {
  private records: ProcessInfo[] = [];
  private packed = new Float64Array(0);
  private sortInt: SortInt | null = null;
  private descending = false;
  // One bit per packable pid (1 MiB): "announced" during the one pass over the list, then cleared.
  private readonly announcedBits = new Uint8Array(PID_BITS / 8);
  /** Updates that kept the list (for tests and profiles: the rest were rebuilds). */
  incrementalUpdates = 0;

  /** Forgets the list: the next update() declines and a rebuild follows. */
  reset(): void {
    this.sortInt = null;
    this.records = [];
    this.packed = new Float64Array(0);
  }

  /** Sorts `list` from scratch; null when a key cannot be packed (the caller sorts with a comparator). */
  rebuild(list: readonly ProcessInfo[], sortInt: SortInt, descending: boolean, nowMs: number): readonly ProcessInfo[] | null {
    this.sortInt = null;
    const packed = new Float64Array(list.length);
    const indexOf = new PidIndex(list.length);
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as ProcessInfo;
      const key = packKey(p, sortInt, descending, nowMs);
      if (Number.isNaN(key)) return null;
      packed[i] = key;
      indexOf.set(p.pid, i);
    }
    packed.sort();
    // Back to records through the typed pid table: a Map lookup per process cost ~1.5 ms per frame.
    this.records = Array.from(packed, (v) => list[indexOf.get(v % PID_BITS)] as ProcessInfo);
    this.packed = packed;
    this.sortInt = sortInt;
    this.descending = descending;
    return this.records;
  }

  /**
   * Brings the last sorted list up to date with `processes` after events that announced `announced`
   * (tgids). Null when a rebuild is due: another sort, a key that cannot be packed, too many moves, or
   * a count that does not add up (something changed that no event announced).
   */
  update(processes: ReadonlyMap<Pid, ProcessInfo>, announced: Iterable<Pid>, sortInt: SortInt, descending: boolean, nowMs: number): readonly ProcessInfo[] | null {
    if (this.sortInt !== sortInt || this.descending !== descending) return null;
    const pids = [...announced].filter((pid) => pid >= 0 && pid < PID_BITS);
    for (const pid of pids) this.announcedBits[pid >>> 3] = (this.announcedBits[pid >>> 3] as number) | (1 << (pid & 7));
    const kept = this.keepUnmoved(processes, nowMs);
    for (const pid of pids) this.announcedBits[pid >>> 3] = 0;
    if (kept === null) return null;
    const moved = kept.moved;
    const movedSet = new Set(moved);
    for (const pid of pids) {
      const p = processes.get(pid);
      if (p === undefined || movedSet.has(p)) continue;
      const key = packKey(p, sortInt, descending, nowMs);
      if (Number.isNaN(key)) return null;
      const at = lowerBound(kept.packed, kept.count, key);
      if (at < kept.count && kept.packed[at] === key && kept.records[at] === p) continue;
      moved.push(p);
      movedSet.add(p);
    }
    if (kept.count + moved.length !== processes.size) return null;
    this.merge(kept.records, kept.packed, kept.count, moved, nowMs);
    this.incrementalUpdates++;
    return this.records;
  }

  /** One pass over the list: records whose key is unchanged stay in order; changed ones are set aside. */
  private keepUnmoved(processes: ReadonlyMap<Pid, ProcessInfo>, nowMs: number): { records: ProcessInfo[]; packed: Float64Array; count: number; moved: ProcessInfo[] } | null {
    const { sortInt, descending } = this;
    if (sortInt === null) return null;
    const n = this.records.length;
    const records = new Array<ProcessInfo>(n);
    const packed = new Float64Array(n);
    const moved: ProcessInfo[] = [];
    let count = 0;
    for (let i = 0; i < n; i++) {
      const p = this.records[i] as ProcessInfo;
      // Between refreshes a record leaves the table only as a tombstone (swept, or evicted in a storm)
      // or when an event names its pid (a pid reused, an engine that replaces records).
      const announced = (this.announcedBits[p.pid >>> 3] as number) & (1 << (p.pid & 7));
      if ((p.exitMs !== null || announced !== 0) && processes.get(p.pid) !== p) continue;
      const key = packKey(p, sortInt, descending, nowMs);
      if (key === this.packed[i]) {
        records[count] = p;
        packed[count++] = key;
      } else {
        moved.push(p);
      }
    }
    // Past an eighth of the list, the native sort of a rebuild is cheaper than placing each one.
    return moved.length > n / 8 ? null : { records, packed, count, moved };
  }

  private merge(records: readonly ProcessInfo[], packed: Float64Array, count: number, moved: readonly ProcessInfo[], nowMs: number): void {
    const sortInt = this.sortInt as SortInt;
    const extra = moved.map((p) => ({ p, key: packKey(p, sortInt, this.descending, nowMs) })).sort((a, b) => a.key - b.key);
    const total = count + extra.length;
    const outRecords = new Array<ProcessInfo>(total);
    const outPacked = new Float64Array(total);
    let i = 0;
    let j = 0;
    for (let o = 0; o < total; o++) {
      const e = extra[j];
      if (e !== undefined && (i >= count || e.key < (packed[i] as number))) {
        outRecords[o] = e.p;
        outPacked[o] = e.key;
        j++;
      } else {
        outRecords[o] = records[i] as ProcessInfo;
        outPacked[o] = packed[i] as number;
        i++;
      }
    }
    this.records = outRecords;
    this.packed = outPacked;
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
