// The bounded list of recently exited processes, oldest first, with a pid index so that events
// arriving late (a fork or exec delivered after the exit) can still fill in what the entry lacks.
import type { ExitAccounting } from '../accounting/task-record.js';
import type { ExecEvent, ExitStatus, ExitedProcess, ForkEvent, Pid, ProcessInfo } from '../types.js';

/** Mutable while it sits in the ring: late events may complete it. */
export interface ExitedRecord extends ExitedProcess {
  ppid: Pid;
  comm: string;
  cmdline: readonly string[] | null;
  user: string;
  status: ExitStatus;
  startMs: number | null;
  lifetimeMs: number | null;
  /** An exec was seen: comm/cmdline are the new program's (or '' / null if it was gone too fast). */
  execSeen: boolean;
  /** The process had more than one task at some point (its accounting waits for a group record). */
  readonly multiThreaded: boolean;
  accounting: ExitAccounting | null;
}

export class ExitedRing {
  private items: ExitedRecord[] = [];
  private readonly latestByPid = new Map<Pid, ExitedRecord>();
  private view: readonly ExitedProcess[] | null = null;

  constructor(readonly capacity: number) {}

  push(record: ExitedRecord): void {
    this.items.push(record);
    this.latestByPid.set(record.pid, record);
    this.view = null;
    // Evict in bulk once the array holds twice the capacity: amortised O(1) per push.
    if (this.items.length >= 2 * this.capacity) this.evict(this.items.length - this.capacity);
  }

  /** The newest entry for pid still in the ring, or undefined. */
  latest(pid: Pid): ExitedRecord | undefined {
    return this.latestByPid.get(pid);
  }

  /** Marks the view stale after an entry was completed in place. */
  touched(): void {
    this.view = null;
  }

  /** At most capacity entries, oldest first. Cached until the next change. */
  entries(): readonly ExitedProcess[] {
    if (this.view === null) {
      this.view =
        this.items.length > this.capacity ? this.items.slice(this.items.length - this.capacity) : this.items.slice();
    }
    return this.view;
  }

  get size(): number {
    return Math.min(this.items.length, this.capacity);
  }

  private evict(count: number): void {
    for (let i = 0; i < count; i++) {
      const old = this.items[i] as ExitedRecord;
      if (this.latestByPid.get(old.pid) === old) this.latestByPid.delete(old.pid);
    }
    this.items = this.items.slice(count);
  }
}

/** A fork delivered after its child's exit: the entry learns its parent, start and lifetime, and,
 *  unless an exec already named it, the parent's name (fork copies it). */
export function fillFromFork(entry: ExitedRecord, event: ForkEvent, parent: ProcessInfo | undefined): void {
  entry.ppid = event.parentTgid;
  entry.startMs = event.timeMs;
  entry.lifetimeMs = Math.max(0, entry.exitMs - event.timeMs);
  if (parent === undefined) return;
  if (!entry.execSeen) {
    entry.comm = parent.comm;
    entry.cmdline = parent.cmdline;
  }
  if (entry.user === '') entry.user = parent.user;
}

/** An exec delivered after the exit: its program's name ('' when it was unreadable, already gone). */
export function fillFromExec(entry: ExitedRecord, event: ExecEvent): void {
  entry.comm = event.comm ?? '';
  entry.cmdline = event.cmdline;
  entry.execSeen = true;
}
