// A recording session over a running engine: the engine's batches feed the lifetime tracker, whose
// changes are committed in one transaction per flush (every flushMs, so an exit is on disk within a
// second of happening); live processes and host meters are sampled every sampleMs; coverage says
// when the connector was healthy, lossy or blind; retention runs a small step after each flush.
// A write that fails (disk full, I/O error) ends the session: the database keeps its last commit.
import { readFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import type { EngineView } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import type { Pid, ProcEvent } from '../core/types.js';
import { LifetimeTracker } from './lifetime-tracker.js';
import type { WriterDb } from './open-db.js';
import { RecordStore, type Coverage, type HostRow } from './record-store.js';
import { Retention, type RetentionPolicy } from './retention.js';

export interface RecorderOptions {
  /** How often live processes and host meters are sampled, ms. */
  readonly sampleMs: number;
  /** How often gathered changes are committed, ms; 0: only when flush() is called (tests). */
  readonly flushMs: number;
  readonly retention: RetentionPolicy;
  /** Written into each session row. */
  readonly version: string;
}

export { DEFAULT_FLUSH_MS, DEFAULT_SAMPLE_MS } from './defaults.js';

export type StopReason = 'stopped' | 'disk-full' | 'error';

export interface RecorderPorts {
  /** CLOCK_MONOTONIC ms (the engine's clock). */
  readonly monoNowMs: () => number;
  readonly wallNowMs: () => number;
  /** The connector's health (the monitor's report), when a monitor runs. */
  readonly health?: () => HealthReport | null;
  /** Told once when the session ends by itself (a failed write), with a message naming the cause. */
  readonly onFailed: (reason: Exclude<StopReason, 'stopped'>, message: string) => void;
  /** Default: /proc/<pid>/cgroup. */
  readonly readCgroup?: (pid: Pid) => string | null;
}

type Held = { readonly events: readonly ProcEvent[] } | { readonly exits: readonly AccountedExit[] };

/** What a recording has written so far (the CLI's summary line). */
export interface RecorderStats {
  readonly flushes: number;
  readonly lifetimes: number;
  readonly execs: number;
  readonly samples: number;
}

/** The cgroup v2 path of a process (or its first v1 hierarchy's), null when gone or unreadable. */
export function readProcCgroup(pid: Pid): string | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter((line) => line !== '');
  const line = lines.find((l) => l.startsWith('0::')) ?? lines[0];
  if (line === undefined) return null;
  const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
  return path === '' ? null : path;
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** The failure a thrown SQLite or file-system error stands for, and a message naming it. */
export function classifyWriteError(
  error: unknown,
  path: string,
): { reason: Exclude<StopReason, 'stopped'>; message: string } {
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return {
      reason: 'disk-full',
      message: `recording stopped: the disk holding ${path} is full (the database keeps everything committed before)`,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    reason: 'error',
    message: `recording stopped: cannot write ${path}: ${detail}${code === '' ? '' : ` (${code})`}`,
  };
}

export class Recorder {
  private readonly store: RecordStore;
  private readonly retention: Retention;
  private tracker: LifetimeTracker | null = null;
  private engine: EngineView | null = null;
  private held: Held[] = [];
  private hosts: HostRow[] = [];
  private lastHostMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void)[] = [];
  private lostSeen = 0;
  private missedSeen = 0;
  private finished = false;
  private counts = { flushes: 0, lifetimes: 0, execs: 0, samples: 0 };

  constructor(
    private readonly writer: WriterDb,
    private readonly ports: RecorderPorts,
    private readonly options: RecorderOptions,
  ) {
    this.store = new RecordStore(writer.db);
    this.retention = new Retention(writer.db, options.retention);
  }

  get path(): string {
    return this.writer.path;
  }

  get stopped(): boolean {
    return this.finished;
  }

  get stats(): RecorderStats {
    return { ...this.counts };
  }

  /** The engine's batches, once applied to its model. Before attach() they are held. */
  onEvents(events: readonly ProcEvent[]): void {
    if (this.finished) return;
    if (this.tracker === null) this.held.push({ events });
    else this.tracker.onEvents(events, this.ports.monoNowMs());
  }

  onAccountedExits(exits: readonly AccountedExit[]): void {
    if (this.finished) return;
    if (this.tracker === null) this.held.push({ exits });
    else this.tracker.onAccountedExits(exits, this.ports.monoNowMs());
  }

  /**
   * Starts the session on a seeded engine: every live process gets its lifetime, the held batches are
   * taken, and from now on refreshes sample and timers commit. With subscribe, the recorder registers
   * its own event listeners (a recorder started after the engine); otherwise the caller passed
   * onEvents/onAccountedExits to the engine before it started, so that nothing born meanwhile is missed.
   */
  attach(engine: EngineView, subscribe: boolean): void {
    if (this.finished || this.tracker !== null) return;
    const monoNow = this.ports.monoNowMs();
    const wallNow = this.ports.wallNowMs();
    try {
      this.store.beginSession({
        startedWallMs: Math.floor(wallNow),
        monoOffsetMs: Math.round(wallNow - monoNow),
        bootId: readBootId(),
        hostname: hostname(),
        kernel: release(),
        version: this.options.version,
        pid: process.pid,
        sampleMs: this.options.sampleMs,
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.engine = engine;
    this.lostSeen = lostOf(engine);
    this.missedSeen = missedOf(engine);
    // Processes that started after the engine subscribed were born during the recording.
    const tracker = new LifetimeTracker(
      engine,
      { readCgroup: this.ports.readCgroup ?? readProcCgroup },
      this.store.maxLifetimeId() + 1,
      engine.status.startedMs,
    );
    this.tracker = tracker;
    for (const item of this.held.splice(0)) {
      if ('events' in item) tracker.onEvents(item.events, monoNow);
      else tracker.onAccountedExits(item.exits, monoNow);
    }
    this.refreshed();
    if (subscribe) {
      this.unsubscribe.push(engine.onEvents((events) => this.onEvents(events)));
      this.unsubscribe.push(engine.onAccountedExits((exits) => this.onAccountedExits(exits)));
    }
    this.unsubscribe.push(engine.onRefresh(() => this.refreshed()));
    if (this.options.flushMs > 0) {
      this.timer = setInterval(() => this.flush(), this.options.flushMs);
      this.timer.unref();
    }
    this.flush();
  }

  /** Commits what was gathered, then one retention step. */
  flush(): void {
    const tracker = this.tracker;
    if (this.finished || tracker === null) return;
    const nowMs = this.ports.monoNowMs();
    const changes = tracker.drain(nowMs);
    const hosts = this.hosts;
    this.hosts = [];
    const fresh = changes.lifetimes.reduce((n, l) => (l.written ? n : n + 1), 0);
    try {
      this.store.flush(changes, { nowMs, hosts, coverage: this.coverage() });
      tracker.committed(changes);
      this.counts.flushes++;
      this.counts.lifetimes += fresh;
      this.counts.execs += changes.execs.length;
      this.counts.samples += changes.samples.length;
      if (this.retention.active) {
        // Each step deletes at least as much as this flush wrote, so the oldest data leaves as fast as new data comes.
        const written = changes.lifetimes.length + changes.samples.length;
        this.retention.run(this.store.wallOf(nowMs), Math.max(500, 2 * written), this.store.session);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** Commits everything, marks the session stopped and closes the file. Idempotent. */
  close(): void {
    if (this.finished) return;
    this.flush();
    if (this.stopped) return; // the last flush failed: already closed
    this.finished = true;
    this.stopTimers();
    try {
      this.store.endSession('stopped', this.ports.monoNowMs());
    } finally {
      this.writer.close();
    }
  }

  private refreshed(): void {
    const tracker = this.tracker;
    const engine = this.engine;
    if (this.finished || tracker === null || engine === null) return;
    const nowMs = this.ports.monoNowMs();
    tracker.onRefresh(nowMs, this.options.sampleMs);
    if (nowMs - this.lastHostMs >= this.options.sampleMs) {
      this.lastHostMs = nowMs;
      this.hosts.push(hostRow(engine, nowMs));
    }
  }

  /** The state of the last flush interval: blind without the connector (or when health says so), lossy after loss. */
  private coverage(): Coverage {
    const engine = this.engine;
    if (engine === null) return { state: 'blind', cause: 'not started' };
    const status = engine.status;
    const lost = lostOf(engine);
    const newLoss = lost - this.lostSeen;
    this.lostSeen = lost;
    const missed = missedOf(engine);
    const newMissed = missed - this.missedSeen;
    this.missedSeen = missed;
    if (status.mode === 'polling')
      return { state: 'blind', cause: `polling /proc: ${status.pollingReason ?? 'no connector'}` };
    const report = this.ports.health?.() ?? null;
    if (report !== null && report.status === 'blind') return { state: 'blind', cause: report.cause };
    if (newLoss > 0)
      return { state: 'lossy', cause: 'the kernel dropped connector events (socket overrun or sequence gap)' };
    // Loss the connector did not count: /proc showed an end (or a birth) no event ever reported.
    if (newMissed > 0)
      return { state: 'lossy', cause: 'processes ended or started with no connector event (found by /proc scans)' };
    if (report !== null && report.status === 'degraded') return { state: 'lossy', cause: report.cause };
    return { state: 'healthy', cause: null };
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.stopTimers();
    const { reason, message } = classifyWriteError(error, this.writer.path);
    try {
      this.store.endSession(reason, this.ports.monoNowMs());
    } catch {
      // the disk is still full: the session's heartbeat says how far it got
    }
    try {
      this.writer.close();
    } catch {
      // closing after a failed write: SQLite has rolled the transaction back already
    }
    this.ports.onFailed(reason, message);
  }

  private stopTimers(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.unsubscribe.splice(0)) off();
    this.held = [];
  }
}

function lostOf(engine: EngineView): number {
  const connector = engine.status.connector;
  return connector === null ? 0 : connector.overruns + connector.seqGapMessages;
}

/** Exits and forks the engine found in /proc with no event for them. */
function missedOf(engine: EngineView): number {
  return engine.status.missedExits + engine.status.missedForks;
}

function hostRow(engine: EngineView, nowMs: number): HostRow {
  const s = engine.system;
  const rates = engine.status.eventRates;
  const kib = (bytes: number): number => Math.round(bytes / 1024);
  return {
    tMs: nowMs,
    cpuPercent: Math.round(s.cpuPercentTotal * 10) / 10,
    cores: s.cpuPercentPerCore,
    memTotalKiB: kib(s.memTotalBytes),
    memUsedKiB: kib(s.memUsedBytes),
    memCacheKiB: kib(s.memCacheBytes),
    swapTotalKiB: kib(s.swapTotalBytes),
    swapUsedKiB: kib(s.swapUsedBytes),
    load: s.loadAverage,
    tasks: s.tasks.total,
    running: s.tasks.running,
    threads: s.tasks.threads,
    forksPerS: rates.fork,
    execsPerS: rates.exec,
    exitsPerS: rates.exit,
  };
}
