// The live process model: a pid-keyed table plus a children index, driven by connector events.
// Pure: no I/O. Every apply is idempotent and tolerates events that arrive out of order
// (CPUs interleave), late, duplicated, or for pids it never knew.
import { decodeWaitStatus } from '../exit-status.js';
import {
  assertNever,
  type CommEvent,
  type ExecEvent,
  type ExitEvent,
  type ExitStatus,
  type ForkEvent,
  type Pid,
  type ProcEvent,
  type UidEvent,
} from '../types.js';
import { ChildrenIndex } from './children-index.js';
import { ExitedRing, fillFromExec, fillFromFork, type ExitedRecord } from './exited-ring.js';
import { ProcessRecord, SAME_START_TOLERANCE_MS, UNKNOWN_EXIT } from './process-record.js';

export interface ProcessTableOptions {
  /** How long an exited process stays in the table as a tombstone. */
  readonly tombstoneMs: number;
  /** Capacity of the exited ring. */
  readonly exitedCapacity: number;
  /** Most exited rows listed at once; older ones leave early (they stay in the exited ring). Default: no limit. */
  readonly maxTombstones?: number;
  /** uid → name. */
  readonly userName: (uid: number) => string;
  /** Called once when a process leaves the living (so the reader can close its kept fd). */
  readonly onGone?: (pid: Pid) => void;
  /** Called with each process's exited-ring entry as it is pushed, and the exit event that ended it
   *  (null when a /proc scan found it gone), so its accounting can be joined to it. */
  readonly onEnded?: (entry: ExitedRecord, event: ExitEvent | null) => void;
}

/** The pid orphans are handed to until /proc tells us their real (sub)reaper. */
const INIT_PID = 1;

export class ProcessTable {
  readonly processes = new Map<Pid, ProcessRecord>();
  readonly children = new ChildrenIndex();
  readonly exited: ExitedRing;
  /** Live pids whose uid, cmdline or parent still has to be read from /proc. */
  readonly needsDetail = new Set<Pid>();
  /** Pids in needsDetail whose known command line may be stale: they renamed themselves (see applyComm). */
  readonly staleCmdline = new Set<Pid>();
  /** Exited rows still listed, in exit order; tombstones[tombstoneHead] is the oldest. */
  private tombstones: ProcessRecord[] = [];
  private tombstoneHead = 0;

  constructor(private readonly options: ProcessTableOptions) {
    this.exited = new ExitedRing(options.exitedCapacity);
  }

  /** The living process with this pid, if any (tombstones excluded). */
  live(pid: Pid): ProcessRecord | undefined {
    const record = this.processes.get(pid);
    return record !== undefined && record.exitMs === null ? record : undefined;
  }

  apply(events: readonly ProcEvent[], nowMs: number): void {
    for (const event of events) this.applyEvent(event, nowMs);
  }

  applyEvent(event: ProcEvent, nowMs: number): void {
    switch (event.kind) {
      case 'fork':
        this.applyFork(event, nowMs);
        return;
      case 'exec':
        this.applyExec(event, nowMs);
        return;
      case 'exit':
        this.applyExit(event);
        return;
      case 'comm':
        this.applyComm(event);
        return;
      case 'uid':
        this.applyUid(event);
        return;
      case 'gid':
      case 'sid':
      case 'ptrace':
      case 'coredump':
        // Nothing the table shows depends on these; they are counted and streamed elsewhere.
        return;
      default:
        return assertNever(event);
    }
  }

  /** Adds a new living process (replacing a tombstone of the same pid) under its parent. */
  insert(record: ProcessRecord): void {
    const previous = this.processes.get(record.pid);
    if (previous !== undefined) this.children.remove(previous.ppid, previous.pid);
    this.processes.set(record.pid, record);
    this.children.add(record.ppid, record.pid);
  }

  /** Moves a process under another parent. */
  setParent(record: ProcessRecord, ppid: Pid): void {
    if (record.ppid === ppid) return;
    this.children.remove(record.ppid, record.pid);
    record.ppid = ppid;
    this.children.add(ppid, record.pid);
  }

