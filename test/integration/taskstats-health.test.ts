// Taskstats' own row in health on the real kernel: `cntop doctor --json` on the host (its canary's
// exit must come back with a record), in a new network namespace and as uid 65534 (the connector is
// unusable there, so taskstats is not started and the row says why, while the connector's verdict is
// as before); the canary's record check against a registration that is acknowledged but can never
// see the canary (registered on CPU 0 only, the canary pinned to CPU 1); and the viewer's monitor.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../src/core/engine.js';
import type { EngineControl } from '../../src/core/engine-api.js';
import type { HealthMonitor } from '../../src/core/health/health-monitor.js';
import type { ProcEvent } from '../../src/core/types.js';
import { ackCookieFor } from '../../src/native/ack-cookie.js';
import { runCanary, type EventFeed, type RecordFeed } from '../../src/native/canary.js';
import { createHealthMonitor } from '../../src/native/health-runtime.js';
import { DEFAULT_KERNEL_SOURCE_OPTIONS, openKernelEventSource } from '../../src/native/kernel-event-source.js';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeBatch, NativeConnector } from '../../src/native/native-types.js';
import { ensureBuilt, snapshotForGuest } from '../kernelvm/ensure-built.js';
import { waitFor } from '../helpers/wait-for.js';
import { runDoctor } from '../helpers/doctor-run.js';
import { present } from '../helpers/present.js';

const NOBODY = 65534;
const SETPRIV = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];

const built = ensureBuilt(['dist/main.js', 'dist/cli/doctor-command.js']);
// A private copy of the build: other work may rebuild build/ or dist/ while these processes start.
const snapshot = built.ok ? snapshotForGuest([]) : null;
const CWD = snapshot?.ok === true ? snapshot.dir : '/nonexistent';
if (snapshot?.ok === true) chmodSync(CWD, 0o755); // uid 65534 must be able to read it
afterAll(() => {
  if (snapshot?.ok === true) rmSync(CWD, { recursive: true, force: true });
});

const addon = loadAddon();
/** Taskstats on this host, as root in the initial namespaces; null when it runs, else why not. */
function taskstatsReason(): string | null {
  if (!addon.ok) return `addon not loadable: ${addon.error.kind}`;
  const connector = new addon.value.Connector({
    ...DEFAULT_KERNEL_SOURCE_OPTIONS,
    ackCookie: ackCookieFor(process.pid),
    taskstats: true,
  });
  const started = connector.start(() => undefined);
  connector.close();
  if (!started.ok) return `the connector cannot start here: ${started.code}`;
  if (started.ack?.err !== 0) return 'the connector LISTEN is not acknowledged here (starved or namespaced)';
  return started.taskstats?.ok === true ? null : `taskstats cannot start here: ${JSON.stringify(started.taskstats)}`;
}
const failureOf = (argv: readonly string[]): string | null => {
  const command = present(argv[0], 'a command');
  const run = spawnSync(command, argv.slice(1), { cwd: CWD, encoding: 'utf8' });
  if (run.error !== undefined) return `${command}: ${run.error.message}`;
  return run.status === 0
    ? null
    : `\`${argv.join(' ')}\` exited ${String(run.status)}: ${run.stderr.trim().slice(0, 200)}`;
};
const buildSkip = !built.ok ? built.why : snapshot?.ok === false ? snapshot.why : null;
const hostSkip = buildSkip ?? taskstatsReason();
const netNsSkip = buildSkip ?? failureOf(['unshare', '-n', 'true']);
function nobodyReason(): string | null {
  if (buildSkip !== null) return buildSkip;
  if (process.getuid?.() !== 0) return `needs root to drop to uid ${NOBODY} with setpriv`;
  return failureOf([...SETPRIV, process.execPath, '-e', "fs.accessSync('dist/main.js')"]);
}
const nobodySkip = nobodyReason();
const cpuSkip =
  hostSkip ??
  (availableParallelism() < 2
    ? 'needs 2 CPUs (register one, pin the canary to the other)'
    : failureOf(['taskset', '-c', '1', 'true']));
for (const [what, why] of [
  ['host', hostSkip],
  ['network namespace', netNsSkip],
  [`uid ${NOBODY}`, nobodySkip],
  ['acked-but-silent canary', cpuSkip],
] as const) {
  if (why !== null) console.warn(`taskstats-health, ${what} case skipped: ${why}`);
}

describe.skipIf(hostSkip !== null)('doctor --json on this host: taskstats', () => {
  it("is ok with records > 0, and the canary's own exit came back with its record; the connector verdict is healthy, exit 0", async () => {
    const run = await runDoctor(CWD, []);
    console.log(
      `doctor on the host: taskstats ${JSON.stringify(run.json.taskstats)}, process wall ${run.wallMs.toFixed(0)} ms`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ status: 'healthy', mode: 'netlink', canary: { ok: true } });
    expect(run.json.taskstats).toMatchObject({ status: 'ok', lost: 0, cause: null, fix: null });
    expect(run.json.taskstats.records).toBeGreaterThan(0);
    expect(
      run.json.evidence.some((line) =>
        /^taskstats: registered, [1-9]\d* record\(s\), 0 overrun\(s\), the canary's record arrived in [\d.]+ ms$/.test(
          line,
        ),
      ),
    ).toBe(true);
  });
});

