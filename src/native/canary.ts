// The canary: spawn a short child (/bin/true) and wait until its fork, exec and exit events arrive
// through the given event feed. Proves end-to-end delivery, which an ack alone does not. With a record
// feed (taskstats on), it also waits briefly for the child's own taskstats record: the kernel acks a
// registration that it then never serves (TASKSTATS.md), so only a record proves that records flow.
import { spawn } from 'node:child_process';
import { CanaryWatch } from '../core/health/canary-watch.js';
import type { CanaryOutcome, CanaryRecordCheck } from '../core/health/health-facts.js';
import type { ProcEvent } from '../core/types.js';

/** Where the canary gets its events from: the doctor's connector, or the engine's onEvents. */
export type EventFeed = (listener: (events: readonly ProcEvent[]) => void) => () => void;

/** Where it gets the ids of exited tasks whose taskstats record arrived (the doctor's batches, the engine's accounted exits). */
export type RecordFeed = (listener: (ids: readonly number[]) => void) => () => void;

export interface CanaryOptions {
  readonly timeoutMs: number;
  readonly nowMs: () => number;
  readonly command?: string;
  readonly args?: readonly string[];
  /** Given when taskstats is on: the canary's exit must produce a record. */
  readonly records?: RecordFeed;
  /** After fork, exec and exit, how long the record may still take (within timeoutMs). Default 1000. */
  readonly recordGraceMs?: number;
}

export function runCanary(feed: EventFeed, options: CanaryOptions): Promise<CanaryOutcome> {
  const watch = new CanaryWatch();
  const spawnedMs = options.nowMs();
  let recordMs: number | null = null;
  // Set once the child is spawned, which is after both feeds are subscribed (so none of its events is missed).
  let childPid: number | undefined = undefined;
  const unsubscribe = feed((events) => {
    watch.feed(events, options.nowMs());
    settleIfDone();
  });
  const unsubscribeRecords =
    options.records?.((ids) => {
      if (recordMs === null && childPid !== undefined && ids.includes(childPid)) recordMs = options.nowMs();
      settleIfDone();
    }) ?? null;
  let settle: (outcome: CanaryOutcome) => void = () => undefined;
  const done = new Promise<CanaryOutcome>((resolve) => (settle = resolve));
  let timer: NodeJS.Timeout | null = null;
  let graceTimer: NodeJS.Timeout | null = null;
  let finished = false;
  function settleIfDone(): void {
    if (finished || !watch.complete()) return;
    if (options.records === undefined || recordMs !== null) {
      finish();
      return;
    }
    graceTimer ??= setTimeout(finish, options.recordGraceMs ?? 1000);
  }
  function finish(): void {
    if (finished) return;
    finished = true;
    if (timer !== null) clearTimeout(timer);
    if (graceTimer !== null) clearTimeout(graceTimer);
    unsubscribe();
    unsubscribeRecords?.();
    const completed = watch.completedMs();
    const seen = watch.seen();
    const nowMs = options.nowMs();
    const outcome: CanaryOutcome = {
      ok: completed !== null,
      latencyMs: completed === null ? null : completed - spawnedMs,
      atMs: nowMs,
      detail:
        completed !== null
          ? `fork, exec and exit of pid ${childPid ?? '?'} arrived`
          : `within ${options.timeoutMs} ms only [${seen.join(', ')}] of pid ${childPid ?? '?'} arrived`,
    };
    settle(
      options.records === undefined
        ? outcome
        : { ...outcome, record: recordCheck(childPid, recordMs, spawnedMs, nowMs, completed) },
    );
  }
  // The reader thread delivers through the event loop, so no event or record can be handled before
  // spawn() returns the pid; the watch buffers events by tgid anyway.
  const child = spawn(options.command ?? '/bin/true', options.args ?? [], { stdio: 'ignore' });
  child.on('error', () => finish());
  childPid = child.pid;
  if (childPid !== undefined) watch.expect(childPid);
  timer = setTimeout(finish, options.timeoutMs);
  return done;
}

function recordCheck(
  pid: number | undefined,
  recordMs: number | null,
  spawnedMs: number,
  nowMs: number,
  eventsMs: number | null,
): CanaryRecordCheck {
  if (recordMs !== null)
    return {
      arrived: true,
      latencyMs: recordMs - spawnedMs,
      detail: `the exit of pid ${pid ?? '?'} produced its record`,
    };
  const waited =
    eventsMs === null
      ? `${(nowMs - spawnedMs).toFixed(0)} ms after its start`
      : `${(nowMs - eventsMs).toFixed(0)} ms after its exit event`;
  return { arrived: false, latencyMs: null, detail: `no record for pid ${pid ?? '?'} ${waited}` };
}