  /** Ends a living process: tombstone, exited ring entry, orphans handed to init. */
  finalize(record: ProcessRecord, status: ExitStatus, exitMs: number, event: ExitEvent | null = null): void {
    if (record.exitMs !== null) return;
    record.exitMs = exitMs;
    record.exitStatus = status;
    record.state = 'X';
    record.cpuPercent = 0;
    record.leaderExit = null;
    this.needsDetail.delete(record.pid);
    this.staleCmdline.delete(record.pid);
    this.tombstones.push(record);
    // During a fork storm thousands exit per second: list only the newest maxTombstones of them.
    if (this.tombstones.length - this.tombstoneHead > (this.options.maxTombstones ?? Infinity)) {
      this.unlist(this.tombstones[this.tombstoneHead++] as ProcessRecord);
      // Drop the unlisted ones from the array now, not at the next sweep: a storm would otherwise keep
      // every record of a whole refresh interval reachable (5,000 exits/s × the interval), and each one
      // would survive into the old generation only to be collected by a full GC later.
      if (this.tombstoneHead >= 256 && this.tombstoneHead * 2 >= this.tombstones.length) {
        this.tombstones = this.tombstones.slice(this.tombstoneHead);
        this.tombstoneHead = 0;
      }
    }
    const entry: ExitedRecord = {
      pid: record.pid,
      ppid: record.ppid,
      comm: record.comm,
      cmdline: record.cmdline,
      user: record.user,
      status,
      startMs: record.startKnown ? record.startMs : null,
      exitMs,
      lifetimeMs: record.startKnown ? Math.max(0, exitMs - record.startMs) : null,
      execSeen: record.execSeen,
      multiThreaded: record.hadThreads || record.threads > 1,
      accounting: null,
    };
    this.exited.push(entry);
    for (const child of this.children.of(record.pid)) {
      const orphan = this.live(child);
      // The real reaper may be a subreaper; the next refresh reads it from the child's stat.
      if (orphan !== undefined) this.setParent(orphan, INIT_PID);
    }
    this.options.onGone?.(record.pid);
    this.options.onEnded?.(entry, event);
  }

  /** Drops tombstones older than tombstoneMs (htop's mark and sweep, with exit times as marks). */
  sweep(nowMs: number): void {
    const kept: ProcessRecord[] = [];
    for (let i = this.tombstoneHead; i < this.tombstones.length; i++) {
      const record = this.tombstones[i] as ProcessRecord;
      if (nowMs - (record.exitMs as number) < this.options.tombstoneMs) kept.push(record);
      else this.unlist(record);
    }
    this.tombstones = kept;
    this.tombstoneHead = 0;
  }

  /** Removes an exited row from table and tree, unless its pid already belongs to a newer process. */
  private unlist(record: ProcessRecord): void {
    if (this.processes.get(record.pid) !== record) return;
    this.processes.delete(record.pid);
    this.children.remove(record.ppid, record.pid);
  }

  /** A new process from a fork: complete at once by copying its parent (fork preserves all of it). */
  createChild(pid: Pid, parentTgid: Pid, startMs: number, nowMs: number): ProcessRecord {
    const record = new ProcessRecord(pid, startMs, nowMs);
    record.ppid = parentTgid;
    record.forkSeen = true;
    const parent = this.processes.get(parentTgid);
    if (parent !== undefined) {
      record.comm = parent.comm;
      record.cmdline = parent.cmdline;
      record.uid = parent.uid;
      record.user = parent.user;
      record.priority = parent.priority;
      record.nice = parent.nice;
      record.isKernelThread = parent.isKernelThread || parentTgid === 2;
    } else {
      record.isKernelThread = parentTgid === 2;
      this.needsDetail.add(pid);
    }
    this.insert(record);
    return record;
  }

  private applyFork(event: ForkEvent, nowMs: number): void {
    const t = event.timeMs;
    if (event.pid !== event.tgid) {
      // A new thread: counted on its process, never listed.
      const owner = this.live(event.tgid);
      if (owner !== undefined) {
        owner.threads++;
        owner.hadThreads = true;
      }
      return;
    }
    const pid = event.pid;
    const current = this.live(pid);
    if (current !== undefined) {
      if (current.sameStart(t) || (!current.forkSeen && !current.startKnown && current.startMs >= t)) {
        // The scan (or an early exec) already has it: the fork only confirms parent and start.
        current.forkSeen = true;
        current.startMs = t;
        current.startKnown = true;
        this.setParent(current, event.parentTgid);
        return;
      }
      if (t < current.startMs) return; // stale: a fork of an older holder of this pid
      // Pid reused: the old holder's exit never reached us.
      this.finalize(current, UNKNOWN_EXIT, t);
    } else if (
      this.completeExited(pid, t, (entry) => fillFromFork(entry, event, this.processes.get(event.parentTgid)))
    ) {
      return;
    }
    this.createChild(pid, event.parentTgid, t, nowMs);
  }

