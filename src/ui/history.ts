// Bounded memories the UI keeps beside the engine: recent events for the event log (with the name the
// process had when the event arrived), per-kind event rates for the panel's sparklines and the history
// view, and total CPU% and memory% for the history view. Pure.
import type { Pid, ProcEvent, ProcEventKind, ProcessInfo, SystemStats } from '../core/types.js';
import { PROC_EVENT_KINDS } from '../core/types.js';

export interface LoggedEvent {
  readonly event: ProcEvent;
  /** Name and command line at arrival: by the time the log is read the process may be long gone. */
  readonly comm: string | null;
  readonly cmdline: readonly string[] | null;
  /** Monotonic time the process started, for the lifetime shown on exit lines. */
  readonly startMs: number | null;
}

/** A ring of the newest `capacity` events; pushing is O(1) so event storms cost nothing extra. */
export class EventRing {
  private readonly items: (LoggedEvent | undefined)[];
  private next = 0;
  private stored = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<LoggedEvent | undefined>(capacity);
  }

  push(event: ProcEvent, lookup: (pid: Pid) => ProcessInfo | undefined): void {
    const p = lookup(event.tgid);
    const comm = event.kind === 'exec' || event.kind === 'comm' ? event.comm : (p?.comm ?? null);
    const cmdline = event.kind === 'exec' ? event.cmdline : (p?.cmdline ?? null);
    this.items[this.next] = { event, comm, cmdline, startMs: p?.startMs ?? null };
    this.next = (this.next + 1) % this.capacity;
    this.stored = Math.min(this.capacity, this.stored + 1);
  }

  get size(): number {
    return this.stored;
  }

  /**
   * The newest `n` events that `keep` accepts (all by default), newest first. The predicate is applied
   * while walking the ring, not to a fixed window of the newest events: on a busy machine a filter's
   * matches are soon older than the last few dozen events, and must still be found.
   */
  newest(n: number, keep?: (logged: LoggedEvent) => boolean, skip = 0): LoggedEvent[] {
    const out: LoggedEvent[] = [];
    let skipped = 0;
    for (let i = 1; i <= this.stored && out.length < n; i++) {
      const item = this.items[(this.next - i + this.capacity) % this.capacity];
      if (item === undefined || (keep !== undefined && !keep(item))) continue;
      if (skipped < skip) skipped++;
      else out.push(item);
    }
    return out;
  }

  /** How many events `keep` accepts (all by default): the Events screen's scroll limit. */
  count(keep?: (logged: LoggedEvent) => boolean): number {
    if (keep === undefined) return this.size;
    let n = 0;
    for (let i = 1; i <= this.size; i++) {
      const item = this.items[(this.next - i + this.capacity) % this.capacity];
      if (item !== undefined && keep(item)) n++;
    }
    return n;
  }
}

/** Events per second by kind, one sample per second, the last `capacity` seconds. */
export class RateHistory {
  private readonly series = new Map<ProcEventKind, number[]>(PROC_EVENT_KINDS.map((k) => [k, []]));

  constructor(readonly capacity: number) {}

  push(rates: Readonly<Record<ProcEventKind, number>>): void {
    for (const kind of PROC_EVENT_KINDS) {
      const s = this.series.get(kind) as number[];
      s.push(rates[kind]);
      if (s.length > this.capacity) s.shift();
    }
  }

  of(kind: ProcEventKind): readonly number[] {
    return this.series.get(kind) ?? [];
  }
}

/** Total CPU% and used memory % of the machine, one sample per second, the last `capacity` seconds. */
export class MeterHistory {
  private readonly cpu: number[] = [];
  private readonly mem: number[] = [];

  constructor(readonly capacity: number) {}

  push(system: SystemStats): void {
    const memPercent = system.memTotalBytes > 0 ? (100 * system.memUsedBytes) / system.memTotalBytes : 0;
    for (const [series, value] of [
      [this.cpu, system.cpuPercentTotal],
      [this.mem, memPercent],
    ] as const) {
      series.push(value);
      if (series.length > this.capacity) series.shift();
    }
  }

  get cpuPercent(): readonly number[] {
    return this.cpu;
  }

  get memPercent(): readonly number[] {
    return this.mem;
  }
}
