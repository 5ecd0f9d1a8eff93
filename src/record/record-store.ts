// Writes a recording session: the session row and its heartbeat, each change set of the tracker in
// one transaction (lifetimes, execs, reparents, samples, users, cgroups), host meters and coverage.
// Monotonic times become wall-clock ms here, with the session's one anchor.
import type { Db } from './open-db.js';
import type { ChangeSet, Lifetime } from './lifetime-tracker.js';

export interface SessionStart {
  readonly startedWallMs: number;
  /** wall ms = floor(monotonic ms) + monoOffsetMs for the whole session. */
  readonly monoOffsetMs: number;
  readonly bootId: string | null;
  readonly hostname: string;
  readonly kernel: string;
  readonly version: string;
  readonly pid: number;
  readonly sampleMs: number;
}

export interface HostRow {
  readonly tMs: number;
  readonly cpuPercent: number;
  readonly cores: readonly number[];
  readonly memTotalKiB: number;
  readonly memUsedKiB: number;
  readonly memCacheKiB: number;
  readonly swapTotalKiB: number;
  readonly swapUsedKiB: number;
  readonly load: readonly [number, number, number];
  readonly tasks: number;
  readonly running: number;
  readonly threads: number;
  readonly forksPerS: number;
  readonly execsPerS: number;
  readonly exitsPerS: number;
}

export type CoverageState = 'healthy' | 'lossy' | 'blind';

export interface Coverage {
  readonly state: CoverageState;
  readonly cause: string | null;
}

/** What one flush writes besides the tracker's changes. */
export interface FlushExtras {
  readonly nowMs: number;
  readonly hosts: readonly HostRow[];
  readonly coverage: Coverage;
}

const MAX_CACHED_CGROUPS = 4096;

function json(cmdline: readonly string[] | null): string | null {
  return cmdline === null ? null : JSON.stringify(cmdline);
}

export class RecordStore {
  private readonly insertProcess;
  private readonly updateProcess;
  private readonly insertExec;
  private readonly insertReparent;
  private readonly insertSample;
  private readonly insertHost;
  private readonly upsertUser;
  private readonly findCgroup;
  private readonly insertCgroup;
  private readonly heartbeat;
  private readonly extendCoverage;
  private readonly insertCoverage;
  private readonly cgroupIds = new Map<string, number>();
  private sessionId = 0;
  private offsetMs = 0;
  private coverageRow: { id: number; state: CoverageState; cause: string | null; endMs: number } | null = null;
  private readonly flushTx: (changes: ChangeSet, extras: FlushExtras) => void;

