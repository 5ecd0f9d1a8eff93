// Makes the table agree with a /proc snapshot: the seed at start-up, resyncs after lost events,
// and every pass in polling mode. Pure: the snapshot was read elsewhere.
import type { Snapshot } from '../proc/scan.js';
import type { Pid } from '../types.js';
import { applyStat, recordFromScan, startMsOf, type StatContext } from './apply-stat.js';
import { SAME_START_TOLERANCE_MS, UNKNOWN_EXIT } from './process-record.js';
import type { ProcessTable } from './process-table.js';

export interface ReconcileResult {
  /** Pids the snapshot had and the table did not know (missed forks, unless a fork is in flight). */
  readonly added: readonly Pid[];
  /** Live pids, known before the scan started, that the snapshot lacks (missed exits, unless an exit is in flight). */
  readonly missing: readonly Pid[];
}

/**
 * Whether the table already knows this incarnation as dead: a tombstone or exited entry with the
 * same start, or an exit with unknown start while /proc shows a zombie (exited, not yet reaped).
 */
function knownDead(table: ProcessTable, pid: Pid, startMs: number, state: string): boolean {
  const tombstone = table.processes.get(pid);
  if (tombstone !== undefined && tombstone.exitMs !== null && tombstone.sameStart(startMs)) return true;
  const entry = table.exited.latest(pid);
  if (entry === undefined) return false;
  if (entry.startMs === null) return state === 'Z' || entry.exitMs >= startMs;
  return Math.abs(entry.startMs - startMs) <= SAME_START_TOLERANCE_MS;
}

export function reconcileSnapshot(table: ProcessTable, snapshot: Snapshot, ctx: StatContext): ReconcileResult {
  const added: Pid[] = [];
  for (const [pid, scanned] of snapshot.processes) {
    const record = table.live(pid);
    if (record !== undefined) {
      if (applyStat(table, record, scanned.stat, ctx) === 'ok') continue;
      // The pid changed hands between two looks: the old holder ended unseen.
      table.finalize(record, UNKNOWN_EXIT, startMsOf(scanned.stat, ctx.bootOffsetMs));
    } else if (knownDead(table, pid, startMsOf(scanned.stat, ctx.bootOffsetMs), scanned.stat.state)) {
      continue;
    }
    recordFromScan(table, scanned, ctx);
    added.push(pid);
  }
  const missing: Pid[] = [];
  for (const [pid, record] of table.processes) {
    if (record.exitMs === null && record.seenMs < snapshot.startedMs && !snapshot.processes.has(pid)) missing.push(pid);
  }
  return { added, missing };
}
