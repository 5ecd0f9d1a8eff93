#!/usr/bin/env node
// Composition root: parses the command line, wires native → core → ui/cli, and hands every exit
// path to the lifecycle. The only file that imports from native/, core/, ui/ and cli/ together.
import { readFileSync } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, createProcessLifecycle } from './cli/lifecycle.js';
import { parseOptions, type Command, type Options } from './cli/options.js';
import { helpText, USAGE_LINE } from './cli/usage.js';
import type { BatchWriter } from './cli/events-command.js';
import type { AccountedExit } from './core/accounting/exit-accountant.js';
import type { EngineControl } from './core/engine-api.js';
import type { EngineOptions } from './core/engine-options.js';
import type { HealthMonitor } from './core/health/health-monitor.js';
import { NO_NETLINK_REASON, type ConnectorError, type EventSource } from './core/event-source.js';
import { assertNever, err, type ProcEvent, type Result } from './core/types.js';
import type { RecorderCommand } from './cli/record-options.js';

// Everything else is imported where it is needed: the signal handlers must be in place before the
// engine and the addon load (~50 ms), so that even an early Ctrl-C ends through the lifecycle.

const lifecycle = createProcessLifecycle();
// `cntop events` takes batches of up to 20 ms instead of the viewer's 10 (its frame is 25 ms): each batch
// costs a JS call, a model pass and a write, and in a fork+exec storm fewer, larger batches cut the
// CLI's CPU per event by ~16%, its main thread's by a third. A line still follows its event within
// tens of milliseconds.
const EVENTS_BATCH_MS = 20;

