// Resynchronisation with /proc after the connector lost events (ENOBUFS, sequence gaps), the
// periodic drift check, and the polling pass. Each one reconciles the model with what /proc says.
import type { StatContext } from './model/apply-stat.js';
import { UNKNOWN_EXIT } from './model/process-record.js';
import type { ProcessTable } from './model/process-table.js';
import { reconcileSnapshot, type ReconcileResult } from './model/reconcile.js';
import type { ProcReader } from './proc/proc-reader.js';
import { scanProc, type ScannedProcess, type Snapshot } from './proc/scan.js';
import { DEFAULT_SLICE_MS, TimeSlicer } from './time-slicer.js';
import type { Pid } from './types.js';

export interface MissedCounts {
  missedForks: number;
  missedExits: number;
}

/** Full scan that reads status/cmdline only for pids the model does not know alive. stopped():
 *  close() ran meanwhile; the model is then left alone (null). */
export async function scanAndReconcile(
  table: ProcessTable,
  reader: ProcReader,
  nowMs: () => number,
  context: () => StatContext,
  stopped: () => boolean = () => false,
): Promise<ReconcileResult | null> {
  const snapshot = await scanProc(reader, { nowMs, wantsDetail: (pid) => table.live(pid) === undefined });
  if (!snapshot.ok || stopped()) return null;
  const result = await reconcileSliced(table, snapshot.value, context, stopped);
  if (result === null) return null;
  // The scan opened a stat descriptor for every pid it read; keep only those of living rows.
  reader.retainStat((pid) => table.live(pid) !== undefined);
  return result;
}

/** Pids per reconcile chunk: ~1-3 ms of work each, and few enough chunks that each one's walk
 *  over the table (inside reconcileSnapshot) stays cheap. */
const RECONCILE_CHUNK = 256;

/**
 * reconcileSnapshot in chunks with event-loop turns in between (10,000 pids in one go blocked
 * frames for 30-130 ms). Events applied between chunks are newer than the scan: a row the model
 * created after its pid's stat was read keeps what the events say (the stat may be of the pid's
 * previous holder). Missing pids are computed once, against the whole snapshot.
 */
async function reconcileSliced(
  table: ProcessTable,
  snapshot: Snapshot,
  context: () => StatContext,
  stopped: () => boolean,
): Promise<ReconcileResult | null> {
  const slicer = new TimeSlicer(DEFAULT_SLICE_MS, 1);
  const added: Pid[] = [];
  let chunk = new Map<Pid, ScannedProcess>();
  const flush = (): void => {
    // startedMs -Infinity: no pid counts as missing per chunk (that needs the whole snapshot).
    added.push(...reconcileSnapshot(table, { ...snapshot, processes: chunk, startedMs: -Infinity }, context()).added);
    chunk = new Map();
  };
  for (const [pid, scanned] of snapshot.processes) {
    const record = table.live(pid);
    if (record !== undefined && record.seenMs > scanned.readMs) continue;
    chunk.set(pid, scanned);
    if (chunk.size < RECONCILE_CHUNK) continue;
    flush();
    if (!slicer.due()) continue;
    await slicer.pause();
    if (stopped()) return null;
  }
  flush();
  const missing: Pid[] = [];
  for (const [pid, record] of table.processes) {
    if (record.exitMs === null && record.seenMs < snapshot.startedMs && !snapshot.processes.has(pid)) missing.push(pid);
  }
  return { added, missing };
}

/**
 * After the grace period, decides what a resync really found: an added pid whose fork event has
 * arrived since was merely in flight; a missing pid that is still alive in the model and whose
 * stat is gone ended without an exit event reaching us.
 */
export function confirmMissed(
  table: ProcessTable,
  reader: ProcReader,
  found: ReconcileResult,
  nowMs: number,
): MissedCounts {
  let missedForks = 0;
  let missedExits = 0;
  for (const pid of found.added) {
    const record = table.processes.get(pid);
    if (record !== undefined && !record.forkSeen) missedForks++;
  }
  for (const pid of found.missing) {
    const record = table.live(pid);
    if (record === undefined) continue;
    const stat = reader.readStatKept(pid);
    if (stat.ok || stat.error.kind !== 'gone') continue;
    if (record.leaderExit !== null) {
      table.finalize(record, record.leaderExit.status, record.leaderExit.timeMs);
      continue;
    }
    table.finalize(record, UNKNOWN_EXIT, nowMs);
    missedExits++;
  }
  return { missedForks, missedExits };
}

/** Polling mode has no events: whatever a scan finds missing has simply ended. */
export function endMissing(table: ProcessTable, missing: readonly Pid[], nowMs: number): void {
  for (const pid of missing) {
    const record = table.live(pid);
    if (record !== undefined) table.finalize(record, record.leaderExit?.status ?? UNKNOWN_EXIT, nowMs);
  }
}

/**
 * The cheap drift check: one directory listing, no file reads. Returns the pids /proc lists that
 * the model has never heard of, and the live ones /proc no longer lists. Both may be in flight.
 */
export async function findDrift(
  table: ProcessTable,
  reader: ProcReader,
): Promise<{ unknown: Pid[]; missing: Pid[] } | null> {
  const listed = await reader.listPidsAsync();
  if (!listed.ok) return null;
  const present = new Set(listed.value);
  // Pids in the exited ring are zombies not yet reaped: dead to us, still listed by /proc.
  const unknown = listed.value.filter((pid) => !table.processes.has(pid) && table.exited.latest(pid) === undefined);
  const missing: Pid[] = [];
  for (const [pid, record] of table.processes) if (record.exitMs === null && !present.has(pid)) missing.push(pid);
  return { unknown, missing };
}

/** Whether drift found earlier is still there (the events in flight did not explain it). */
export function driftPersists(
  table: ProcessTable,
  reader: ProcReader,
  drift: { unknown: Pid[]; missing: Pid[] },
): boolean {
  for (const pid of drift.unknown) {
    if (!table.processes.has(pid) && table.exited.latest(pid) === undefined && reader.readStat(pid).ok) return true;
  }
  for (const pid of drift.missing) {
    const stat = reader.readStat(pid);
    if (table.live(pid) !== undefined && !stat.ok && stat.error.kind === 'gone') return true;
  }
  return false;
}
