// The read side of a recording: which session covers an instant, the processes alive at it (with the
// parent, program, state and threads each had then), the exits of a window, and the coverage rows.
// Processes come back as core's ProcessInfo, times on the session's monotonic clock, so the snapshot
// printer and a replaying engine use them as they use the live model's.
import type { ExitAccounting } from '../core/accounting/task-record.js';
import {
  err,
  ok,
  type ExitStatus,
  type ExitedProcess,
  type Pid,
  type ProcessInfo,
  type Result,
  type SystemStats,
} from '../core/types.js';
import type BetterSqlite from 'better-sqlite3';
import type { Db } from './open-db.js';
import type { CoverageState } from './record-store.js';

export interface SessionRow {
  readonly id: number;
  readonly startedMs: number;
  readonly endedMs: number;
  readonly stopReason: string | null;
  readonly monoOffsetMs: number;
  readonly sampleMs: number;
  readonly hostname: string | null;
}

export interface CoverageRow {
  readonly session: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly state: CoverageState;
  readonly cause: string | null;
}

export interface RecordedInstant {
  readonly atMs: number;
  readonly session: SessionRow;
  /** Alive at atMs; times are the session's monotonic ms (wall - monoOffsetMs). */
  readonly processes: ProcessInfo[];
  /**
   * Pids of `processes` whose recorded end is not their exit event's time (the event was lost; a /proc
   * scan found them gone later): each may have ended before atMs, so "alive at atMs" is not certain.
   */
  readonly endUncertain: readonly Pid[];
  /** The coverage row holding atMs, if any. */
  readonly coverage: CoverageRow | null;
}

export type InstantFailure =
  | { readonly kind: 'not-covered'; readonly atMs: number; readonly sessions: readonly SessionRow[] }
  | { readonly kind: 'retained'; readonly atMs: number; readonly retainedFromMs: number };

/** A recorded exit as the Exited tab holds one (times wall ms here). */
export interface RecordedExit extends ExitedProcess {
  readonly session: number;
  /** False when exitMs is when a scan found it gone, not its exit event's time (which was lost). */
  readonly exitExact: boolean;
}

interface ProcessRow {
  id: number;
  session: number;
  pid: number;
  ppid: number;
  start_ms: number;
  start_exact: number;
  end_ms: number | null;
  end_exact: number;
  comm: string;
  cmdline: string | null;
  uid: number;
  kthread: number;
  first_comm: string | null;
  first_cmdline: string | null;
}

interface ExitRow extends ProcessRow {
  exit_code: number | null;
  exit_signal: number | null;
  core_dumped: number | null;
  cpu_ms: number | null;
  user_ms: number | null;
  system_ms: number | null;
  peak_rss_kib: number | null;
  read_bytes: number | null;
  write_bytes: number | null;
  minor_faults: number | null;
  major_faults: number | null;
  vol_switches: number | null;
  invol_switches: number | null;
}

type Statement = BetterSqlite.Statement;

const HOUR_MS = 3_600_000;
/** The columns of a lifetime; files of schema 1 have no end_exact (their ends all read as exact). */
function processColumns(hasEndExact: boolean): string {
  const endExact = hasEndExact ? 'end_exact' : '1 AS end_exact';
  return `id, session, pid, ppid, start_ms, start_exact, end_ms, ${endExact}, comm, cmdline, uid, kthread, first_comm, first_cmdline`;
}

function parseCmdline(text: string | null): readonly string[] | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : null;
  } catch {
    return null;
  }
}

function sessionOf(row: Record<string, unknown>): SessionRow {
  return {
    id: row['id'] as number,
    startedMs: row['started_ms'] as number,
    endedMs: row['ended_ms'] as number,
    stopReason: (row['stop_reason'] as string | null) ?? null,
    monoOffsetMs: row['mono_offset_ms'] as number,
    sampleMs: row['sample_ms'] as number,
    hostname: (row['hostname'] as string | null) ?? null,
  };
}

export class RecordingReader {
  private readonly users = new Map<number, string>();
  private readonly statements = new Map<string, Statement>();
  private readonly columns: string;
  private readonly hasEndExact: boolean;

  constructor(readonly db: Db) {
    this.hasEndExact = (db.pragma('table_info(process)') as { name: string }[]).some((c) => c.name === 'end_exact');
    this.columns = processColumns(this.hasEndExact);
    for (const row of db.prepare('SELECT uid, name FROM user').all() as { uid: number; name: string }[])
      this.users.set(row.uid, row.name);
  }

  /** A prepared statement, prepared once per reader: the per-process lookups run thousands of times. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  sessions(): SessionRow[] {
    return (this.sql('SELECT * FROM session ORDER BY started_ms').all() as Record<string, unknown>[]).map(sessionOf);
  }

  /** The session whose span holds atMs (the newest, should two touch). */
  sessionAt(atMs: number): SessionRow | null {
    const row = this.sql('SELECT * FROM session WHERE started_ms <= ? AND ended_ms >= ? ORDER BY id DESC LIMIT 1').get(
      atMs,
      atMs,
    ) as Record<string, unknown> | undefined;
    return row === undefined ? null : sessionOf(row);
  }