function packageVersion(): string {
  // dist/main.js and src/main.ts both sit one level below package.json.
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function monotonicNowMs(): number {
  // libuv's hrtime is CLOCK_MONOTONIC on Linux, the clock of the kernel's event timestamps.
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The connector, or why not. The source's own close() is registered before the engine exists, so
 * a signal that lands while the engine is still seeding still gets the IGNORE for our LISTEN.
 */
async function openEventSource(options: Options, maxBatchMs?: number): Promise<Result<EventSource, ConnectorError>> {
  if (!options.netlink) return err({ kind: 'disabled', reason: NO_NETLINK_REASON });
  const { openKernelEventSource } = await import('./native/kernel-event-source.js');
  // Taskstats beside the connector: every exit's name, exact status, CPU and peak memory. Optional:
  // where it cannot run, the connector runs as before and the status says why.
  return openKernelEventSource(maxBatchMs === undefined ? { taskstats: true } : { maxBatchMs, taskstats: true });
}

async function startWiredEngine(
  options: Options,
  source: Result<EventSource, ConnectorError>,
  onEvents: ((events: readonly ProcEvent[]) => void) | null = null,
  tuning: Pick<
    EngineOptions,
    'sampleProcesses' | 'maxTombstones' | 'onAccountedExits' | 'accountThreads' | 'exitedCapacity'
  > = {},
): Promise<EngineControl> {
  if (source.ok) lifecycle.addCleanup(() => source.value.close());
  const { startEngine } = await import('./core/engine.js');
  const engine = await startEngine({ source, refreshMs: options.refreshMs, onEvents, ...tuning });
  lifecycle.addCleanup(() => engine.close());
  return engine;
}

async function runEvents(options: Options, command: Extract<Command, { kind: 'events' }>): Promise<void> {
  // Batches delivered while the engine seeds (LISTEN came first, so they exist) are held until the
  // engine is in hand, then written first: a process born during start-up is not left out.
  // Exits come separately, once joined with their accounting; both are held in one list, in order.
  const early: ({ readonly events: readonly ProcEvent[] } | { readonly exits: readonly AccountedExit[] })[] = [];
  let writer: BatchWriter | null = null;
  const onEvents = (events: readonly ProcEvent[]): void => {
    if (writer === null) early.push({ events });
    else writer.events(events);
  };
  const onAccountedExits = (exits: readonly AccountedExit[]): void => {
    if (writer === null) early.push({ exits });
    else writer.exits(exits);
  };
  const [{ createBatchWriter, eventsStartWarning, eventsUnavailableReason }, { batchOutput }, { createLossWarner }] =
    await Promise.all([
      import('./cli/events-command.js'),
      import('./cli/batch-output.js'),
      import('./cli/loss-warnings.js'),
    ]);
  const source = await openEventSource(options, EVENTS_BATCH_MS);
  // The stream shows no CPU%, memory or exited rows: no stat reads each refresh, no tombstones kept
  // (exits are looked up in the exited ring).
  const engine = await startWiredEngine(options, source, onEvents, {
    sampleProcesses: false,
    maxTombstones: 0,
    onAccountedExits,
    accountThreads: command.threads,
  });
  const unavailable = eventsUnavailableReason(engine);
  if (unavailable !== null) {
    process.stderr.write(
      `cntop events: cannot stream events: ${unavailable}.\n` +
        "Polling /proc would miss every process that lives between two scans, so 'events' refuses to.\n" +
        "Run 'cntop doctor' for a diagnosis.\n",
    );
    lifecycle.requestExit(EXIT_FAILURE);
    return;
  }
  const warning = eventsStartWarning(engine);
  if (warning !== null) process.stderr.write(`cntop events: ${warning}\n`);
  const created = createBatchWriter(engine, {
    json: command.json,
    threads: command.threads,
    write: batchOutput(),
    monotonicNowMs,
    wallNowMs: () => Date.now(),
  });
  for (const item of early.splice(0)) {
    if ('events' in item) created.events(item.events);
    else created.exits(item.exits);
  }
  writer = created;
  // Holes in the stream are said on stderr (events dropped by the kernel, records without figures).
  const warnLoss = createLossWarner(
    () => engine.status,
    (line) => process.stderr.write(line),
    monotonicNowMs,
  );
  warnLoss();
  engine.onEvents(warnLoss);
}

async function runSnapshot(options: Options, command: Extract<Command, { kind: 'snapshot' }>): Promise<void> {
  if (command.recorded !== undefined) return runRecorder(options, command);
  // A snapshot needs one /proc scan, not the connector: no LISTEN, so no IGNORE owed.
  const [{ buildSnapshotTree }, { formatSnapshotJson, formatSnapshotText }] = await Promise.all([
    import('./cli/snapshot-tree.js'),
    import('./cli/snapshot-format.js'),
  ]);
  const engine = await startWiredEngine(options, err({ kind: 'disabled', reason: 'a snapshot reads /proc once' }));
  const roots = buildSnapshotTree(engine.processes.values());
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  const text = command.json
    ? formatSnapshotJson(roots)
    : formatSnapshotText(
        roots,
        width === undefined ? { ascii: options.ascii } : { ascii: options.ascii, maxWidth: width },
      );
  process.stdout.write(text);
  lifecycle.requestExit(EXIT_OK);
}

async function runExporterCommand(options: Options, command: Extract<Command, { kind: 'exporter' }>): Promise<void> {
  // The HTTP address is bound before the connector opens: a taken port fails with no LISTEN to undo.
  const { openExporter, exporterStartMessage } = await import('./exporter/exporter.js');
  const exporter = await openExporter({
    listen: command.listen,
    maxCommands: command.maxCommands,
    nowMs: monotonicNowMs,
  });
  if (!exporter.ok) {
    process.stderr.write(`cntop exporter: ${exporter.error}\n`);
    lifecycle.requestExit(EXIT_FAILURE);
    return;
  }
  lifecycle.addCleanup(() => exporter.value.close());
  // Counts come from events from the first batch on; no stat sampling, no tombstones (as for events).
  const engine = await startWiredEngine(options, await openEventSource(options), exporter.value.onEvents, {
    sampleProcesses: false,
    maxTombstones: 0,
    onAccountedExits: exporter.value.onAccountedExits,
  });
  const { createHealthMonitor } = await import('./native/health-runtime.js');
  const health = createHealthMonitor(engine);
  lifecycle.addCleanup(() => health.close());
  exporter.value.attach(engine, () => health.report());
  process.stderr.write(exporterStartMessage(exporter.value.address, engine));
}

async function runDoctorCommand(options: Options, command: Extract<Command, { kind: 'doctor' }>): Promise<void> {
  // The examination closes its own connector on process exit, so a signal here still sends its IGNORE.
  const { runDoctor } = await import('./cli/doctor-command.js');
  const code = await runDoctor({ json: command.json, repair: command.repair, netlink: options.netlink });
  lifecycle.requestExit(code);
}

/** The flight recorder's commands (record, query, report, replay, snapshot --db): their own module, loaded on demand. */
async function runRecorder(
  options: Options,
  command: RecorderCommand | Extract<Command, { kind: 'snapshot' }>,
): Promise<void> {
  const recorder = await importRecorder();
  if (recorder === null) return;
  return recorder.runRecorderCommand(command, {
    lifecycle,
    version: packageVersion(),
    ascii: options.ascii,
    // Headless: no tombstones to list; CPU and memory are sampled for the recording.
    startEngine: async (hooks) =>
      startWiredEngine(options, await openEventSource(options, EVENTS_BATCH_MS), hooks.onEvents, {
        onAccountedExits: hooks.onAccountedExits,
        maxTombstones: 0,
      }),
    startHealth: async (engine) => {
      const { createHealthMonitor } = await import('./native/health-runtime.js');
      const health = createHealthMonitor(engine);
      lifecycle.addCleanup(() => health.close());
      return () => health.report();
    },
    startViewer: async (engine, replay) => {
      const { runUi } = await import('./ui/run-ui.js');
      runUi(engine, { color: options.color, ascii: options.ascii, refreshMs: options.refreshMs, replay }, lifecycle);
    },
  });
}

/** The recorder's module, or null (after saying why and asking to exit) when better-sqlite3, an optional dependency, is absent. */
async function importRecorder(): Promise<typeof import('./cli/record-command.js') | null> {
  try {
    return await import('./cli/record-command.js');
  } catch (error) {
    const { describeMissingSqlite } = await import('./cli/missing-sqlite.js');
    const problem = describeMissingSqlite(error);
    if (problem === null) throw error;
    process.stderr.write(`cntop: ${problem}\n`);
    lifecycle.requestExit(EXIT_FAILURE);
    return null;
  }
}

/** The viewer's --record: null (after asking to exit) when the file is refused. */
async function openViewerRecording(path: string, options: Options) {
  const recorder = await importRecorder();
  return recorder === null
    ? null
    : recorder.openViewerRecording(
        path,
        recorder.processDeps({ lifecycle, version: packageVersion(), ascii: options.ascii }),
      );
}

/** Exits the viewer's engine keeps for the Exited screen. */
const VIEWER_EXITED_CAPACITY = 30_000;

/**
 * V8 grows the young generation up to 16 MB a semi-space (32 MB resident) when many objects survive
 * a scavenge, as the viewer's refresh of 10,000 processes makes them: a third of its RSS. Held at its
 * initial 1 MB semi-space, the viewer stays ~30 MB smaller for a few more, cheap scavenges
 * (docs/BENCHMARKS.md). Read by V8 at each growth decision, so setting it at run time takes effect;
 * the viewer only: the event stream's CPU per event in a storm is worth more than its memory.
 */
const VIEWER_V8_FLAGS = '--semi-space-growth-factor=1';

/**
 * How often the viewer hands glibc malloc's free pages back to the kernel (src/native/malloc-trimmer.ts):
 * each refresh at 10,000 processes frees megabytes that glibc would otherwise keep (docs/BENCHMARKS.md).
 */
const VIEWER_MALLOC_TRIM_MS = 10_000;

async function runViewer(parsed: Options): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString(VIEWER_V8_FLAGS);
  // Saved settings under the command line's flags. The file's problems go to stderr now (they are
  // on the terminal again when the viewer's alternate screen closes) and stay in settings.problems.
  const { loadViewerSettings } = await import('./cli/config/load-settings.js');
  const settings = loadViewerSettings(parsed.viewer, process.env);
  if (settings.problems.length > 0) {
    const { formatProblem } = await import('./cli/viewer-settings.js');
    for (const problem of settings.problems) process.stderr.write(`cntop: ${formatProblem(problem)}\n`);
  }
  const options: Options = { ...parsed, refreshMs: settings.refreshMs, color: settings.color, ascii: settings.ascii };
  // Loaded on demand: blessed costs start-up time that events/snapshot never need.
  const [{ runUi }, { saveViewerSettings }] = await Promise.all([
    import('./ui/run-ui.js'),
    import('./cli/config/save-settings.js'),
  ]);
  // --record: the file is opened (or refused, exit 1) before the engine, whose batches it must all see.
  const recording = parsed.record === undefined ? null : await openViewerRecording(parsed.record, options);
  if (recording === null && parsed.record !== undefined) return;
  // The Exited screen lists every exit the ring holds: minutes of a busy build (a few hundred exits a
  // second) instead of the default 2000, at a few hundred bytes an exit.
  const engine = await startWiredEngine(options, await openEventSource(options), recording?.hooks.onEvents ?? null, {
    exitedCapacity: VIEWER_EXITED_CAPACITY,
    ...(recording === null ? {} : { onAccountedExits: recording.hooks.onAccountedExits }),
  });
  // The health monitor starts after the first frame: its first checkup blocks ~30 ms (the semantics
  // probe's ack, the canary's spawn) and the first frame needs only the seed scan. Until then the
  // viewer shows no health report. Its cleanup slot is taken here, before runUi's, so that on exit it
  // still closes before the engine and after the terminal is restored (the stack unwinds newest first).
  let health: HealthMonitor | null = null;
  // Widened on purpose: the cleanup may set it while the health monitor's module loads below.
  let closed = false as boolean;
  lifecycle.addCleanup(() => {
    closed = true;
    health?.close();
  });
  // runUi registers the terminal restore last, so the terminal is back before anything is printed.
  const app = runUi(
    engine,
    {
      color: options.color,
      ascii: options.ascii,
      refreshMs: options.refreshMs,
      // The file's problems were printed on stderr, behind the viewer's screen: the first says so on it too.
      preferences: { ...settings, startMessage: startMessageOf(settings.problems) },
      savePreferences: (prefs) => saveViewerSettings(settings.configPath, prefs),
      health: () => health?.report() ?? null,
      // --readonly: the viewer refuses repair itself; this is the second lock, so nothing can be sent.
      repair: settings.readonly
        ? () => Promise.resolve('read-only (--readonly): no repair sent')
        : () => (health === null ? Promise.resolve('the connector check has not started yet') : health.repair()),
    },
    lifecycle,
  );
  const { createHealthMonitor } = await import('./native/health-runtime.js');
  if (!closed) health = createHealthMonitor(engine);
  // After the first frame, like the health monitor: the seed scan's garbage is freed by then.
  const { startMallocTrimmer } = await import('./native/malloc-trimmer.js');
  if (!closed) {
    const trimmer = startMallocTrimmer(VIEWER_MALLOC_TRIM_MS);
    lifecycle.addCleanup(() => trimmer.stop());
  }
  recording?.attach(
    engine,
    () => health?.report() ?? null,
    (text) => app.dispatch({ type: 'setMessage', text }),
  );
}

/** The settings file's first problem, for the viewer's message line, with how many more there are. */
function startMessageOf(problems: readonly { file: string; line: number; message: string }[]): string | null {
  const first = problems[0];
  if (first === undefined) return null;
  const more = problems.length > 1 ? ` (+${problems.length - 1} more on stderr)` : '';
  return `${first.file}${first.line > 0 ? `:${first.line}` : ''}: ${first.message}${more}`;
}

async function main(argv: readonly string[]): Promise<void> {
  lifecycle.install();
  const parsed = parseOptions(argv, process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `cntop: ${parsed.error.message}\n${USAGE_LINE}\nRun 'cntop --help' for every command and option.\n`,
    );
    lifecycle.requestExit(EXIT_USAGE);
    return;
  }
  const options = parsed.value;
  const command = options.command;
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText(packageVersion()));
      lifecycle.requestExit(EXIT_OK);
      return;
    case 'version':
      process.stdout.write(`cntop ${packageVersion()}\n`);
      lifecycle.requestExit(EXIT_OK);
      return;
    case 'events':
      return runEvents(options, command);
    case 'snapshot':
      return runSnapshot(options, command);
    case 'doctor':
      return runDoctorCommand(options, command);
    case 'exporter':
      return runExporterCommand(options, command);
    case 'ui':
      return runViewer(options);
    case 'record':
    case 'query':
    case 'report':
    case 'replay':
      return runRecorder(options, command);
    default:
      return assertNever(command);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => lifecycle.fail(error));
