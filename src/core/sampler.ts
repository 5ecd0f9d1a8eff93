// The per-refresh read of known processes: one stat per live pid through a kept descriptor, plus
// status and cmdline only for rows still missing them. No directory listing here.
import { applyStat, recordFromScan, type StatContext } from './model/apply-stat.js';
import { UNKNOWN_EXIT } from './model/process-record.js';
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

  /** One refresh. eventsAreLive: the connector delivers, so a silent disappearance counts as missed. */
  sample(ctx: StatContext, eventsAreLive: boolean): SampleOutcome {
    let missedExits = 0;
    let missedForks = 0;
    const nextSuspects = new Set<Pid>();
    for (const record of this.table.processes.values()) {
      if (record.exitMs !== null) continue;
      const stat = this.reader.readStatKept(record.pid);
      if (stat.ok) {
        if (applyStat(this.table, record, stat.value, ctx) === 'ok') continue;
        // Same pid, different process: the old one ended and the new one's fork went unseen.
        this.table.finalize(record, UNKNOWN_EXIT, ctx.nowMs);
        recordFromScan(this.table, { stat: stat.value, uid: null, cmdline: null, readMs: ctx.nowMs }, ctx);
        if (eventsAreLive) {
          missedExits++;
          missedForks++;
        }
        continue;
      }
      if (stat.error.kind !== 'gone') continue;
      if (record.leaderExit !== null) {
        this.table.finalize(record, record.leaderExit.status, record.leaderExit.timeMs);
      } else if (!eventsAreLive || this.suspects.has(record.pid)) {
        // A zombie from before we watched was reaped: its exit predates us, nothing was missed.
        if (eventsAreLive && record.state !== 'Z') missedExits++;
        this.table.finalize(record, UNKNOWN_EXIT, ctx.nowMs);
      } else {
        nextSuspects.add(record.pid);
      }
    }
    this.suspects = nextSuspects;
    readDetails(this.table, this.reader, ctx, Infinity);
    return { missedExits, missedForks };
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
