// The flight recorder's commands: `cntop record` (headless, until stopped), the viewer's --record,
// `cntop query`, `cntop report exits` and `cntop snapshot --db --at`. main.ts imports this file only
// when one of them runs, and hands it the engine wiring it owns.
import Database from 'better-sqlite3';
import { homedir } from 'node:os';
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import type { EngineControl, EngineView } from '../core/engine-api.js';
import type { HealthReport } from '../core/health/health-types.js';
import type { ProcEvent } from '../core/types.js';
import { defaultReadingPath, defaultRecordingPath } from '../record/default-path.js';
import { bucketMsFor, buildExitReport } from '../record/exit-report.js';
import { describeOpenFailure, openForReading, openForWriting, type Db } from '../record/open-db.js';
import { prepareQuery } from '../record/query.js';
import { DEFAULT_FLUSH_MS, DEFAULT_SAMPLE_MS, Recorder, type RecorderOptions } from '../record/recorder.js';
import { RecordingReader } from '../record/recording-reader.js';
import { ReplayCursor } from '../record/replay-cursor.js';
import { ReplayEngine } from '../record/replay-engine.js';
import { formatInstant, parseDuration, parseInstant } from '../record/units.js';
import { formatDuration } from '../core/describe/duration.js';
import { EXIT_FAILURE, EXIT_OK, type LifecycleHooks } from './lifecycle.js';
import { describeMissingSqlite } from './missing-sqlite.js';
import type { Command } from './options.js';
import type { RecordedSnapshot, RecorderCommand } from './record-options.js';
import { formatJsonRows, formatTable, formatTsvRows } from './query-format.js';
import { formatExitReportJson, formatExitReportText } from './report-format.js';
import { buildSnapshotTree } from './snapshot-tree.js';
import { formatSnapshotJson, formatSnapshotText } from './snapshot-format.js';

/** The listeners a recorder needs registered before the engine subscribes (so nothing born meanwhile is missed). */
export interface EngineHooks {
  readonly onEvents: (events: readonly ProcEvent[]) => void;
  readonly onAccountedExits: (exits: readonly AccountedExit[]) => void;
}

export interface RecorderDeps {
  readonly lifecycle: LifecycleHooks;
  readonly version: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal, and its width. */
  readonly tty: { readonly isTTY: boolean; readonly columns: number | undefined };
  readonly ascii: boolean;
}

export interface RecordDeps extends RecorderDeps {
  /** Starts the engine as main wires it, with hooks registered before it subscribes. */
  readonly startEngine: (hooks: EngineHooks) => Promise<EngineControl>;
  /** Starts the connector's health monitor over the engine (its report feeds coverage). */
  readonly startHealth: (engine: EngineView) => Promise<() => HealthReport | null>;
}

/** How long the headless recorder waits before it tries again after a failed write (a full disk). */
const RETRY_MS = 30_000;

const monoNowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function recorderOptions(
  command: Extract<RecorderCommand, { kind: 'record' }> | null,
  version: string,
): RecorderOptions {
  return {
    sampleMs: command?.sampleMs ?? DEFAULT_SAMPLE_MS,
    flushMs: DEFAULT_FLUSH_MS,
    retention: { retainMs: command?.retainMs ?? null, maxBytes: command?.maxBytes ?? null },
    version,
  };
}

/** A recording bound to one engine: forwards the engine's batches to the current recorder, holds them until it attaches. */
class Recording {
  recorder: Recorder | null = null;
  readonly hooks: EngineHooks = {
    onEvents: (events) => this.recorder?.onEvents(events),
    onAccountedExits: (exits) => this.recorder?.onAccountedExits(exits),
  };
}