  /** Where the data starts after retention deleted older rows; null when nothing was deleted. */
  retainedFromMs(): number | null {
    const value = this.sql("SELECT value FROM meta WHERE key = 'retained_from_ms'").pluck().get() as string | undefined;
    return value === undefined ? null : Number(value);
  }

  coverage(sinceMs: number, untilMs: number): CoverageRow[] {
    return (
      this.sql(
        'SELECT session, start_ms, end_ms, state, cause FROM coverage WHERE end_ms >= ? AND start_ms <= ? ORDER BY start_ms',
      ).all(sinceMs, untilMs) as Record<string, unknown>[]
    ).map((r) => ({
      session: r['session'] as number,
      startMs: r['start_ms'] as number,
      endMs: r['end_ms'] as number,
      state: r['state'] as CoverageState,
      cause: (r['cause'] as string | null) ?? null,
    }));
  }

  userName(uid: number): string {
    if (uid < 0) return '?';
    return this.users.get(uid) ?? String(uid);
  }

  /** The processes alive at atMs (wall), as the live model would have listed them then. */
  processesAt(atMs: number): Result<RecordedInstant, InstantFailure> {
    const retained = this.retainedFromMs();
    if (retained !== null && atMs < retained) return err({ kind: 'retained', atMs, retainedFromMs: retained });
    const session = this.sessionAt(atMs);
    if (session === null) return err({ kind: 'not-covered', atMs, sessions: this.sessions() });
    const rows = this.aliveRows(atMs, session.id);
    const processes = rows.map((row) => this.toProcessInfo(row, atMs, session.monoOffsetMs));
    const endUncertain = rows.filter((row) => row.end_exact === 0).map((row) => row.pid);
    const coverage = this.coverage(atMs, atMs).find((c) => c.session === session.id) ?? null;
    return ok({ atMs, session, processes, endUncertain, coverage });
  }

  /**
   * Rows alive at t: those that ended within the hour after it (index on end_ms), plus the few that
   * ran over an hour or were still running when their session stopped (the partial index).
   */
  private aliveRows(t: number, session: number): ProcessRow[] {
    const short = this.sql(
      `SELECT ${this.columns} FROM process WHERE end_ms > ? AND end_ms <= ? AND start_ms <= ?`,
    ).all(t, t + HOUR_MS, t) as ProcessRow[];
    const long = this.sql(
      `SELECT ${this.columns} FROM process WHERE (end_ms IS NULL OR end_ms - start_ms > ${HOUR_MS}) AND start_ms <= ?
           AND (end_ms > ? OR (end_ms IS NULL AND session = ?))`,
    ).all(t, t + HOUR_MS, session) as ProcessRow[];
    return [...short, ...long];
  }

  private toProcessInfo(row: ProcessRow, t: number, offsetMs: number): ProcessInfo {
    const ppid =
      (this.sql('SELECT ppid FROM reparent WHERE process = ? AND t_ms <= ? ORDER BY t_ms DESC LIMIT 1')
        .pluck()
        .get(row.id, t) as number | undefined) ?? row.ppid;
    const command = this.commandAt(row, t, 0);
    const sample = this.sql(
      'SELECT cpu_ms, rss_kib, state, threads FROM sample WHERE process = ? AND t_ms <= ? ORDER BY t_ms DESC LIMIT 1',
    ).get(row.id, t) as { cpu_ms: number; rss_kib: number; state: string; threads: number } | undefined;
    return {
      pid: row.pid,
      ppid,
      uid: row.uid,
      user: this.userName(row.uid),
      // No sample yet (a process that lived between two): its state is unknown.
      state: sample?.state ?? '?',
      comm: command.comm,
      cmdline: command.cmdline,
      threads: sample?.threads ?? 1,
      isKernelThread: row.kthread === 1,
      priority: 0,
      nice: 0,
      virtBytes: 0,
      rssBytes: (sample?.rss_kib ?? 0) * 1024,
      cpuPercent: 0,
      memPercent: 0,
      cpuTimeMs: sample?.cpu_ms ?? 0,
      startMs: row.start_ms - offsetMs,
      seenMs: row.start_ms - offsetMs,
      exitMs: null,
      exitStatus: null,
    };
  }

