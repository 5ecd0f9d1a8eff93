// `cntop events` must never stream with silent holes: when the kernel drops connector messages
// (ENOBUFS, sequence gaps) or taskstats records, say so on stderr, with the running totals, at most
// once a second, so a reader of the stream knows what it lacks (and that a resync is catching up).
import type { EngineStatus } from '../core/engine-api.js';

export interface LossCounts {
  readonly overruns: number;
  readonly seqGapMessages: number;
  readonly recordOverruns: number;
}

const NO_LOSS: LossCounts = { overruns: 0, seqGapMessages: 0, recordOverruns: 0 };

export function lossCountsOf(status: EngineStatus): LossCounts {
  return {
    overruns: status.connector?.overruns ?? 0,
    seqGapMessages: status.connector?.seqGapMessages ?? 0,
    recordOverruns: status.accounting.overruns,
  };
}

/** The warning for what was lost since `before`, or null when nothing was. */
export function describeLoss(before: LossCounts, now: LossCounts): string | null {
  const parts: string[] = [];
  if (now.overruns > before.overruns || now.seqGapMessages > before.seqGapMessages) {
    parts.push(
      `the kernel dropped process events (${now.overruns} receive-buffer overruns, ${now.seqGapMessages} messages missing by sequence so far); ` +
        'processes that began or ended in the gap are missing from this stream',
    );
  }
  if (now.recordOverruns > before.recordOverruns) {
    parts.push(
      `taskstats records were dropped (${now.recordOverruns} overruns so far): some exits carry no CPU or memory figures`,
    );
  }
  return parts.length === 0 ? null : `cntop events: warning: ${parts.join('; ')}`;
}

/**
 * Returns a check to call after each batch: at most once per intervalMs it reads the counters (a status
 * read asks the addon for all its counters: not per batch) and writes a warning when they grew. The
 * counts in it are totals, so a rise between two checks is reported by the next one.
 */
export function createLossWarner(
  status: () => EngineStatus,
  write: (line: string) => void,
  nowMs: () => number,
  intervalMs = 1000,
): () => void {
  let reported = NO_LOSS;
  let lastCheckMs = -Infinity;
  return () => {
    if (nowMs() - lastCheckMs < intervalMs) return;
    lastCheckMs = nowMs();
    const now = lossCountsOf(status());
    const warning = describeLoss(reported, now);
    if (warning === null) return;
    write(`${warning}\n`);
    reported = now;
  };
}