  private applyExec(event: ExecEvent, nowMs: number): void {
    const pid = event.tgid;
    const t = event.timeMs;
    let record = this.live(pid);
    if (record !== undefined && t < record.startMs - SAME_START_TOLERANCE_MS) return; // older holder
    if (record === undefined) {
      if (this.completeExited(pid, t, (entry) => fillFromExec(entry, event))) return;
      // Exec before its fork (another CPU's fork is still in flight): start a row with what we have.
      record = new ProcessRecord(pid, t, nowMs);
      record.startKnown = false;
      this.needsDetail.add(pid);
      this.insert(record);
    }
    // Null means the process was gone before its name could be read: what it ran is unknown, and the
    // parent's name copied at fork would be a lie.
    record.comm = event.comm ?? '';
    record.cmdline = event.cmdline;
    record.execSeen = true;
    // A kernel thread never execs; a user-mode helper spawned by kthreadd becomes a user process here.
    record.isKernelThread = false;
  }

  private applyExit(event: ExitEvent): void {
    const t = event.timeMs;
    const record = this.live(event.tgid);
    if (event.pid !== event.tgid) {
      if (record === undefined) return;
      record.threads = Math.max(0, record.threads - 1);
      if (record.leaderExit === null) return;
      // After the leader's pthread_exit the process's status is whatever its last task exits with
      // (measured: leader reports 0, the worker that calls exit(5) and its siblings report 5).
      record.leaderExit = { status: decodeWaitStatus(event.exitCode), timeMs: t };
      if (record.threads === 0) this.finalize(record, record.leaderExit.status, t, event);
      return;
    }
    const status = decodeWaitStatus(event.exitCode);
    if (record === undefined || t < record.startMs - SAME_START_TOLERANCE_MS) {
      this.recordUnknownExit(event, status);
      return;
    }
    if (record.threads > 1) {
      // The leader went first; the process lives on until its last thread exits.
      record.threads--;
      record.leaderExit = { status, timeMs: t };
      return;
    }
    // Exit events sometimes carry parent 0 (measured on 6.18: ~1 in 300 short children of a shell
    // loop); 0 means "not reported", never a real parent.
    if (event.parentTgid > 0) this.setParent(record, event.parentTgid);
    this.finalize(record, status, t, event);
  }

  private applyComm(event: CommEvent): void {
    if (event.pid !== event.tgid) return; // a thread renamed itself; rows show the leader's name
    const record = this.live(event.tgid);
    if (record === undefined || record.comm === event.comm) return;
    record.comm = event.comm;
    // A process that renames itself has usually rewritten its argv too (node's process.title, setproctitle
    // do both): /proc shows a new command line with no exec. Read it again after this batch.
    if (!record.isKernelThread && record.cmdline !== null) {
      this.staleCmdline.add(record.pid);
      this.needsDetail.add(record.pid);
    }
  }

  private applyUid(event: UidEvent): void {
    const record = this.live(event.tgid);
    if (record === undefined || record.uid === event.ruid) return;
    record.uid = event.ruid;
    record.user = this.options.userName(event.ruid);
  }

  /** An exit for a process we never saw alive: it may have lived a millisecond. Keep what is known. */
  private recordUnknownExit(event: ExitEvent, status: ExitStatus): void {
    const previous = this.exited.latest(event.tgid);
    if (previous !== undefined && previous.exitMs === event.timeMs) return; // duplicate
    const entry: ExitedRecord = {
      pid: event.tgid,
      ppid: event.parentTgid,
      comm: '',
      cmdline: null,
      user: '',
      status,
      startMs: null,
      exitMs: event.timeMs,
      lifetimeMs: null,
      execSeen: false,
      multiThreaded: false,
      accounting: null,
    };
    this.exited.push(entry);
    this.options.onEnded?.(entry, event);
  }

  /** If pid's latest exited entry ended after time t, the event at t belongs to it: let fill complete it. */
  private completeExited(pid: Pid, t: number, fill: (entry: ExitedRecord) => void): boolean {
    const entry = this.exited.latest(pid);
    if (entry === undefined || entry.exitMs < t) return false;
    if (entry.startMs !== null && entry.startMs > t + SAME_START_TOLERANCE_MS) return false;
    fill(entry);
    this.exited.touched();
    return true;
  }
}