/** `cntop record`: records until a signal; after a failed write, says why and tries again every 30 s. */
export async function runRecord(
  command: Extract<RecorderCommand, { kind: 'record' }>,
  deps: RecordDeps,
): Promise<void> {
  const path = command.db ?? defaultRecordingPath(deps.env, homedir());
  const options = recorderOptions(command, deps.version);
  const recording = new Recording();
  let engine: EngineControl | null = null;
  // Set once the engine runs; read by open() when a retry reopens the file (so not a const).
  let health: (() => HealthReport | null) | undefined = undefined;
  let retry: NodeJS.Timeout | null = null;
  let closing = false;
  const open = (): Recorder | string => {
    const writer = openForWriting(path);
    if (!writer.ok) return describeOpenFailure(writer.error);
    return new Recorder(
      writer.value,
      {
        monoNowMs,
        wallNowMs: () => Date.now(),
        ...(health !== undefined ? { health } : {}),
        onFailed: (_reason, message) => {
          deps.stderr(`cntop record: ${message}; retrying every ${RETRY_MS / 1000} s\n`);
          scheduleRetry();
        },
      },
      options,
    );
  };
  const scheduleRetry = (): void => {
    if (closing || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      if (closing) return;
      if (engine === null) {
        scheduleRetry();
        return;
      }
      const next = open();
      if (typeof next === 'string') {
        scheduleRetry();
        return;
      }
      recording.recorder = next;
      next.attach(engine, false); // the hooks the engine holds forward to it
      if (!next.stopped) deps.stderr(`cntop record: recording resumed to ${path}\n`);
    }, RETRY_MS);
  };
  const first = open();
  if (typeof first === 'string') {
    deps.stderr(`cntop record: ${first}\n`);
    deps.lifecycle.requestExit(EXIT_FAILURE);
    return;
  }
  recording.recorder = first;
  const startedMs = Date.now();
  // Registered before the engine's own cleanup: it runs after engine.close(), which hands over the last exits.
  deps.lifecycle.addCleanup(() => {
    closing = true;
    if (retry !== null) clearTimeout(retry);
    const recorder = recording.recorder;
    if (recorder === null || recorder.stopped) return;
    recorder.close();
    const s = recorder.stats;
    deps.stderr(
      `cntop record: stopped after ${formatDuration(Date.now() - startedMs)}; ${s.lifetimes} processes, ${s.execs} execs, ${s.samples} samples written to ${path}\n`,
    );
  });
  engine = await deps.startEngine(recording.hooks);
  health = await deps.startHealth(engine);
  const started = engine;
  const retention = [
    command.retainMs === null ? null : `keeping ${formatDuration(command.retainMs)}`,
    command.maxBytes === null ? null : `at most ${Math.round(command.maxBytes / 1024 / 1024)} MiB`,
  ]
    .filter((x) => x !== null)
    .join(', ');
  deps.stderr(
    `cntop record: recording to ${path} (${started.status.mode === 'netlink' ? 'every process, live' : `polling /proc: ${started.status.pollingReason ?? ''}`}; samples every ${formatDuration(options.sampleMs)}${retention === '' ? '' : `; ${retention}`}). Ctrl-C stops.\n`,
  );
  // The first recorder may have failed meanwhile (a full disk at its first flush): retry then goes on.
  if (!first.stopped) first.attach(started, false);
}

export interface ViewerRecording {
  readonly hooks: EngineHooks;
  /** Starts recording the running viewer's engine; `notify` shows a message in the viewer. */
  attach(engine: EngineView, health: () => HealthReport | null, notify: (text: string) => void): void;
}

/**
 * The viewer's --record [PATH]: opens the file before the viewer starts (a refusal ends cntop with
 * the cause, exit 1), records beside it, and if a write fails stops recording with a message while
 * the viewer goes on. Returns null after requesting the exit.
 */
export function openViewerRecording(pathArg: string, deps: RecorderDeps): ViewerRecording | null {
  const problem = driverProblem();
  if (problem !== null) {
    deps.stderr(`cntop: --record: ${problem}\n`);
    deps.lifecycle.requestExit(EXIT_FAILURE);
    return null;
  }
  const path = pathArg === '' ? defaultRecordingPath(deps.env, homedir()) : pathArg;
  const writer = openForWriting(path, { cacheKiB: 2048 });
  if (!writer.ok) {
    deps.stderr(`cntop: --record: ${describeOpenFailure(writer.error)}\n`);
    deps.lifecycle.requestExit(EXIT_FAILURE);
    return null;
  }
  const recording = new Recording();
  let failure: string | null = null;
  let notifyUi: (text: string) => void = () => undefined;
  let health: () => HealthReport | null = () => null;
  recording.recorder = new Recorder(
    writer.value,
    {
      monoNowMs,
      wallNowMs: () => Date.now(),
      health: () => health(),
      onFailed: (_reason, message) => {
        failure = message;
        notifyUi(message);
      },
    },
    recorderOptions(null, deps.version),
  );
  // Runs after the engine closed and the terminal is back: the last exits are written, a failure is repeated on stderr.
  deps.lifecycle.addCleanup(() => {
    recording.recorder?.close();
    if (failure !== null) deps.stderr(`cntop: ${failure}\n`);
  });
  return {
    hooks: recording.hooks,
    attach(engine, reportHealth, notify) {
      health = reportHealth;
      notifyUi = notify;
      recording.recorder?.attach(engine, false);
      if (failure !== null) notify(failure);
    },
  };
}

function openReader(pathArg: string | null, deps: RecorderDeps, who: string): Db | null {
  const path = pathArg ?? defaultReadingPath(deps.env, homedir());
  const db = openForReading(path);
  if (!db.ok) {
    deps.stderr(`cntop ${who}: ${describeOpenFailure(db.error)}\n`);
    deps.lifecycle.requestExit(EXIT_FAILURE);
    return null;
  }
  return db.value;
}

