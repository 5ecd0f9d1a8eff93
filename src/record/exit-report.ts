// `cntop report exits` over a recording: where the CPU of the dead went by command, which commands are
// in a crash loop, and the latest failures. The by-command totals come from the same ExitWindow the
// live Exited tab sums (fed the recorded exits on the session's monotonic clock, counted in the same
// 1 s buckets), so a window of the recording reads as the live view read it then. Pure.
import { exitSampleOf } from '../core/accounting/exit-accountant.js';
import { ExitWindow, type CommandTotals } from '../core/accounting/exit-window.js';
import type { ExitStatus, Pid } from '../core/types.js';
import type { CoverageRow, RecordedExit } from './recording-reader.js';

export interface CrashLoop {
  readonly command: string;
  readonly runs: number;
  readonly failures: number;
  /** How the latest failed run ended. */
  readonly lastStatus: ExitStatus;
  readonly lastExitMs: number;
  /** Median lifetime of its failed runs, ms (null when no start was known). */
  readonly medianLifetimeMs: number | null;
  readonly failuresPerMinute: number;
  /** The parents that kept starting it (a supervisor, a shell loop). */
  readonly parents: readonly Pid[];
}

export interface ExitReport {
  readonly sinceMs: number;
  readonly untilMs: number;
  /** Bucket width of the by-command sums: 1 s up to an hour's window (as the live view), coarser beyond. */
  readonly bucketMs: number;
  readonly exits: number;
  readonly failures: number;
  readonly byCommand: readonly CommandTotals[];
  readonly crashLoops: readonly CrashLoop[];
  /** The latest failed exits, newest first. */
  readonly recentFailures: readonly RecordedExit[];
  readonly coverage: readonly CoverageRow[];
}

/** A command in a crash loop: at least this many failures in the window, and at least half of its runs failed. */
export const CRASH_LOOP_MIN_FAILURES = 3;
const RECENT_FAILURES = 20;
const MAX_BUCKETS = 3600;

/** The bucket width for a window: the live view's 1 s, or wider so that a long window holds at most 3,600. */
export function bucketMsFor(windowMs: number): number {
  return windowMs <= MAX_BUCKETS * 1000 ? 1000 : Math.ceil(windowMs / MAX_BUCKETS / 1000) * 1000;
}

function failed(status: ExitStatus): boolean {
  return status.signal !== null || (status.code !== null && status.code !== 0);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * exits: every recorded exit with end in (sinceMs - bucketMsFor(window), untilMs], oldest first (the
 * window counts whole buckets, as the live one does). monoOffsetMs: the anchor of the session that
 * holds untilMs, whose monotonic clock the buckets follow.
 */
export function buildExitReport(
  exits: readonly RecordedExit[],
  window: { readonly sinceMs: number; readonly untilMs: number; readonly monoOffsetMs: number },
  coverage: readonly CoverageRow[],
): ExitReport {
  const windowMs = Math.max(1, window.untilMs - window.sinceMs);
  const bucketMs = bucketMsFor(windowMs);
  const sums = new ExitWindow(windowMs, bucketMs);
  for (const e of exits) sums.add(exitSampleOf({ ...e, exitMs: e.exitMs - window.monoOffsetMs }, e.accounting));
  const byCommand = sums.byCommand(window.untilMs - window.monoOffsetMs);
  const inWindow = exits.filter((e) => e.exitMs > window.sinceMs && e.exitMs <= window.untilMs);
  const failures = inWindow.filter((e) => failed(e.status));
  return {
    sinceMs: window.sinceMs,
    untilMs: window.untilMs,
    bucketMs,
    exits: inWindow.length,
    failures: failures.length,
    byCommand,
    crashLoops: crashLoops(inWindow, windowMs),
    recentFailures: failures.slice(-RECENT_FAILURES).reverse(),
    coverage,
  };
}

function crashLoops(exits: readonly RecordedExit[], windowMs: number): CrashLoop[] {
  const byCommand = new Map<string, RecordedExit[]>();
  for (const e of exits) {
    let list = byCommand.get(e.comm);
    if (list === undefined) byCommand.set(e.comm, (list = []));
    list.push(e);
  }
  const loops: CrashLoop[] = [];
  for (const [command, runs] of byCommand) {
    const failedRuns = runs.filter((e) => failed(e.status));
    if (failedRuns.length < CRASH_LOOP_MIN_FAILURES || failedRuns.length * 2 < runs.length) continue;
    const last = failedRuns[failedRuns.length - 1] as RecordedExit;
    loops.push({
      command,
      runs: runs.length,
      failures: failedRuns.length,
      lastStatus: last.status,
      lastExitMs: last.exitMs,
      medianLifetimeMs: median(failedRuns.flatMap((e) => (e.lifetimeMs === null ? [] : [e.lifetimeMs]))),
      failuresPerMinute: (failedRuns.length * 60_000) / windowMs,
      parents: [...new Set(failedRuns.map((e) => e.ppid))].slice(0, 8),
    });
  }
  return loops.sort((a, b) => b.failures - a.failures || (a.command < b.command ? -1 : 1));
}
