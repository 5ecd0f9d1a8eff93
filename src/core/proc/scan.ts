// One full pass over /proc → Snapshot. Yields to the event loop every few milliseconds so that a
// scan of 10,000 processes never freezes the UI (events wait in the native thread meanwhile).
import { TimeSlicer } from '../time-slicer.js';
import { err, ok, type Pid, type Result } from '../types.js';
import type { ProcStat } from './parse-stat.js';
import type { ProcReader, ReadFailure } from './proc-reader.js';

/** One process as the scan read it. uid/cmdline are null when the scan skipped or could not read them. */
export interface ScannedProcess {
  readonly stat: ProcStat;
  readonly uid: number | null;
  readonly cmdline: readonly string[] | null;
  /** Monotonic ms when its stat was read. */
  readonly readMs: number;
}

export interface Snapshot {
  readonly processes: ReadonlyMap<Pid, ScannedProcess>;
  /** Pids listed by readdir that vanished before their stat could be read (a normal outcome). */
  readonly vanished: number;
  readonly startedMs: number;
  readonly finishedMs: number;
}

export interface ScanOptions {
  readonly nowMs: () => number;
  /** Whether to read status (uid) and cmdline for this pid too; default: always. */
  readonly wantsDetail?: (pid: Pid) => boolean;
  /** Longest stretch of synchronous reading before yielding to the event loop. */
  readonly sliceMs?: number;
}

/** Reads one pid: stat always (kept fd), status and cmdline when asked. 'gone' is a normal outcome. */
export function scanPid(reader: ProcReader, pid: Pid, detail: boolean, nowMs: number): ScannedProcess | null {
  const stat = reader.readStatKept(pid);
  if (!stat.ok) return null;
  if (!detail) return { stat: stat.value, uid: null, cmdline: null, readMs: nowMs };
  const status = reader.readStatus(pid);
  const cmdline = reader.readCmdline(pid);
  return {
    stat: stat.value,
    uid: status.ok ? status.value.uid : null,
    cmdline: cmdline.ok ? cmdline.value : null,
    readMs: nowMs,
  };
}

/** Lists /proc and reads every pid, yielding every sliceMs (default ~4 ms, see TimeSlicer). */
export async function scanProc(reader: ProcReader, options: ScanOptions): Promise<Result<Snapshot, ReadFailure>> {
  const startedMs = options.nowMs();
  const listed = await reader.listPidsAsync();
  if (!listed.ok) return err(listed.error);
  const slicer = new TimeSlicer(options.sliceMs);
  const processes = new Map<Pid, ScannedProcess>();
  let vanished = 0;
  for (let i = 0; i < listed.value.length; i++) {
    const pid = listed.value[i] as Pid;
    const now = options.nowMs();
    const scanned = scanPid(reader, pid, options.wantsDetail?.(pid) ?? true, now);
    if (scanned === null) vanished++;
    else processes.set(pid, scanned);
    if (slicer.due()) await slicer.pause();
  }
  return ok({ processes, vanished, startedMs, finishedMs: options.nowMs() });
}

/** The same pass without yielding, for callers that want a one-shot answer (tests, snapshot). */
export function scanProcSync(reader: ProcReader, nowMs: () => number): Result<Snapshot, ReadFailure> {
  const startedMs = nowMs();
  const listed = reader.listPids();
  if (!listed.ok) return err(listed.error);
  const processes = new Map<Pid, ScannedProcess>();
  let vanished = 0;
  for (const pid of listed.value) {
    const scanned = scanPid(reader, pid, true, nowMs());
    if (scanned === null) vanished++;
    else processes.set(pid, scanned);
  }
  return ok({ processes, vanished, startedMs, finishedMs: nowMs() });
}
