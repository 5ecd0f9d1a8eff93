// How a process ended, as the exporter's `outcome` label says it: a small fixed set, so that the
// label's cardinality never depends on what processes do (exit codes 1-255 and 64 signals stay out).
import type { ExitStatus } from '../core/types.js';

export type ExitOutcome = 'ok' | 'failed' | 'signaled';

export const EXIT_OUTCOMES: readonly ExitOutcome[] = ['ok', 'failed', 'signaled'];

/**
 * 'signaled' when a signal ended it (SIGKILL, SIGSEGV, ...; a core dump too), 'failed' for a non-zero
 * exit code, 'ok' for exit 0. Null when the status is not known (no exit event and no record said it).
 */
export function exitOutcome(status: ExitStatus): ExitOutcome | null {
  if (status.signal !== null) return 'signaled';
  if (status.code === null) return null;
  return status.code === 0 ? 'ok' : 'failed';
}