  /**
   * The program a lifetime ran at t: its last exec before t; before its first exec, the program it
   * had when first seen (first_comm) or, born during the recording, its parent's at its birth; with
   * no exec at all, its own (comm, cmdline).
   */
  private commandAt(row: ProcessRow, t: number, depth: number): { comm: string; cmdline: readonly string[] | null } {
    const exec = this.sql(
      'SELECT comm, cmdline FROM exec WHERE process = ? AND t_ms <= ? ORDER BY t_ms DESC LIMIT 1',
    ).get(row.id, t) as { comm: string; cmdline: string | null } | undefined;
    if (exec !== undefined) return { comm: exec.comm, cmdline: parseCmdline(exec.cmdline) };
    const later = this.sql('SELECT 1 FROM exec WHERE process = ? LIMIT 1').get(row.id) !== undefined;
    if (!later) return { comm: row.comm, cmdline: parseCmdline(row.cmdline) };
    if (row.first_comm !== null) return { comm: row.first_comm, cmdline: parseCmdline(row.first_cmdline) };
    const parent = depth < 8 ? this.lifetimeOf(row.ppid, row.start_ms, row.session) : undefined;
    if (parent === undefined) return { comm: row.comm, cmdline: parseCmdline(row.cmdline) };
    return this.commandAt(parent, row.start_ms, depth + 1);
  }

  /** The lifetime of pid alive at t in a session. */
  private lifetimeOf(pid: Pid, t: number, session: number): ProcessRow | undefined {
    return this.sql(
      `SELECT ${this.columns} FROM process WHERE pid = ? AND start_ms <= ? AND (end_ms IS NULL OR end_ms >= ?) AND session = ? ORDER BY start_ms DESC LIMIT 1`,
    ).get(pid, t, t, session) as ProcessRow | undefined;
  }

  /** The host meters of the last sample at or before atMs in the session holding it, or null. */
  hostAt(atMs: number): {
    readonly tMs: number;
    readonly system: SystemStats;
    readonly forksPerS: number;
    readonly execsPerS: number;
    readonly exitsPerS: number;
  } | null {
    const session = this.sessionAt(atMs);
    if (session === null) return null;
    const row = this.sql('SELECT * FROM host WHERE t_ms <= ? AND t_ms >= ? ORDER BY t_ms DESC LIMIT 1').get(
      atMs,
      session.startedMs,
    ) as Record<string, number | string> | undefined;
    if (row === undefined) return null;
    const kib = (column: string): number => Number(row[column]) * 1024;
    let cores: number[] = [];
    try {
      cores = (JSON.parse(String(row['cores'])) as unknown[]).map(Number);
    } catch {
      // a damaged row: no per-core bars
    }
    return {
      tMs: Number(row['t_ms']),
      system: {
        cpuPercentPerCore: cores,
        cpuPercentTotal: Number(row['cpu_percent']),
        memTotalBytes: kib('mem_total_kib'),
        memUsedBytes: kib('mem_used_kib'),
        memCacheBytes: kib('mem_cache_kib'),
        swapTotalBytes: kib('swap_total_kib'),
        swapUsedBytes: kib('swap_used_kib'),
        loadAverage: [Number(row['load1']), Number(row['load5']), Number(row['load15'])],
        uptimeMs: 0,
        tasks: {
          total: Number(row['tasks']),
          running: Number(row['running']),
          threads: Number(row['threads']),
          kernelThreads: 0,
        },
      },
      forksPerS: Number(row['forks_per_s']),
      execsPerS: Number(row['execs_per_s']),
      exitsPerS: Number(row['exits_per_s']),
    };
  }

  /** Exits with sinceMs < end <= untilMs (wall), oldest first, as the exited ring holds them (times wall ms). */
  exitsBetween(sinceMs: number, untilMs: number): RecordedExit[] {
    const rows = this.sql(
      `SELECT *${this.hasEndExact ? '' : ', 1 AS end_exact'} FROM process WHERE end_ms > ? AND end_ms <= ? ORDER BY end_ms, id`,
    ).all(sinceMs, untilMs) as ExitRow[];
    return rows.map((row) => this.toExit(row));
  }

  private toExit(row: ExitRow): RecordedExit {
    const status: ExitStatus = { code: row.exit_code, signal: row.exit_signal, coreDumped: row.core_dumped === 1 };
    const accounting: ExitAccounting | null =
      row.cpu_ms === null
        ? null
        : {
            comm: row.comm,
            cpuMs: row.cpu_ms,
            userMs: row.user_ms ?? 0,
            systemMs: row.system_ms ?? 0,
            peakRssKiB: row.peak_rss_kib ?? 0,
            readBytes: row.read_bytes ?? 0,
            writeBytes: row.write_bytes ?? 0,
            minorFaults: row.minor_faults ?? 0,
            majorFaults: row.major_faults ?? 0,
            voluntarySwitches: row.vol_switches ?? 0,
            involuntarySwitches: row.invol_switches ?? 0,
          };
    const endMs = row.end_ms as number;
    return {
      session: row.session,
      pid: row.pid,
      ppid: row.ppid,
      comm: row.comm,
      cmdline: parseCmdline(row.cmdline),
      user: this.userName(row.uid),
      status,
      startMs: row.start_exact === 1 ? row.start_ms : null,
      exitMs: endMs,
      exitExact: row.end_exact === 1,
      lifetimeMs: row.start_exact === 1 ? Math.max(0, endMs - row.start_ms) : null,
      accounting,
    };
  }
}