describe.skipIf(netNsSkip !== null)('doctor --json in a new network namespace (unshare -n): taskstats', () => {
  it("is off, not started, naming the network namespace, with the host's namespace as the fix; the connector part is as before (polling, exit 1)", async () => {
    const run = await runDoctor(CWD, ['unshare', '-n']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.json).toMatchObject({ status: 'degraded', mode: 'polling', ack: { received: false }, counterOps: null });
    expect(run.json.cause).toMatch(/ECONNREFUSED.*not in the host's network namespace/);
    expect(run.json.fix).toMatch(/^run cntop in the host's network namespace/);
    expect(run.json.taskstats).toMatchObject({ status: 'off', records: 0, lost: 0 });
    expect(run.json.taskstats.cause).toMatch(
      /^not started: it runs beside the process connector, which is not in use \(.*not in the host's network namespace/,
    );
    expect(run.json.taskstats.fix).toMatch(/^run cntop in the host's network namespace/);
    expect(run.json.evidence).toContain('taskstats: not started (the connector is not in use)');
  });
});

describe.skipIf(nobodySkip !== null)(`doctor --json as uid ${NOBODY}: taskstats`, () => {
  it('is off and says why; where the connector itself is refused (this host), taskstats was never started and root is the fix', async () => {
    const run = await runDoctor(CWD, SETPRIV);
    console.log(`doctor as uid ${NOBODY}: mode ${run.json.mode}, taskstats ${JSON.stringify(run.json.taskstats)}`);
    if (run.json.mode === 'polling') {
      // This host refuses the connector's bind to nobody: the doctor cannot try taskstats at all.
      expect(run.code, run.stderr).toBe(1);
      expect(run.json.cause).toMatch(/bind was refused \(errno 1, EPERM\/EACCES\): permission denied/);
      expect(run.json.taskstats).toMatchObject({ status: 'off', records: 0, lost: 0 });
      expect(run.json.taskstats.cause).toMatch(/^not started: .*permission denied/);
      expect(run.json.taskstats.fix).toMatch(/as root/);
    } else {
      // A kernel that lets nobody subscribe: TASKSTATS.md measured an acked registration and no records.
      expect(['silent', 'off']).toContain(run.json.taskstats.status);
      expect(run.json.taskstats.cause).not.toBeNull();
    }
  });
});

describe.skipIf(cpuSkip !== null)('the canary against an acknowledged registration that cannot see it', () => {
  const open: NativeConnector[] = [];
  afterEach(() => {
    for (const connector of open.splice(0)) connector.close();
  });

  /** A Connector with taskstats registered on `cpumask`, and feeds for the canary. */
  function listen(cpumask: string) {
    if (!addon.ok) throw new Error('no addon');
    const eventListeners = new Set<(events: readonly ProcEvent[]) => void>();
    const recordListeners = new Set<(ids: readonly number[]) => void>();
    const connector = new addon.value.Connector({
      ...DEFAULT_KERNEL_SOURCE_OPTIONS,
      readExecInfo: false,
      ackCookie: ackCookieFor(process.pid),
      taskstats: { cpumask },
    });
    open.push(connector);
    const started = connector.start((batch: NativeBatch) => {
      const ids = batch.records.flatMap((r) => (r.kind === 'pid' ? [r.pid] : []));
      if (ids.length > 0) for (const listener of recordListeners) listener(ids);
      for (const listener of eventListeners) listener(batch.events);
    });
    const events: EventFeed = (listener) => {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    };
    const records: RecordFeed = (listener) => {
      recordListeners.add(listener);
      return () => void recordListeners.delete(listener);
    };
    return { connector, started, events, records };
  }

  it('registered on CPU 0 only, a canary pinned to CPU 1: ack err 0, its fork/exec/exit arrive, its record does not (the silent case)', async () => {
    const { started, events, records } = listen('0');
    expect(started).toMatchObject({ ok: true, ack: { err: 0 }, taskstats: { ok: true, cpumask: '0' } });
    const outcome = await runCanary(events, {
      timeoutMs: 3000,
      nowMs: () => performance.now(),
      command: 'taskset',
      args: ['-c', '1', '/bin/true'],
      records,
      recordGraceMs: 500,
    });
    console.log(
      `pinned canary: events in ${outcome.latencyMs?.toFixed(1) ?? 'none'} ms, record: ${JSON.stringify(outcome.record)}`,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.record).toMatchObject({ arrived: false, latencyMs: null });
    expect(outcome.record?.detail).toMatch(/^no record for pid \d+ \d+ ms after its exit event$/);
  });

  it('the positive control: the same pinned canary with every CPU registered comes back with its record', async () => {
    const { started, events, records } = listen('0-1');
    expect(started).toMatchObject({ ok: true, taskstats: { ok: true } });
    const outcome = await runCanary(events, {
      timeoutMs: 3000,
      nowMs: () => performance.now(),
      command: 'taskset',
      args: ['-c', '1', '/bin/true'],
      records,
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.record).toMatchObject({ arrived: true });
    expect(outcome.record?.latencyMs).toBeGreaterThan(0);
  });
});

describe.skipIf(hostSkip !== null)("the viewer's health monitor on the real engine with taskstats", () => {
  let engine: EngineControl | null = null;
  let monitor: HealthMonitor | null = null;
  afterEach(() => {
    monitor?.close();
    engine?.close();
  });

  it("reports taskstats ok once its canary's exit came back with a record through the engine's accounted exits", async () => {
    const source = openKernelEventSource({ taskstats: true });
    engine = await startEngine({ source, refreshMs: 1000 });
    monitor = createHealthMonitor(engine);
    const current = monitor;
    await waitFor(() => current.report().canary.ok !== null, 10_000, 'the start-up canary');
    const report = current.report();
    expect(report).toMatchObject({ status: 'healthy', canary: { ok: true } });
    expect(report.taskstats).toMatchObject({ status: 'ok', lost: 0 });
    expect(report.taskstats.records).toBeGreaterThan(0);
    expect(report.evidence?.some((line) => /the canary's record arrived in/.test(line))).toBe(true);
  });
});
