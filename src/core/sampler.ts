// The per-refresh read of known processes: one stat per live pid through a kept descriptor, plus
// status and cmdline only for rows still missing them. No directory listing here.
import { applyStat, recordFromScan, type StatContext } from './model/apply-stat.js';
import { UNKNOWN_EXIT, type ProcessRecord } from './model/process-record.js';
import type { ProcessTable } from './model/process-table.js';
import type { ProcReader } from './proc/proc-reader.js';
import { TimeSlicer } from './time-slicer.js';
import type { Pid } from './types.js';

export interface SampleOutcome {
  /** Processes found gone without an exit event (after the grace of one refresh in netlink mode). */
  readonly missedExits: number;
  /** Pids found to belong to a new process whose fork was never seen. */
  readonly missedForks: number;
}

export class ProcessSampler {
  /** Pids whose stat said 'gone' at the last refresh while the model still thinks them alive: an
   *  exit event may still be on its way, so they end only if the next refresh agrees. */
  private suspects = new Set<Pid>();

  constructor(
    private readonly table: ProcessTable,
    private readonly reader: ProcReader,
  ) {}

  /**
   * One refresh. eventsAreLive: the connector delivers, so a silent disappearance counts as missed.
   * Yields to the event loop whenever a slice (~4 ms) is used up: at ~7 µs per process, 10,000
   * processes would otherwise block frames and keys for ~75 ms. Events applied meanwhile win:
   * a row that ended in between is skipped (exitMs is checked right before its read), a reused pid
   * is a new record not in this pass, and each row's CPU% uses the time its own stat was read.
   * stopped(): checked at every pause, so close() during a pass ends it within one slice.
   */
  async sample(
    context: () => StatContext,
    eventsAreLive: boolean,
    stopped: () => boolean = () => false,
  ): Promise<SampleOutcome> {
    const outcome = { missedExits: 0, missedForks: 0 };
    const nextSuspects = new Set<Pid>();
    const records = [...this.table.processes.values()];
    const slicer = new TimeSlicer();
    let ctx = context();
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as ProcessRecord;
      if (record.exitMs === null) this.sampleOne(record, ctx, eventsAreLive, outcome, nextSuspects);
      if ((i & 15) === 15) ctx = context(); // sample time to within ~0.1 ms of each read
      if (!slicer.due()) continue;
      await slicer.pause();
      if (stopped()) return outcome;
      ctx = context();
    }
    this.suspects = nextSuspects;
    await readDetailsSliced(this.table, this.reader, context, slicer, stopped);
    return outcome;
  }

  private sampleOne(
    record: ProcessRecord,
    ctx: StatContext,
    eventsAreLive: boolean,
    outcome: { missedExits: number; missedForks: number },
    nextSuspects: Set<Pid>,
  ): void {
    const stat = this.reader.readStatKept(record.pid);
    if (stat.ok) {
      if (applyStat(this.table, record, stat.value, ctx) === 'ok') return;
      // Same pid, different process: the old one ended and the new one's fork went unseen.
      this.table.finalize(record, UNKNOWN_EXIT, ctx.nowMs);
      recordFromScan(this.table, { stat: stat.value, uid: null, cmdline: null, readMs: ctx.nowMs }, ctx);
      if (eventsAreLive) {
        outcome.missedExits++;
        outcome.missedForks++;
      }
      return;
    }
    if (stat.error.kind !== 'gone') return;
    if (record.leaderExit !== null) {
      this.table.finalize(record, record.leaderExit.status, record.leaderExit.timeMs);
    } else if (!eventsAreLive || this.suspects.has(record.pid)) {
      // A zombie from before we watched was reaped: its exit predates us, nothing was missed.
      if (eventsAreLive && record.state !== 'Z') outcome.missedExits++;
      this.table.finalize(record, UNKNOWN_EXIT, ctx.nowMs);
    } else {
      nextSuspects.add(record.pid);
    }
  }
}

/**
 * Reads status (uid, parent) and cmdline for up to max rows that lack them. A row whose process is
 * already gone just stays as it is: the stat refresh or the exit event will end it.
 */
export function readDetails(table: ProcessTable, reader: ProcReader, ctx: StatContext, max: number): void {
  let done = 0;
  for (const pid of table.needsDetail) {
    if (done++ >= max) break;
    readDetailOf(table, reader, ctx, pid);
  }
}

/**
 * readDetails for every row that lacks them, in slices: during a fork storm thousands of rows can
 * wait here (three opens each), which read in one go stalled the event loop for hundreds of ms.
 * Reads at most the rows waiting when it starts (a storm adds rows faster than a pass could end);
 * later ones wait for the next batch or pass. Each read re-checks that the row is still alive.
 */
export async function readDetailsSliced(
  table: ProcessTable,
  reader: ProcReader,
  context: () => StatContext,
  slicer: TimeSlicer,
  stopped: () => boolean,
): Promise<void> {
  const ctx = context();
  let left = table.needsDetail.size;
  for (const pid of table.needsDetail) {
    if (left-- <= 0) break;
    readDetailOf(table, reader, ctx, pid);
    if (!slicer.due()) continue;
    await slicer.pause();
    if (stopped()) return;
  }
}

function readDetailOf(table: ProcessTable, reader: ProcReader, ctx: StatContext, pid: Pid): void {
  table.needsDetail.delete(pid);
  const stale = table.staleCmdline.delete(pid);
  const record = table.live(pid);
  if (record === undefined) return;
  const status = reader.readStatus(pid);
  if (!status.ok) return;
  record.uid = status.value.uid;
  record.user = ctx.userName(status.value.uid);
  if (record.ppid === 0 && status.value.ppid > 0) table.setParent(record, status.value.ppid);
  if (record.comm === '') record.comm = status.value.name;
  if ((record.cmdline === null || stale) && !record.isKernelThread) {
    const cmdline = reader.readCmdline(pid);
    // A stale one is replaced only by a readable one (an exiting process's reads empty).
    if (cmdline.ok && (record.cmdline === null || cmdline.value !== null)) record.cmdline = cmdline.value;
  }
}
