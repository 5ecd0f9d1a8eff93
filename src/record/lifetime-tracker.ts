// Turns what the engine knows into the recording's rows: one lifetime per process incarnation (from
// the model's records, the events' hints and the accounted exits), an exec row per exec event, a
// reparent row when a process changes parent, and samples of live processes that changed. Pure: no
// database and no /proc (cgroups come through a port); times stay monotonic ms, the store converts.
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import type { ExitAccounting } from '../core/accounting/task-record.js';
import type { EngineView } from '../core/engine-api.js';
import type { ExecEvent, ExitStatus, ExitedProcess, Pid, ProcEvent, ProcessInfo } from '../core/types.js';

/** Start times this close name the same incarnation (the model's own tolerance, SAME_START_TOLERANCE_MS). */
const SAME_START_MS = 50;
/**
 * How long an ended lifetime can still take exec events that arrived late (another CPU's, or held until
 * the next flush resolves them): milliseconds in practice. Short, since a storm ends thousands a second.
 */
const ENDED_KEEP_MS = 3000;
/** Exec events whose process the recording has not met yet wait this long before they are dropped. */
const PENDING_EXEC_MS = 10_000;
/** Cgroup reads per refresh, at most: the first refresh of a large host spreads over a few. */
const CGROUP_READS_PER_REFRESH = 512;
/**
 * A process the model saw end whose accounted exit has not come this long after: ended from the model's
 * record instead (the engine reports every end within its ~100 ms wait for accounting; this is a guard,
 * so that no lifetime can stay open past its process's death).
 */
const STALE_END_MS = 30_000;

/** One process lifetime as the recording holds it until it is written (and, while alive, after). */
export interface Lifetime {
  readonly id: number;
  readonly pid: Pid;
  /** The parent that created it. */
  readonly ppid: Pid;
  startMs: number;
  startExact: boolean;
  endMs: number | null;
  /**
   * endMs is its exit event's time. False when the event was lost and the end is when the engine found
   * it gone (a /proc scan, or its pid already another process's): it ended at some point before.
   */
  endExact: boolean;
  comm: string;
  cmdline: readonly string[] | null;
  uid: number;
  readonly kthread: boolean;
  cgroup: string | null;
  status: ExitStatus | null;
  accounting: ExitAccounting | null;
  /** The program before its first exec, for a process that was not born during the recording. */
  first: { readonly comm: string; readonly cmdline: readonly string[] | null } | null;
  /** Inserted already: later changes are updates. */
  written: boolean;
}

interface Tracked extends Lifetime {
  ppid: Pid;
  /** The model's record of this incarnation (null: known only from its exit). */
  record: ProcessInfo | null;
  /** The parent it has now (reparent rows follow it). */
  currentPpid: Pid;
  bornInRecording: boolean;
  execs: number;
  dirty: boolean;
  cgroupChecked: boolean;
  lastSample: { cpuMs: number; rssKiB: number; state: string; threads: number } | null;
}

export interface ExecRow {
  readonly lifetime: Lifetime;
  readonly tMs: number;
  readonly comm: string;
  readonly cmdline: readonly string[] | null;
}

export interface ReparentRow {
  readonly lifetime: Lifetime;
  readonly tMs: number;
  readonly ppid: Pid;
}

export interface SampleRow {
  readonly lifetime: Lifetime;
  readonly tMs: number;
  readonly cpuMs: number;
  readonly rssKiB: number;
  readonly state: string;
  readonly threads: number;
}

/** What changed since the previous drain, in the order it must be written. */
export interface ChangeSet {
  /** New lifetimes (written false) and changed ones (written true), each once. */
  readonly lifetimes: readonly Lifetime[];
  readonly execs: readonly ExecRow[];
  readonly reparents: readonly ReparentRow[];
  readonly samples: readonly SampleRow[];
  /** uid → name pairs not written before. */
  readonly users: ReadonlyMap<number, string>;
}

export interface TrackerPorts {
  /** The cgroup a live process is in now ("0::/system.slice/cron.service" → "/system.slice/cron.service"), or null. */
  readonly readCgroup: (pid: Pid) => string | null;
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}

interface PendingExec {
  readonly event: ExecEvent;
  readonly arrivedMs: number;
}