function fail(deps: RecorderDeps, who: string, message: string): void {
  deps.stderr(`cntop ${who}: ${message}\n`);
  deps.lifecycle.requestExit(EXIT_FAILURE);
}

/** `cntop query PATH "SQL" [--json]`. */
export function runQuery(command: Extract<RecorderCommand, { kind: 'query' }>, deps: RecorderDeps): void {
  const db = openReader(command.db, deps, 'query');
  if (db === null) return;
  try {
    const prepared = prepareQuery(db, command.sql);
    if (!prepared.ok) {
      fail(deps, 'query', prepared.error);
      return;
    }
    const { columns, rows } = prepared.value;
    if (command.json) formatJsonRows(columns, rows, deps.stdout);
    else if (deps.tty.isTTY) deps.stdout(formatTable(columns, rows, deps.tty.columns));
    else formatTsvRows(columns, rows, deps.stdout);
    deps.lifecycle.requestExit(EXIT_OK);
  } catch (error) {
    fail(deps, 'query', error instanceof Error ? error.message : String(error));
  } finally {
    db.close();
  }
}

/** `cntop report exits --since 1h [--until TIME] --by command [--json]`. */
export function runReport(command: Extract<RecorderCommand, { kind: 'report' }>, deps: RecorderDeps): void {
  const db = openReader(command.db, deps, 'report');
  if (db === null) return;
  try {
    const nowMs = Date.now();
    const until = command.until === null ? { ok: true as const, value: nowMs } : parseInstant(command.until, nowMs);
    if (!until.ok) {
      fail(deps, 'report', until.error);
      return;
    }
    const span = parseDuration(command.since);
    const since = span.ok ? { ok: true as const, value: until.value - span.value } : parseInstant(command.since, nowMs);
    if (!since.ok) {
      fail(deps, 'report', since.error);
      return;
    }
    if (since.value >= until.value) {
      fail(
        deps,
        'report',
        `--since (${formatInstant(since.value)}) is not before --until (${formatInstant(until.value)})`,
      );
      return;
    }
    const reader = new RecordingReader(db);
    // The buckets follow the monotonic clock of the session that holds the window's end (or the last before it).
    const anchor =
      reader.sessionAt(until.value) ??
      reader
        .sessions()
        .filter((s) => s.startedMs <= until.value)
        .pop() ??
      null;
    const bucketMs = bucketMsFor(until.value - since.value);
    const exits = reader.exitsBetween(since.value - bucketMs, until.value);
    const report = buildExitReport(
      exits,
      { sinceMs: since.value, untilMs: until.value, monoOffsetMs: anchor?.monoOffsetMs ?? 0 },
      reader.coverage(since.value, until.value),
    );
    deps.stdout(command.json ? formatExitReportJson(report) : formatExitReportText(report));
    deps.lifecycle.requestExit(EXIT_OK);
  } finally {
    db.close();
  }
}

/** `cntop snapshot --db PATH --at TIME [--json]`: the tree at TIME, printed as a live snapshot prints it. */
export function runRecordedSnapshot(
  command: Extract<Command, { kind: 'snapshot' }>,
  recorded: RecordedSnapshot,
  deps: RecorderDeps,
): void {
  const db = openReader(recorded.db, deps, 'snapshot');
  if (db === null) return;
  try {
    const reader = new RecordingReader(db);
    const end = reader.sessions().at(-1)?.endedMs ?? Date.now();
    const at = recorded.at === null ? { ok: true as const, value: end } : parseInstant(recorded.at, Date.now());
    if (!at.ok) {
      fail(deps, 'snapshot', at.error);
      return;
    }
    const instant = reader.processesAt(at.value);
    if (!instant.ok) {
      const e = instant.error;
      if (e.kind === 'retained') {
        fail(
          deps,
          'snapshot',
          `${formatInstant(e.atMs)} is older than the recording keeps (data starts at ${formatInstant(e.retainedFromMs)})`,
        );
        return;
      }
      const spans = e.sessions.slice(-5).map((s) => `${formatInstant(s.startedMs)} to ${formatInstant(s.endedMs)}`);
      fail(
        deps,
        'snapshot',
        `nothing was recorded at ${formatInstant(e.atMs)}${spans.length === 0 ? ' (the recording is empty)' : `; recorded: ${spans.join('; ')}`}`,
      );
      return;
    }
    const { coverage } = instant.value;
    if (coverage !== null && coverage.state !== 'healthy') {
      deps.stderr(
        `cntop snapshot: note: at ${formatInstant(at.value)} the recording was ${coverage.state}${coverage.cause === null ? '' : ` (${coverage.cause})`}: processes may be missing\n`,
      );
    }
    const uncertain = instant.value.endUncertain;
    if (uncertain.length > 0) {
      const shown = uncertain.slice(0, 20).join(', ');
      deps.stderr(
        `cntop snapshot: note: ${uncertain.length} process${uncertain.length === 1 ? '' : 'es'} listed may have ended before ${formatInstant(at.value)}: their exit events were lost and the recording ended them when /proc showed them gone (pid ${shown}${uncertain.length > 20 ? ', …' : ''}; "endUncertain" in --json)\n`,
      );
    }
    const roots = buildSnapshotTree(instant.value.processes, new Set(uncertain));
    const width = deps.tty.isTTY ? deps.tty.columns : undefined;
    deps.stdout(
      command.json
        ? formatSnapshotJson(roots)
        : formatSnapshotText(
            roots,
            width === undefined ? { ascii: deps.ascii } : { ascii: deps.ascii, maxWidth: width },
          ),
    );
    deps.lifecycle.requestExit(EXIT_OK);
  } finally {
    db.close();
  }
}

