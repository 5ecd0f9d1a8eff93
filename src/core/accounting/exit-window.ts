// Where the CPU went, for processes that no longer exist: the count, failures, CPU and peak memory of
// exited processes over a sliding window, by command and by parent. A busy build server can show 80%
// CPU with no live process above 2%: the difference is here. Pure: the caller passes the times.
import type { Pid } from '../types.js';

export interface ExitSample {
  /** The name the process exited under (comm). */
  readonly command: string;
  /** Its parent at exit (tgid). */
  readonly parent: Pid;
  /** Exact CPU from taskstats, or null when no record came (then it counts, but adds no CPU). */
  readonly cpuMs: number | null;
  readonly peakRssKiB: number | null;
  /** Non-zero exit status or killed by a signal. */
  readonly failed: boolean;
  /** Monotonic ms of the exit. */
  readonly exitMs: number;
}

export interface ExitTotals {
  readonly count: number;
  readonly failures: number;
  /** Sum of the CPU of those with a record. */
  readonly cpuMs: number;
  /** How many had no record (no CPU figure): says how complete cpuMs is. */
  readonly withoutCpu: number;
  /** Largest peak RSS among them, KiB (0 when none had a record). */
  readonly peakRssKiB: number;
}

export interface CommandTotals extends ExitTotals {
  readonly command: string;
}

interface MutableTotals {
  count: number;
  failures: number;
  cpuMs: number;
  withoutCpu: number;
  peakRssKiB: number;
}

interface Bucket {
  startMs: number;
  readonly byCommand: Map<string, MutableTotals>;
  readonly byParent: Map<Pid, MutableTotals>;
  all: MutableTotals;
}

/** Beyond this many distinct names in one bucket, the rest are counted under OTHER_COMMANDS (a storm of random names stays bounded). */
const MAX_COMMANDS_PER_BUCKET = 4096;
export const OTHER_COMMANDS = '(other)';

const zero = (): MutableTotals => ({ count: 0, failures: 0, cpuMs: 0, withoutCpu: 0, peakRssKiB: 0 });

function addTo(totals: MutableTotals, sample: ExitSample): void {
  totals.count++;
  if (sample.failed) totals.failures++;
  if (sample.cpuMs === null) totals.withoutCpu++;
  else totals.cpuMs += sample.cpuMs;
  if (sample.peakRssKiB !== null && sample.peakRssKiB > totals.peakRssKiB) totals.peakRssKiB = sample.peakRssKiB;
}

function merge(into: MutableTotals, from: MutableTotals): void {
  into.count += from.count;
  into.failures += from.failures;
  into.cpuMs += from.cpuMs;
  into.withoutCpu += from.withoutCpu;
  if (from.peakRssKiB > into.peakRssKiB) into.peakRssKiB = from.peakRssKiB;
}

export class ExitWindow {
  /** Buckets in time order; the oldest leave once they fall out of the window. */
  private readonly buckets: Bucket[] = [];

  constructor(
    readonly windowMs = 60_000,
    private readonly bucketMs = 1000,
  ) {}

  add(sample: ExitSample): void {
    const bucket = this.bucketFor(sample.exitMs);
    const command =
      bucket.byCommand.has(sample.command) || bucket.byCommand.size < MAX_COMMANDS_PER_BUCKET
        ? sample.command
        : OTHER_COMMANDS;
    addTo(this.entry(bucket.byCommand, command), sample);
    addTo(this.entry(bucket.byParent, sample.parent), sample);
    addTo(bucket.all, sample);
  }

  /** Every exit in the window, summed. */
  total(nowMs: number, spanMs = this.windowMs): ExitTotals {
    const sum = zero();
    for (const bucket of this.live(nowMs, spanMs)) merge(sum, bucket.all);
    return sum;
  }

  /** One row per command over the window, the most CPU first (then the most exits). */
  byCommand(nowMs: number): CommandTotals[] {
    const sums = new Map<string, MutableTotals>();
    for (const bucket of this.live(nowMs, this.windowMs))
      for (const [command, totals] of bucket.byCommand) merge(this.entry(sums, command), totals);
    return [...sums]
      .map(([command, totals]) => ({ command, ...totals }))
      .sort((a, b) => b.cpuMs - a.cpuMs || b.count - a.count || (a.command < b.command ? -1 : 1));
  }

  /**
   * Totals per subtree over the window: each exit counts for its parent and every ancestor of it that
   * parentOf knows (so a make at the top of a build gets the CPU of every compiler below it).
   */
  bySubtree(nowMs: number, parentOf: (pid: Pid) => Pid | undefined): Map<Pid, ExitTotals> {
    const direct = new Map<Pid, MutableTotals>();
    for (const bucket of this.live(nowMs, this.windowMs))
      for (const [parent, totals] of bucket.byParent) merge(this.entry(direct, parent), totals);
    const result = new Map<Pid, MutableTotals>();
    for (const [parent, totals] of direct) {
      // Bounded walk: a cycle in a half-updated model must not hang the caller.
      for (
        let pid: Pid | undefined = parent, depth = 0;
        pid !== undefined && pid > 0 && depth < 256;
        pid = parentOf(pid), depth++
      ) {
        merge(this.entry(result, pid), totals);
      }
    }
    return result;
  }

  private live(nowMs: number, spanMs: number): Bucket[] {
    const oldest = nowMs - Math.min(spanMs, this.windowMs);
    while (this.buckets.length > 0 && (this.buckets[0] as Bucket).startMs + this.bucketMs <= nowMs - this.windowMs)
      this.buckets.shift();
    return this.buckets.filter((bucket) => bucket.startMs + this.bucketMs > oldest && bucket.startMs <= nowMs);
  }

  private bucketFor(exitMs: number): Bucket {
    const startMs = Math.floor(exitMs / this.bucketMs) * this.bucketMs;
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && last.startMs === startMs) return last;
    // Exits arrive nearly in time order; a late one (another CPU's) finds its bucket from the end.
    for (let i = this.buckets.length - 1; i >= 0; i--) {
      const bucket = this.buckets[i] as Bucket;
      if (bucket.startMs === startMs) return bucket;
      if (bucket.startMs < startMs) {
        const created: Bucket = { startMs, byCommand: new Map(), byParent: new Map(), all: zero() };
        this.buckets.splice(i + 1, 0, created);
        return created;
      }
    }
    const created: Bucket = { startMs, byCommand: new Map(), byParent: new Map(), all: zero() };
    this.buckets.unshift(created);
    return created;
  }

  private entry<K>(map: Map<K, MutableTotals>, key: K): MutableTotals {
    let totals = map.get(key);
    if (totals === undefined) map.set(key, (totals = zero()));
    return totals;
  }
}