export class LifetimeTracker {
  /** Open lifetimes by pid; more than one only while an old incarnation's exit is still on its way. */
  private readonly open = new Map<Pid, Tracked[]>();
  private readonly ended = new Map<Pid, Tracked[]>();
  private endedOrder: { pid: Pid; atMs: number }[] = [];
  private readonly childrenOf = new Map<Pid, Set<Tracked>>();
  private pendingExecs: PendingExec[] = [];
  private dirty: Tracked[] = [];
  private execs: ExecRow[] = [];
  private reparents: ReparentRow[] = [];
  private samples: SampleRow[] = [];
  private readonly usersWritten = new Map<number, string>();
  private usersNew = new Map<number, string>();
  private nextId: number;
  private lastSampleMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly engine: EngineView,
    private readonly ports: TrackerPorts,
    /** The first lifetime id to hand out (the table's max id + 1). */
    firstId: number,
    /** Monotonic ms when the recording began: processes started since were born during it. */
    private readonly sinceMs: number,
  ) {
    this.nextId = firstId;
  }

  /** Lifetimes open now (the recording's view of the living). */
  get openCount(): number {
    let n = 0;
    for (const list of this.open.values()) n += list.length;
    return n;
  }

  /** After a batch of events was applied to the model. */
  onEvents(events: readonly ProcEvent[], nowMs: number): void {
    for (const event of events) {
      if (event.pid !== event.tgid) continue; // threads: the model counts them on their process
      switch (event.kind) {
        case 'fork': {
          const record = this.engine.processes.get(event.pid);
          if (
            record !== undefined &&
            record.exitMs === null &&
            Math.abs(record.startMs - event.timeMs) <= SAME_START_MS
          )
            this.ensure(record, true);
          break;
        }
        case 'exec':
          this.exec(event, nowMs);
          break;
        case 'comm': {
          const lifetime = this.current(event.tgid);
          if (lifetime === undefined) break;
          // The engine re-read the command line of a process that renamed itself (argv rewritten, no
          // exec): a new one counts as an exec at the rename, as a lost exec seen at a refresh does.
          const record = lifetime.record;
          if (
            record !== null &&
            record.cmdline !== null &&
            lifetime.cmdline !== null &&
            !sameArgs(lifetime.cmdline, record.cmdline)
          ) {
            this.exec(
              {
                kind: 'exec',
                pid: event.tgid,
                tgid: event.tgid,
                cpu: -1,
                timeMs: event.timeMs,
                comm: event.comm,
                cmdline: record.cmdline,
              },
              nowMs,
            );
          }
          if (lifetime.comm !== event.comm) {
            lifetime.comm = event.comm;
            this.touch(lifetime);
          }
          break;
        }
        case 'uid': {
          const lifetime = this.current(event.tgid);
          if (lifetime !== undefined && lifetime.uid !== event.ruid) {
            lifetime.uid = event.ruid;
            this.noteUser(lifetime.record);
            this.touch(lifetime);
          }
          break;
        }
        case 'exit':
          this.orphansOf(event.tgid, event.timeMs);
          break;
        default:
          break;
      }
    }
  }

  /** Exits joined with their accounting: each process's end, once. */
  onAccountedExits(exits: readonly AccountedExit[], nowMs: number): void {
    // No event: a scan (or the pid's next holder) told the engine of an end whose exit event was lost.
    for (const exit of exits) if (exit.process !== null) this.end(exit.process, nowMs, exit.event !== null);
  }

  /**
   * After a refresh or a resync (and once at the start): every live process of the model gets its
   * lifetime; parent, name, command line and user changes the events did not carry are taken; and,
   * once per sampleMs, live processes whose CPU, memory, state or threads changed are sampled.
   */
  onRefresh(nowMs: number, sampleMs: number): void {
    let cgroupReads = 0;
    for (const record of this.engine.processes.values()) {
      if (record.exitMs !== null) continue;
      const lifetime = this.ensure(record, false);
      if (record.ppid !== lifetime.currentPpid) this.reparent(lifetime, record.ppid, nowMs);
      if (record.uid !== lifetime.uid) {
        lifetime.uid = record.uid;
        this.noteUser(record);
        this.touch(lifetime);
      }
      if (record.cmdline !== lifetime.cmdline && record.cmdline !== null) {
        // A command line the events did not bring: read late (it was unknown), or a new program whose
        // exec event was lost (the model saw the name change in /proc): then it counts as an exec, now.
        if (lifetime.cmdline !== null && !sameArgs(lifetime.cmdline, record.cmdline))
          this.exec(
            {
              kind: 'exec',
              pid: record.pid,
              tgid: record.pid,
              cpu: -1,
              timeMs: nowMs,
              comm: record.comm,
              cmdline: record.cmdline,
            },
            nowMs,
          );
        lifetime.comm = record.comm;
        lifetime.cmdline = record.cmdline;
        this.touch(lifetime);
      } else if (record.comm !== lifetime.comm) {
        lifetime.comm = record.comm;
        this.touch(lifetime);
      }
      if (record.startMs !== lifetime.startMs) {
        // A fork that came after the exec (another CPU's), or the start read from /proc at last.
        lifetime.startMs = record.startMs;
        this.touch(lifetime);
      }
      if (!lifetime.cgroupChecked && cgroupReads < CGROUP_READS_PER_REFRESH) {
        cgroupReads++;
        lifetime.cgroupChecked = true;
        const cgroup = this.ports.readCgroup(record.pid);
        if (cgroup !== null && cgroup !== lifetime.cgroup) {
          lifetime.cgroup = cgroup;
          this.touch(lifetime);
        }
      }
    }
    const sampleDue = nowMs - this.lastSampleMs >= sampleMs;
    if (sampleDue) this.lastSampleMs = nowMs;
    this.sweepOpen(nowMs, sampleDue);
    this.prune(nowMs);
  }

  /** Takes the changes gathered since the previous call. */
  drain(nowMs: number): ChangeSet {
    this.resolvePendingExecs(nowMs);
    const lifetimes: Lifetime[] = this.dirty;
    for (const lifetime of this.dirty) lifetime.dirty = false;
    const changes: ChangeSet = {
      lifetimes,
      execs: this.execs,
      reparents: this.reparents,
      samples: this.samples,
      users: this.usersNew,
    };
    for (const [uid, name] of this.usersNew) this.usersWritten.set(uid, name);
    this.dirty = [];
    this.execs = [];
    this.reparents = [];
    this.samples = [];
    this.usersNew = new Map();
    return changes;
  }

  /** Marks lifetimes as inserted once their change set is committed. */
  committed(changes: ChangeSet): void {
    for (const lifetime of changes.lifetimes) lifetime.written = true;
  }

  // ---- lifetimes ----

  private current(pid: Pid): Tracked | undefined {
    const list = this.open.get(pid);
    return list === undefined ? undefined : list[list.length - 1];
  }

  /** The lifetime of the model's record, created on first sight. */
  private ensure(record: ProcessInfo, fromFork: boolean): Tracked {
    const list = this.open.get(record.pid);
    if (list !== undefined) for (const lifetime of list) if (lifetime.record === record) return lifetime;
    const parent = this.current(record.ppid);
    const lifetime: Tracked = {
      id: this.nextId++,
      pid: record.pid,
      ppid: record.ppid,
      currentPpid: record.ppid,
      startMs: record.startMs,
      startExact: true,
      endMs: null,
      endExact: true,
      comm: record.comm,
      cmdline: record.cmdline,
      uid: record.uid,
      kthread: record.isKernelThread,
      // A child starts in its parent's cgroup; an exec or a refresh reads its own.
      cgroup: fromFork ? (parent?.cgroup ?? null) : null,
      status: null,
      accounting: null,
      first: null,
      written: false,
      record,
      bornInRecording: fromFork || record.startMs >= this.sinceMs,
      execs: 0,
      dirty: false,
      cgroupChecked: false,
      lastSample: null,
    };
    this.noteUser(record);
    this.add(lifetime);
    return lifetime;
  }

  private add(lifetime: Tracked): void {
    const list = this.open.get(lifetime.pid);
    if (list === undefined) this.open.set(lifetime.pid, [lifetime]);
    else list.push(lifetime);
    this.adopt(lifetime, lifetime.currentPpid);
    this.touch(lifetime);
  }

  private adopt(lifetime: Tracked, ppid: Pid): void {
    let children = this.childrenOf.get(ppid);
    if (children === undefined) this.childrenOf.set(ppid, (children = new Set()));
    children.add(lifetime);
  }

  private disown(lifetime: Tracked): void {
    const children = this.childrenOf.get(lifetime.currentPpid);
    if (children === undefined) return;
    children.delete(lifetime);
    if (children.size === 0) this.childrenOf.delete(lifetime.currentPpid);
  }

  private touch(lifetime: Tracked): void {
    if (lifetime.dirty) return;
    lifetime.dirty = true;
    this.dirty.push(lifetime);
  }

  private reparent(lifetime: Tracked, ppid: Pid, tMs: number): void {
    this.disown(lifetime);
    lifetime.currentPpid = ppid;
    this.adopt(lifetime, ppid);
    this.reparents.push({ lifetime, tMs, ppid });
  }

  /** A process ended: its orphans have a new parent in the model already (init, until a refresh reads the subreaper). */
  private orphansOf(pid: Pid, tMs: number): void {
    const children = this.childrenOf.get(pid);
    if (children === undefined) return;
    for (const child of [...children]) {
      const record = child.record;
      if (record !== null && record.exitMs === null && record.ppid !== pid) this.reparent(child, record.ppid, tMs);
    }
  }

  private exec(event: ExecEvent, nowMs: number): void {
    const lifetime = this.lifetimeAt(event.tgid, event.timeMs);
    if (lifetime === undefined) {
      this.pendingExecs.push({ event, arrivedMs: nowMs });
      return;
    }
    if (lifetime.execs === 0 && !lifetime.bornInRecording && lifetime.first === null && lifetime.endMs === null) {
      lifetime.first = { comm: lifetime.comm, cmdline: lifetime.cmdline };
    }
    if (lifetime.endMs === null) {
      lifetime.comm = event.comm ?? '';
      lifetime.cmdline = event.cmdline;
      // It may have moved (a service manager's child joins its unit's cgroup before it execs).
      lifetime.cgroupChecked = false;
    }
    this.addExec(lifetime, event);
  }

  private addExec(lifetime: Tracked, event: ExecEvent): void {
    lifetime.execs++;
    this.execs.push({ lifetime, tMs: event.timeMs, comm: event.comm ?? '', cmdline: event.cmdline });
    this.touch(lifetime);
  }

  /** The lifetime of pid that was alive at tMs: open, or ended a moment ago. */
  private lifetimeAt(pid: Pid, tMs: number): Tracked | undefined {
    const fits = (l: Tracked): boolean =>
      l.startMs - SAME_START_MS <= tMs && (l.endMs === null || tMs <= l.endMs + SAME_START_MS);
    const open = this.open.get(pid);
    if (open !== undefined) for (let i = open.length - 1; i >= 0; i--) if (fits(open[i] as Tracked)) return open[i];
    const ended = this.ended.get(pid);
    if (ended !== undefined) for (let i = ended.length - 1; i >= 0; i--) if (fits(ended[i] as Tracked)) return ended[i];
    return undefined;
  }

  private resolvePendingExecs(nowMs: number): void {
    if (this.pendingExecs.length === 0) return;
    const still: PendingExec[] = [];
    for (const pending of this.pendingExecs) {
      const lifetime = this.lifetimeAt(pending.event.tgid, pending.event.timeMs);
      // Met after its exec: its name and command line are the exec's already.
      if (lifetime !== undefined) this.addExec(lifetime, pending.event);
      else if (nowMs - pending.arrivedMs < PENDING_EXEC_MS) still.push(pending);
    }
    this.pendingExecs = still;
  }

  private end(process: ExitedProcess, nowMs: number, exact: boolean): void {
    const list = this.open.get(process.pid);
    let lifetime: Tracked | undefined;
    if (list !== undefined) {
      const startMs = process.startMs;
      // The incarnation with this start; else the oldest one the model no longer holds alive.
      lifetime =
        (startMs === null ? undefined : list.find((l) => Math.abs(l.startMs - startMs) <= SAME_START_MS)) ??
        list.find(
          (l) =>
            l.startMs <= process.exitMs + SAME_START_MS &&
            (l.record === null || l.record.exitMs !== null || this.engine.processes.get(l.pid) !== l.record),
        );
    }
    if (lifetime === undefined || list === undefined) {
      lifetime = this.fromExit(process);
    } else {
      list.splice(list.indexOf(lifetime), 1);
      if (list.length === 0) this.open.delete(process.pid);
      this.disown(lifetime);
      if (process.ppid > 0 && process.ppid !== lifetime.currentPpid)
        this.reparents.push({ lifetime, tMs: process.exitMs, ppid: process.ppid });
    }
    if (process.startMs !== null) {
      lifetime.startMs = process.startMs;
      lifetime.startExact = true;
    }
    lifetime.endMs = process.exitMs;
    lifetime.endExact = exact;
    lifetime.status = process.status;
    lifetime.accounting = process.accounting;
    lifetime.comm = process.comm;
    lifetime.cmdline = process.cmdline;
    lifetime.record = null;
    this.touch(lifetime);
    let ended = this.ended.get(process.pid);
    if (ended === undefined) this.ended.set(process.pid, (ended = []));
    ended.push(lifetime);
    this.endedOrder.push({ pid: process.pid, atMs: nowMs });
  }

  /** A process the recording never saw alive (it forked and exited within one batch): all it has is its exit. */
  private fromExit(process: ExitedProcess): Tracked {
    const parent = this.current(process.ppid);
    return {
      id: this.nextId++,
      pid: process.pid,
      ppid: process.ppid,
      currentPpid: process.ppid,
      startMs: process.startMs ?? process.exitMs,
      startExact: process.startMs !== null,
      endMs: process.exitMs,
      endExact: true,
      comm: process.comm,
      cmdline: process.cmdline,
      uid: this.uidOf(process.user, parent),
      kthread: false,
      cgroup: parent?.cgroup ?? null,
      status: process.status,
      accounting: process.accounting,
      first: null,
      written: false,
      record: null,
      bornInRecording: true,
      execs: 0,
      dirty: false,
      cgroupChecked: true,
      lastSample: null,
    };
  }

  /** The uid behind a user name the model gave an exit: its parent's when the names agree, else any uid seen with that name. */
  private uidOf(user: string, parent: Tracked | undefined): number {
    if (parent !== undefined && this.usersWritten.get(parent.uid) === user) return parent.uid;
    for (const [uid, name] of this.usersWritten) if (name === user) return uid;
    for (const [uid, name] of this.usersNew) if (name === user) return uid;
    return /^\d+$/.test(user) ? Number(user) : -1;
  }

  private noteUser(record: ProcessInfo | null): void {
    if (record === null || record.uid < 0) return;
    if (this.usersWritten.get(record.uid) !== record.user && this.usersNew.get(record.uid) !== record.user)
      this.usersNew.set(record.uid, record.user);
  }

  /** Samples live lifetimes that changed (when due), and ends those whose process ended long ago without an accounted exit. */
  private sweepOpen(nowMs: number, sampleDue: boolean): void {
    const stale: Tracked[] = [];
    for (const list of this.open.values()) {
      for (const lifetime of list) {
        const record = lifetime.record;
        if (record === null) continue;
        if (record.exitMs !== null) {
          if (nowMs - record.exitMs > STALE_END_MS) stale.push(lifetime);
          continue;
        }
        if (!sampleDue) continue;
        const cpuMs = Math.round(record.cpuTimeMs);
        const rssKiB = Math.round(record.rssBytes / 1024);
        const last = lifetime.lastSample;
        if (
          last !== null &&
          last.cpuMs === cpuMs &&
          last.rssKiB === rssKiB &&
          last.state === record.state &&
          last.threads === record.threads
        )
          continue;
        lifetime.lastSample = { cpuMs, rssKiB, state: record.state, threads: record.threads };
        this.samples.push({ lifetime, tMs: nowMs, cpuMs, rssKiB, state: record.state, threads: record.threads });
      }
    }
    for (const lifetime of stale) {
      const record = lifetime.record as ProcessInfo;
      const exitMs = record.exitMs as number;
      this.end(
        {
          pid: record.pid,
          ppid: record.ppid,
          comm: record.comm,
          cmdline: record.cmdline,
          user: record.user,
          status: record.exitStatus ?? { code: null, signal: null, coreDumped: false },
          startMs: lifetime.startMs,
          exitMs,
          lifetimeMs: Math.max(0, exitMs - lifetime.startMs),
          accounting: null,
        },
        nowMs,
        // Whether an event or a scan ended the record is not known here: the end may be late.
        false,
      );
    }
  }

  /** Forgets ended lifetimes once late exec events can no longer name them. */
  private prune(nowMs: number): void {
    let drop = 0;
    while (drop < this.endedOrder.length && nowMs - (this.endedOrder[drop] as { atMs: number }).atMs > ENDED_KEEP_MS)
      drop++;
    if (drop === 0) return;
    for (const { pid } of this.endedOrder.slice(0, drop)) {
      const list = this.ended.get(pid);
      if (list === undefined) continue;
      list.shift();
      if (list.length === 0) this.ended.delete(pid);
    }
    this.endedOrder = this.endedOrder.slice(drop);
  }
}
