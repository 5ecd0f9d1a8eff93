// Joins exits from the process connector with the taskstats records of the same tasks. The two arrive
// on different sockets, in either order, with no common sequence number: an exit is matched with the
// task record of the same pid (and, for a multi-threaded process, the group record of its tgid). An exit
// waits at most maxWaitMs for what it lacks and then goes on without it; a record waits recordTtlMs for
// its exit and is then dropped (its exit was lost, or nobody asked for it: thread records without
// --threads). Pure: the caller passes the time and schedules expire() at nextDeadlineMs().
import type { Pid } from '../types.js';
import type { TaskRecord } from './task-record.js';

export interface JoinedExit<E> {
  readonly exit: E;
  /** The exiting task's own record, or null when none came within the wait. */
  readonly task: TaskRecord | null;
  /** The thread group's record when one was awaited and came in time, else null. */
  readonly group: TaskRecord | null;
}

export interface ExitJoinOptions {
  /** How long an exit waits for its records before it goes on without them. */
  readonly maxWaitMs: number;
  /** How long a record waits for its exit. */
  readonly recordTtlMs: number;
  /** At most this many records wait for exits; beyond it the oldest is dropped. */
  readonly maxHeldRecords: number;
}

export const DEFAULT_EXIT_JOIN_OPTIONS: ExitJoinOptions = { maxWaitMs: 100, recordTtlMs: 2000, maxHeldRecords: 65_536 };

export interface ExitJoinStats {
  /** Exits that got every record they waited for. */
  readonly complete: number;
  /** Exits that went on without their task record or their group record. */
  readonly timedOut: number;
  /** Records dropped after waiting recordTtlMs (or pushed out by maxHeldRecords) with no exit asking. */
  readonly unclaimed: number;
}

interface PendingExit<E> {
  readonly exit: E;
  readonly pid: Pid;
  readonly tgid: Pid;
  readonly wantsGroup: boolean;
  task: TaskRecord | null;
  group: TaskRecord | null;
  readonly deadlineMs: number;
  done: boolean;
}

interface HeldRecord {
  readonly record: TaskRecord;
  readonly deadlineMs: number;
}

export class ExitJoin<E> {
  private readonly exitsByPid = new Map<Pid, PendingExit<E>>();
  /** Exits waiting for a group record, by tgid (a leader whose threads are still running waits here). */
  private readonly exitsByTgid = new Map<Pid, PendingExit<E>>();
  private readonly exitQueue: PendingExit<E>[] = [];
  private exitHead = 0;
  private readonly tasks = new Map<Pid, HeldRecord>();
  private readonly groups = new Map<Pid, HeldRecord>();
  /** Held records in arrival (= deadline) order; entries already claimed are skipped on expiry. */
  private readonly recordQueue: { readonly scope: TaskRecord['scope']; readonly held: HeldRecord }[] = [];
  private recordHead = 0;
  private counts = { complete: 0, timedOut: 0, unclaimed: 0 };

  constructor(
    private readonly emit: (joined: JoinedExit<E>) => void,
    private readonly options: ExitJoinOptions = DEFAULT_EXIT_JOIN_OPTIONS,
  ) {}

  get stats(): ExitJoinStats {
    return { ...this.counts };
  }

  /**
   * An exit event. wantsGroup: the process had more than one thread, so a group record will carry its
   * total CPU. Emitted at once when its records are already here, else held until they come or the wait ends.
   */
  exit(pid: Pid, tgid: Pid, wantsGroup: boolean, exit: E, nowMs: number): void {
    const pending: PendingExit<E> = {
      exit,
      pid,
      tgid,
      wantsGroup,
      task: this.take(this.tasks, pid),
      group: wantsGroup ? this.take(this.groups, tgid) : null,
      deadlineMs: nowMs + this.options.maxWaitMs,
      done: false,
    };
    if (this.isComplete(pending)) {
      this.finish(pending, 'complete');
      return;
    }
    // A second exit of the same pid while the first still waits (pid reuse within the wait): the first
    // goes on now, so each record can only ever join the newest exit of its pid.
    const previous = this.exitsByPid.get(pid);
    if (previous !== undefined) this.finish(previous, 'timedOut');
    this.exitsByPid.set(pid, pending);
    if (wantsGroup && pending.group === null) this.exitsByTgid.set(tgid, pending);
    this.exitQueue.push(pending);
  }

