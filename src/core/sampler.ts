// The per-refresh read of known processes: one stat per live pid through a kept descriptor, plus
// status and cmdline only for rows still missing them. No directory listing here.
import { applyStat, recordFromScan, type StatContext } from './model/apply-stat.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { UNKNOWN_EXIT, type ProcessRecord } from './model/process-record.js';
import type { ProcessTable } from './model/process-table.js';
import type { ProcReader } from './proc/proc-reader.js';
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
   * Yields to the event loop whenever a slice of sliceMs is used up (about 10 µs per process, so
   * 10,000 processes would otherwise block the UI for ~100 ms); events applied meanwhile are fine:
   * rows that ended in between are skipped, and each row's CPU% uses its own sample time.
   */
  async sample(context: () => StatContext, eventsAreLive: boolean, sliceMs = 8): Promise<SampleOutcome> {
    const outcome = { missedExits: 0, missedForks: 0 };
    const nextSuspects = new Set<Pid>();
    const records = [...this.table.processes.values()];
    let ctx = context();
    const sliceEnd = (): number => ctx.nowMs + sliceMs;
    let deadline = sliceEnd();
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as ProcessRecord;
      if (record.exitMs === null) this.sampleOne(record, ctx, eventsAreLive, outcome, nextSuspects);
      if ((i & 63) === 63) {
        ctx = context();
        if (ctx.nowMs < deadline) continue;
        await nextTurn();
        ctx = context();
        deadline = sliceEnd();
      }
    }
    this.suspects = nextSuspects;
    readDetails(this.table, this.reader, context(), Infinity);
    return outcome;
  }

  private sampleOne(record: ProcessRecord, ctx: StatContext, eventsAreLive: boolean, outcome: { missedExits: number; missedForks: number }, nextSuspects: Set<Pid>): void {
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
    table.needsDetail.delete(pid);
    const record = table.live(pid);
    if (record === undefined) continue;
    const status = reader.readStatus(pid);
    if (!status.ok) continue;
    record.uid = status.value.uid;
    record.user = ctx.userName(status.value.uid);
    if (record.ppid === 0 && status.value.ppid > 0) table.setParent(record, status.value.ppid);
    if (record.comm === '') record.comm = status.value.name;
    if (record.cmdline === null && !record.isKernelThread) {
      const cmdline = reader.readCmdline(pid);
      if (cmdline.ok) record.cmdline = cmdline.value;
    }
  }
}
