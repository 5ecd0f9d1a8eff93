// The engine's bookkeeping of exits against the kernel's taskstats records: each process end (and, when
// asked, each thread exit) waits briefly for its records, then carries its accounting into the exited
// ring, the window of where the CPU went, and the listeners (cntop events prints it). With no records
// coming (taskstats off or unavailable) an exit is reported at once, with no accounting.
import type { ExitedRecord } from '../model/exited-ring.js';
import { UNKNOWN_EXIT } from '../model/process-record.js';
import { decodeWaitStatus } from '../exit-status.js';
import type { ExitEvent, ExitedProcess, Pid } from '../types.js';
import {
  DEFAULT_EXIT_JOIN_OPTIONS,
  ExitJoin,
  type ExitJoinOptions,
  type ExitJoinStats,
  type JoinedExit,
} from './exit-join.js';
import { ExitWindow, type ExitSample } from './exit-window.js';
import { accountingOf, type ExitAccounting, type TaskRecord } from './task-record.js';

/** One exit as reported once its accounting is known (or the wait for it ended). */
export interface AccountedExit {
  /** The exit event that ended it; null when a /proc scan found it gone (loss, polling). */
  readonly event: ExitEvent | null;
  /** The process's exited-ring entry; null for a thread's own exit. */
  readonly process: ExitedProcess | null;
  readonly accounting: ExitAccounting | null;
}

/**
 * What the window counts of one settled exit: its name, parent, CPU, peak memory and whether it failed.
 * The one definition behind the Exited tab's by-command view and `cntop report exits` over a recording.
 */
export function exitSampleOf(
  process: Pick<ExitedProcess, 'comm' | 'ppid' | 'status' | 'exitMs'>,
  accounting: ExitAccounting | null,
): ExitSample {
  const { status } = process;
  return {
    command: process.comm,
    parent: process.ppid,
    cpuMs: accounting?.cpuMs ?? null,
    peakRssKiB: accounting?.peakRssKiB ?? null,
    failed: status.signal !== null || (status.code !== null && status.code !== 0),
    exitMs: process.exitMs,
  };
}

/** Thread groups whose thread ticks are held at once: the oldest are forgotten beyond it. */
const MAX_THREAD_GROUPS = 4096;

interface Pending {
  readonly event: ExitEvent | null;
  readonly entry: ExitedRecord | null;
}

export class ExitAccountant {
  readonly window: ExitWindow;
  private readonly join: ExitJoin<Pending>;
  private ready: AccountedExit[] = [];
  /** User and system ticks of exited threads (not leaders), by thread group, until the group's end settles. */
  private readonly threadTicks = new Map<Pid, { userMs: number; systemMs: number }>();

  constructor(
    /** Whether records are coming: when not, nothing waits for them. */
    private readonly recordsFlow: () => boolean,
    /** Told of each ring entry its record completed (the engine names the process's tombstone with it). */
    private readonly onCompleted: (entry: ExitedRecord) => void = () => undefined,
    windowMs = 60_000,
    options: ExitJoinOptions = DEFAULT_EXIT_JOIN_OPTIONS,
  ) {
    this.window = new ExitWindow(windowMs);
    this.join = new ExitJoin<Pending>((joined) => this.settle(joined), options);
  }

  get joinStats(): ExitJoinStats {
    return this.join.stats;
  }

  record(record: TaskRecord, nowMs: number): void {
    if (record.scope === 'task' && record.tgid !== null && record.tgid !== record.id) {
      // A thread's own ticks belong to its process's total (the group record has none).
      let ticks = this.threadTicks.get(record.tgid);
      if (ticks === undefined) {
        if (this.threadTicks.size >= MAX_THREAD_GROUPS)
          this.threadTicks.delete(this.threadTicks.keys().next().value as Pid);
        this.threadTicks.set(record.tgid, (ticks = { userMs: 0, systemMs: 0 }));
      }
      ticks.userMs += record.userMs;
      ticks.systemMs += record.systemMs;
    }
    this.join.record(record, nowMs);
  }

  /** A process ended (its ring entry was just pushed); event is the exit that ended it, if one did. */
  processEnded(entry: ExitedRecord, event: ExitEvent | null, nowMs: number): void {
    if (!this.recordsFlow()) this.settle({ exit: { event, entry }, task: null, group: null });
    else this.join.exit(entry.pid, entry.pid, entry.multiThreaded, { event, entry }, nowMs);
  }

  /** A thread (not a process) exited: only reported when its caller asked for thread exits. */
  threadExited(event: ExitEvent, nowMs: number): void {
    if (!this.recordsFlow()) this.settle({ exit: { event, entry: null }, task: null, group: null });
    else this.join.exit(event.pid, event.tgid, false, { event, entry: null }, nowMs);
  }

  expire(nowMs: number): void {
    this.join.expire(nowMs);
  }

  nextDeadlineMs(): number | null {
    return this.join.nextDeadlineMs();
  }

  /** Reports every exit still waiting, with what it has (on close). */
  flush(): void {
    this.join.flush();
  }

  /** The exits settled since the previous call, in the order they settled. */
  take(): AccountedExit[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  private settle(joined: JoinedExit<Pending>): void {
    const { event, entry } = joined.exit;
    const ticks = entry !== null && entry.multiThreaded ? (this.threadTicks.get(entry.pid) ?? null) : null;
    if (entry !== null) this.threadTicks.delete(entry.pid);
    const { task } = joined;
    const accounting = task === null ? null : accountingOf(task, joined.group, ticks);
    if (entry !== null) {
      if (task !== null && accounting !== null) {
        entry.accounting = accounting;
        // The record's name is the one the process exited under; the model may never have read one.
        if (accounting.comm !== '') entry.comm = accounting.comm;
        // A process found gone by a scan has no status; its record has the real one.
        if (event === null && entry.status === UNKNOWN_EXIT) entry.status = decodeWaitStatus(task.exitStatus);
        this.onCompleted(entry);
      }
      this.window.add(exitSampleOf(entry, accounting));
    }
    this.ready.push({ event, process: entry, accounting });
  }
}