/** The clock the viewer reads in replay (the cursor's instant), and the cursor its keys move. */
export interface ReplayExtras {
  readonly cursor: ReplayCursor;
  readonly clock: { readonly monotonicMs: () => number; readonly epochMs: () => number };
}

/** What main.ts hands over: its lifecycle, version, and the engine and viewer as it wires them. */
export interface RecorderWiring {
  readonly lifecycle: LifecycleHooks;
  readonly version: string;
  readonly ascii: boolean;
  readonly startEngine: RecordDeps['startEngine'];
  readonly startHealth: RecordDeps['startHealth'];
  /** Opens the viewer on an engine (replay: over a recording). */
  readonly startViewer: (engine: EngineControl, replay: ReplayExtras) => Promise<void>;
}

/** `cntop replay [PATH] [--at TIME]`: the viewer over a recording, at a time cursor. */
export async function runReplay(
  command: Extract<RecorderCommand, { kind: 'replay' }>,
  deps: RecorderDeps,
  startViewer: RecorderWiring['startViewer'],
): Promise<void> {
  const db = openReader(command.db, deps, 'replay');
  if (db === null) return;
  const reader = new RecordingReader(db);
  const sessions = reader.sessions();
  const last = sessions.at(-1);
  if (last === undefined) {
    db.close();
    fail(deps, 'replay', 'the recording holds no session yet');
    return;
  }
  let atMs: number | undefined;
  if (command.at !== null) {
    const at = parseInstant(command.at, last.endedMs);
    if (!at.ok) {
      db.close();
      fail(deps, 'replay', at.error);
      return;
    }
    atMs = at.value;
  }
  const engine = new ReplayEngine(reader, atMs);
  const cursor = new ReplayCursor(engine, last.sampleMs);
  deps.lifecycle.addCleanup(() => {
    cursor.stop();
    engine.close();
    db.close();
  });
  await startViewer(engine, { cursor, clock: { monotonicMs: () => engine.monoMs, epochMs: () => engine.atMs } });
}

/** Why better-sqlite3 cannot be used here (present but its native module does not load), or null. */
function driverProblem(): string | null {
  try {
    new Database(':memory:').close();
    return null;
  } catch (error) {
    return (
      describeMissingSqlite(error) ??
      `cannot load better-sqlite3: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

/** The real process's streams and environment. */
export function processDeps(wiring: Pick<RecorderWiring, 'lifecycle' | 'version' | 'ascii'>): RecorderDeps {
  return {
    lifecycle: wiring.lifecycle,
    version: wiring.version,
    ascii: wiring.ascii,
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    // isTTY is undefined, not false, when stdout is a pipe or a file (Node's types say boolean).
    tty: {
      isTTY: (process.stdout.isTTY as boolean | undefined) === true,
      columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    },
  };
}

/** Runs record, query, report, replay or snapshot --db. */
export async function runRecorderCommand(
  command: RecorderCommand | Extract<Command, { kind: 'snapshot' }>,
  wiring: RecorderWiring,
): Promise<void> {
  const deps = processDeps(wiring);
  const problem = driverProblem();
  if (problem !== null) {
    fail(deps, command.kind, problem);
    return;
  }
  switch (command.kind) {
    case 'record':
      return runRecord(command, { ...deps, startEngine: wiring.startEngine, startHealth: wiring.startHealth });
    case 'query':
      runQuery(command, deps);
      return;
    case 'report':
      runReport(command, deps);
      return;
    case 'snapshot':
      if (command.recorded === undefined) throw new Error("a live snapshot is not the recorder's");
      runRecordedSnapshot(command, command.recorded, deps);
      return;
    case 'replay':
      return runReplay(command, deps, wiring.startViewer);
  }
}