  constructor(private readonly db: Db) {
    this.insertProcess = db.prepare(
      `INSERT INTO process (id, session, pid, ppid, start_ms, start_exact, end_ms, end_exact, comm, cmdline, uid, kthread,
         cgroup, exit_code, exit_signal, core_dumped, cpu_ms, user_ms, system_ms, peak_rss_kib, read_bytes, write_bytes,
         minor_faults, major_faults, vol_switches, invol_switches, first_comm, first_cmdline)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateProcess = db.prepare(
      `UPDATE process SET start_ms = ?, start_exact = ?, end_ms = ?, end_exact = ?, comm = ?, cmdline = ?, uid = ?, cgroup = ?,
         exit_code = ?, exit_signal = ?, core_dumped = ?, cpu_ms = ?, user_ms = ?, system_ms = ?, peak_rss_kib = ?,
         read_bytes = ?, write_bytes = ?, minor_faults = ?, major_faults = ?, vol_switches = ?, invol_switches = ?,
         first_comm = ?, first_cmdline = ?
       WHERE id = ?`,
    );
    this.insertExec = db.prepare('INSERT INTO exec (process, t_ms, comm, cmdline) VALUES (?, ?, ?, ?)');
    this.insertReparent = db.prepare('INSERT INTO reparent (process, t_ms, ppid) VALUES (?, ?, ?)');
    this.insertSample = db.prepare(
      'INSERT INTO sample (process, t_ms, cpu_ms, rss_kib, state, threads) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertHost = db.prepare(
      `INSERT OR REPLACE INTO host (t_ms, cpu_percent, cores, mem_total_kib, mem_used_kib, mem_cache_kib, swap_total_kib, swap_used_kib,
         load1, load5, load15, tasks, running, threads, forks_per_s, execs_per_s, exits_per_s)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertUser = db.prepare('INSERT OR REPLACE INTO user (uid, name) VALUES (?, ?)');
    this.findCgroup = db.prepare('SELECT id FROM cgroup WHERE path = ?').pluck();
    this.insertCgroup = db.prepare('INSERT INTO cgroup (path) VALUES (?)');
    this.heartbeat = db.prepare('UPDATE session SET ended_ms = ? WHERE id = ?');
    this.extendCoverage = db.prepare('UPDATE coverage SET end_ms = ? WHERE id = ?');
    this.insertCoverage = db.prepare(
      'INSERT INTO coverage (session, start_ms, end_ms, state, cause) VALUES (?, ?, ?, ?, ?)',
    );
    this.flushTx = db.transaction((changes: ChangeSet, extras: FlushExtras) => this.writeAll(changes, extras));
  }

  /** The largest lifetime id in the file (new ones follow it). */
  maxLifetimeId(): number {
    return (this.db.prepare('SELECT max(id) FROM process').pluck().get() as number | null) ?? 0;
  }

  get session(): number {
    return this.sessionId;
  }

  /** Wall-clock ms of a monotonic time, with this session's anchor. */
  wallOf(monoMs: number): number {
    return Math.floor(monoMs) + this.offsetMs;
  }

  beginSession(start: SessionStart): number {
    this.offsetMs = start.monoOffsetMs;
    // This writer holds the file's lock: a session still unmarked is not running any more.
    this.db.prepare("UPDATE session SET stop_reason = 'interrupted' WHERE stop_reason IS NULL").run();
    const result = this.db
      .prepare(
        `INSERT INTO session (started_ms, ended_ms, stop_reason, mono_offset_ms, boot_id, hostname, kernel, cntop_version, recorder_pid, sample_ms)
         VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        start.startedWallMs,
        start.startedWallMs,
        start.monoOffsetMs,
        start.bootId,
        start.hostname,
        start.kernel,
        start.version,
        start.pid,
        start.sampleMs,
      );
    this.sessionId = Number(result.lastInsertRowid);
    return this.sessionId;
  }

  /** Writes everything of one flush in one transaction; throws (SQLITE_FULL …) with nothing of it written. */
  flush(changes: ChangeSet, extras: FlushExtras): void {
    const coverageBefore = this.coverageRow;
    try {
      this.flushTx(changes, extras);
    } catch (error) {
      this.coverageRow = coverageBefore;
      throw error;
    }
  }

  /** Marks the session stopped (its last heartbeat is now). */
  endSession(reason: string, nowMs: number): void {
    this.db
      .prepare('UPDATE session SET ended_ms = ?, stop_reason = ? WHERE id = ?')
      .run(this.wallOf(nowMs), reason, this.sessionId);
  }

  private writeAll(changes: ChangeSet, extras: FlushExtras): void {
    for (const [uid, name] of changes.users) this.upsertUser.run(uid, name);
    for (const lifetime of changes.lifetimes) this.writeLifetime(lifetime);
    for (const e of changes.execs) this.insertExec.run(e.lifetime.id, this.wallOf(e.tMs), e.comm, json(e.cmdline));
    for (const r of changes.reparents) this.insertReparent.run(r.lifetime.id, this.wallOf(r.tMs), r.ppid);
    for (const s of changes.samples)
      this.insertSample.run(s.lifetime.id, this.wallOf(s.tMs), s.cpuMs, s.rssKiB, s.state, s.threads);
    for (const h of extras.hosts) this.writeHost(h);
    const nowWall = this.wallOf(extras.nowMs);
    this.writeCoverage(extras.coverage, nowWall);
    this.heartbeat.run(nowWall, this.sessionId);
  }

  private writeLifetime(l: Lifetime): void {
    const status = l.status;
    const a = l.accounting;
    const endMs = l.endMs === null ? null : this.wallOf(l.endMs);
    const common = [l.comm, json(l.cmdline), l.uid] as const;
    const cgroup = l.cgroup === null ? null : this.cgroupId(l.cgroup);
    const ending = [
      status?.code ?? null,
      status?.signal ?? null,
      status === null ? null : status.coreDumped ? 1 : 0,
      a?.cpuMs ?? null,
      a?.userMs ?? null,
      a?.systemMs ?? null,
      a?.peakRssKiB ?? null,
      a?.readBytes ?? null,
      a?.writeBytes ?? null,
      a?.minorFaults ?? null,
      a?.majorFaults ?? null,
      a?.voluntarySwitches ?? null,
      a?.involuntarySwitches ?? null,
      l.first?.comm ?? null,
      l.first === null ? null : json(l.first.cmdline),
    ] as const;
    if (!l.written) {
      this.insertProcess.run(
        l.id,
        this.sessionId,
        l.pid,
        l.ppid,
        this.wallOf(l.startMs),
        l.startExact ? 1 : 0,
        endMs,
        l.endExact ? 1 : 0,
        ...common,
        l.kthread ? 1 : 0,
        cgroup,
        ...ending,
      );
    } else {
      this.updateProcess.run(
        this.wallOf(l.startMs),
        l.startExact ? 1 : 0,
        endMs,
        l.endExact ? 1 : 0,
        ...common,
        cgroup,
        ...ending,
        l.id,
      );
    }
  }

  private cgroupId(path: string): number {
    const cached = this.cgroupIds.get(path);
    if (cached !== undefined) return cached;
    let id = this.findCgroup.get(path) as number | undefined;
    if (id === undefined) id = Number(this.insertCgroup.run(path).lastInsertRowid);
    if (this.cgroupIds.size >= MAX_CACHED_CGROUPS) this.cgroupIds.clear();
    this.cgroupIds.set(path, id);
    return id;
  }

  private writeHost(h: HostRow): void {
    this.insertHost.run(
      this.wallOf(h.tMs),
      h.cpuPercent,
      JSON.stringify(h.cores.map((c) => Math.round(c * 10) / 10)),
      h.memTotalKiB,
      h.memUsedKiB,
      h.memCacheKiB,
      h.swapTotalKiB,
      h.swapUsedKiB,
      h.load[0],
      h.load[1],
      h.load[2],
      h.tasks,
      h.running,
      h.threads,
      h.forksPerS,
      h.execsPerS,
      h.exitsPerS,
    );
  }

  /** Extends the current coverage row while the state holds; a change starts a row where the last one ended. */
  private writeCoverage(coverage: Coverage, nowWall: number): void {
    const row = this.coverageRow;
    if (row !== null && row.state === coverage.state && row.cause === coverage.cause) {
      this.extendCoverage.run(nowWall, row.id);
      this.coverageRow = { ...row, endMs: nowWall };
      return;
    }
    const startMs = row === null ? this.sessionStartWall() : row.endMs;
    const id = Number(
      this.insertCoverage.run(this.sessionId, startMs, nowWall, coverage.state, coverage.cause).lastInsertRowid,
    );
    this.coverageRow = { id, state: coverage.state, cause: coverage.cause, endMs: nowWall };
  }

  private sessionStartWall(): number {
    return this.db.prepare('SELECT started_ms FROM session WHERE id = ?').pluck().get(this.sessionId) as number;
  }
}
