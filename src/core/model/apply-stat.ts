// Folds what /proc says about one process into its row: stat fields, CPU% since the previous
// sample, and identity (a changed starttime means the pid now belongs to another process).
import { TICKS_PER_SECOND, isKernelThreadStat, type ProcStat } from '../proc/parse-stat.js';
import type { ScannedProcess } from '../proc/scan.js';
import { ProcessRecord } from './process-record.js';
import type { ProcessTable } from './process-table.js';

export interface StatContext {
  readonly nowMs: number;
  /** CLOCK_BOOTTIME - CLOCK_MONOTONIC in ms (time spent suspended), to place stat starttimes. */
  readonly bootOffsetMs: number;
  readonly pageBytes: number;
  readonly memTotalBytes: number;
  readonly userName: (uid: number) => string;
}

const MS_PER_TICK = 1000 / TICKS_PER_SECOND;

/** starttime (ticks since boot) → monotonic ms, the clock of event times. */
export function startMsOf(stat: ProcStat, bootOffsetMs: number): number {
  return stat.startTicks * MS_PER_TICK - bootOffsetMs;
}

/**
 * Updates a live row from a fresh stat. Returns 'reused' (and changes nothing) when the stat belongs
 * to a later process that got the same pid.
 */
export function applyStat(
  table: ProcessTable,
  record: ProcessRecord,
  stat: ProcStat,
  ctx: StatContext,
): 'ok' | 'reused' {
  if (record.startTicks === null) {
    const startMs = startMsOf(stat, ctx.bootOffsetMs);
    // A row born from events has an exact start; only reject a stat that clearly is someone else's.
    if (record.startKnown && !record.sameStart(startMs) && startMs > record.startMs) return 'reused';
    record.startTicks = stat.startTicks;
    if (!record.startKnown) {
      record.startMs = startMs;
      record.startKnown = true;
    }
  } else if (record.startTicks !== stat.startTicks) {
    return 'reused';
  }
  record.state = stat.state;
  record.priority = stat.priority;
  record.nice = stat.nice;
  if (record.leaderExit === null) record.threads = stat.numThreads;
  if (stat.numThreads > 1) record.hadThreads = true;
  record.virtBytes = stat.vsizeBytes;
  record.rssBytes = stat.rssPages * ctx.pageBytes;
  record.memPercent = ctx.memTotalBytes > 0 ? (record.rssBytes / ctx.memTotalBytes) * 100 : 0;
  record.isKernelThread = isKernelThreadStat(stat);
  if (record.comm !== stat.comm) {
    // stat always has the current name. A change no event told us of means a lost exec (or rename):
    // the command line is stale too, so read it again.
    const execMissed = record.comm !== '';
    record.comm = stat.comm;
    if (execMissed && !record.isKernelThread) {
      record.cmdline = null;
      table.needsDetail.add(record.pid);
    }
  }
  const cpuTimeMs = (stat.utimeTicks + stat.stimeTicks) * MS_PER_TICK;
  const elapsedMs = ctx.nowMs - record.sampleMs;
  if (elapsedMs > 0) {
    record.cpuPercent = Math.max(0, ((cpuTimeMs - record.sampleCpuMs) / elapsedMs) * 100);
    record.sampleCpuMs = cpuTimeMs;
    record.sampleMs = ctx.nowMs;
  }
  record.cpuTimeMs = cpuTimeMs;
  // stat's ppid is the real parent (a subreaper included): it corrects the guess made at reparenting.
  if (stat.ppid !== record.ppid) table.setParent(record, stat.ppid);
  return 'ok';
}

/** A new row from a scan: CPU% starts from this sample, so the first refresh shows real usage. */
export function recordFromScan(table: ProcessTable, scanned: ScannedProcess, ctx: StatContext): ProcessRecord {
  const stat = scanned.stat;
  const record = new ProcessRecord(stat.pid, startMsOf(stat, ctx.bootOffsetMs), ctx.nowMs);
  record.ppid = stat.ppid;
  record.comm = stat.comm;
  record.cmdline = scanned.cmdline;
  if (scanned.uid !== null) {
    record.uid = scanned.uid;
    record.user = ctx.userName(scanned.uid);
  }
  table.insert(record);
  applyStat(table, record, stat, ctx);
  record.sampleCpuMs = record.cpuTimeMs;
  record.sampleMs = scanned.readMs;
  record.cpuPercent = 0;
  if (scanned.uid === null || (scanned.cmdline === null && !record.isKernelThread && stat.state !== 'Z')) {
    table.needsDetail.add(stat.pid);
  }
  return record;
}