  /** A taskstats record: completes the exit waiting for it, or waits for that exit. */
  record(record: TaskRecord, nowMs: number): void {
    const waiting = record.scope === 'task' ? this.exitsByPid.get(record.id) : this.exitsByTgid.get(record.id);
    if (
      waiting !== undefined &&
      !waiting.done &&
      (record.scope === 'task' ? waiting.task === null : waiting.group === null)
    ) {
      if (record.scope === 'task') waiting.task = record;
      else waiting.group = record;
      if (this.isComplete(waiting)) this.finish(waiting, 'complete');
      return;
    }
    const held = { record, deadlineMs: nowMs + this.options.recordTtlMs };
    const store = record.scope === 'task' ? this.tasks : this.groups;
    if (store.has(record.id)) this.counts.unclaimed++; // the older record of a reused id is superseded
    store.set(record.id, held);
    this.recordQueue.push({ scope: record.scope, held });
    if (this.tasks.size + this.groups.size > this.options.maxHeldRecords) this.dropOldestRecord();
  }

  /** Emits the exits whose wait has ended and drops records nobody claimed in time. */
  expire(nowMs: number): void {
    while (this.exitHead < this.exitQueue.length) {
      const pending = this.exitQueue[this.exitHead] as PendingExit<E>;
      if (!pending.done && pending.deadlineMs > nowMs) break;
      this.exitHead++;
      if (!pending.done) this.finish(pending, 'timedOut');
    }
    this.compactExits();
    while (this.recordHead < this.recordQueue.length) {
      const { scope, held } = this.recordQueue[this.recordHead] as { scope: TaskRecord['scope']; held: HeldRecord };
      if (held.deadlineMs > nowMs) break;
      this.recordHead++;
      this.dropHeld(scope, held);
    }
    this.compactRecords();
  }

  /** When expire() next has something to do, or null when nothing waits. */
  nextDeadlineMs(): number | null {
    // Entries already done (exits) or claimed (records) are dead: step the heads past them for good.
    while (this.exitHead < this.exitQueue.length && (this.exitQueue[this.exitHead] as PendingExit<E>).done)
      this.exitHead++;
    for (let head = this.recordQueue[this.recordHead]; head !== undefined && !this.isHeld(head);) {
      this.recordHead++;
      head = this.recordQueue[this.recordHead];
    }
    this.compactExits();
    this.compactRecords();
    const exitDue = this.exitQueue[this.exitHead]?.deadlineMs;
    const recordDue = this.recordQueue[this.recordHead]?.held.deadlineMs;
    if (exitDue === undefined) return recordDue ?? null;
    return recordDue === undefined ? exitDue : Math.min(exitDue, recordDue);
  }

  private isHeld(entry: { readonly scope: TaskRecord['scope']; readonly held: HeldRecord }): boolean {
    return (entry.scope === 'task' ? this.tasks : this.groups).get(entry.held.record.id) === entry.held;
  }

  /** Emits every waiting exit now, with what it has (on close: nothing may be lost). */
  flush(): void {
    for (let i = this.exitHead; i < this.exitQueue.length; i++) {
      const pending = this.exitQueue[i] as PendingExit<E>;
      if (!pending.done) this.finish(pending, 'timedOut');
    }
    this.exitQueue.length = 0;
    this.exitHead = 0;
  }

  private isComplete(pending: PendingExit<E>): boolean {
    return pending.task !== null && (!pending.wantsGroup || pending.group !== null);
  }

  private finish(pending: PendingExit<E>, how: 'complete' | 'timedOut'): void {
    pending.done = true;
    if (this.exitsByPid.get(pending.pid) === pending) this.exitsByPid.delete(pending.pid);
    if (this.exitsByTgid.get(pending.tgid) === pending) this.exitsByTgid.delete(pending.tgid);
    this.counts[how]++;
    this.emit({ exit: pending.exit, task: pending.task, group: pending.group });
  }

  private take(store: Map<Pid, HeldRecord>, id: Pid): TaskRecord | null {
    const held = store.get(id);
    if (held === undefined) return null;
    store.delete(id);
    return held.record;
  }

  private dropHeld(scope: TaskRecord['scope'], held: HeldRecord): void {
    if (!this.isHeld({ scope, held })) return; // claimed by an exit, or superseded
    (scope === 'task' ? this.tasks : this.groups).delete(held.record.id);
    this.counts.unclaimed++;
  }

  private dropOldestRecord(): void {
    while (this.recordHead < this.recordQueue.length) {
      const entry = this.recordQueue[this.recordHead++] as { scope: TaskRecord['scope']; held: HeldRecord };
      if (this.isHeld(entry)) {
        this.dropHeld(entry.scope, entry.held);
        return;
      }
    }
  }

  // The queues are consumed from the head; reclaim the consumed part once it is most of the array.
  private compactExits(): void {
    if (this.exitHead > 1024 && this.exitHead * 2 > this.exitQueue.length) {
      this.exitQueue.splice(0, this.exitHead);
      this.exitHead = 0;
    }
  }

  private compactRecords(): void {
    if (this.recordHead > 1024 && this.recordHead * 2 > this.recordQueue.length) {
      this.recordQueue.splice(0, this.recordHead);
      this.recordHead = 0;
    }
  }
}
