// The canary: spawn a short child (/bin/true) and wait until its fork, exec and exit events arrive
// through the given event feed. Proves end-to-end delivery, which an ack alone does not.
import { spawn } from 'node:child_process';
import { CanaryWatch } from '../core/health/canary-watch.js';
import type { CanaryOutcome } from '../core/health/health-facts.js';
import type { ProcEvent } from '../core/types.js';

/** Where the canary gets its events from: the doctor's connector, or the engine's onEvents. */
export type EventFeed = (listener: (events: readonly ProcEvent[]) => void) => () => void;

export interface CanaryOptions {
  readonly timeoutMs: number;
  readonly nowMs: () => number;
  readonly command?: string;
}

export function runCanary(feed: EventFeed, options: CanaryOptions): Promise<CanaryOutcome> {
  const watch = new CanaryWatch();
  const spawnedMs = options.nowMs();
  const unsubscribe = feed((events) => {
    watch.feed(events, options.nowMs());
    if (watch.complete()) finish();
  });
  let settle: (outcome: CanaryOutcome) => void = () => undefined;
  const done = new Promise<CanaryOutcome>((resolve) => (settle = resolve));
  let timer: NodeJS.Timeout | null = null;
  let finished = false;
  let childPid: number | undefined;
  function finish(): void {
    if (finished) return;
    finished = true;
    if (timer !== null) clearTimeout(timer);
    unsubscribe();
    const completed = watch.completedMs();
    const seen = watch.seen();
    settle({
      ok: completed !== null,
      latencyMs: completed === null ? null : completed - spawnedMs,
      atMs: options.nowMs(),
      detail:
        completed !== null
          ? `fork, exec and exit of pid ${childPid ?? '?'} arrived`
          : `within ${options.timeoutMs} ms only [${seen.join(', ')}] of pid ${childPid ?? '?'} arrived`,
    });
  }
  // The reader thread delivers through the event loop, so no event can be handled before spawn()
  // returns the pid; the watch buffers by tgid anyway.
  const child = spawn(options.command ?? '/bin/true', [], { stdio: 'ignore' });
  child.on('error', () => finish());
  childPid = child.pid;
  if (childPid !== undefined) watch.expect(childPid);
  timer = setTimeout(finish, options.timeoutMs);
  return done;
}
