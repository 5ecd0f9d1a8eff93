// What the event formatters need to know beyond the event itself: the wall-clock offset of the
// monotonic clock, and what the model remembers about a process (its command, parent, start).
import type { Pid } from '../core/types.js';

/** What the model knows about a process (live, lingering tombstone, or in the exited ring). */
export interface ProcessFacts {
  readonly comm: string;
  readonly cmdline: readonly string[] | null;
  readonly ppid: Pid;
  /** Monotonic ms of its start, or null when unknown (born before cntop and never read). */
  readonly startMs: number | null;
}

export interface EventContext {
  /** Add to an event's monotonic timeMs to get wall-clock ms since the epoch. */
  readonly wallOffsetMs: number;
  /** The model's facts about a process (by tgid), or null when it never knew it. */
  lookup(tgid: Pid): ProcessFacts | null;
}

/** Wall offset = Date.now() - monotonicNow, computed once per batch so NTP steps are followed. */
export function wallOffsetMs(nowWallMs: number, nowMonotonicMs: number): number {
  return nowWallMs - nowMonotonicMs;
}

/** Lifetime of a process that exited at exitMs, or null when its start is unknown or inconsistent. */
export function lifetimeMs(facts: ProcessFacts | null, exitMs: number): number | null {
  if (facts === null || facts.startMs === null) return null;
  const lifetime = exitMs - facts.startMs;
  // A start later than the exit means pid reuse or clock mismatch: better no figure than a wrong one.
  return lifetime >= 0 ? Math.round(lifetime * 1000) / 1000 : null;
}
