import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../../src/core/engine-api.js';
import { startEngine } from '../../../src/core/engine.js';
import { err, ok } from '../../../src/core/types.js';
import { exec, exit, fork, makeProcTree, type FixtureProcess } from '../../helpers/builders.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeEventSource } from '../../helpers/fake-event-source.js';

// The fixture's uptime equals the fake clock's start, so stat start ticks map to ms * 10 directly.
const UPTIME_S = 10_000;
const T0 = UPTIME_S * 1000;

/** The one leaf of the fixture tree, whose stat the sampling tests rewrite. */
const SLEEP: FixtureProcess = { pid: 11, comm: 'sleep', ppid: 10, startTicks: 600, cmdline: 'sleep\x00600\x00' };
const BASE: FixtureProcess[] = [
  { pid: 1, comm: 'init', ppid: 0, startTicks: 1, cmdline: '/sbin/init\0' },
  { pid: 2, comm: 'kthreadd', ppid: 0, startTicks: 1, flags: 0x00208040 },
  { pid: 10, comm: 'bash', ppid: 1, startTicks: 500, uid: 1000, cmdline: 'bash\0' },
  SLEEP,
];

/** The engines of the running test: their asynchronous /proc passes run on libuv's thread pool. */
let engines: EngineControl[] = [];

/** Waits, without moving the fake clock, until every pass the clock started has finished. */
const flush = async (): Promise<void> => {
  await Promise.all(engines.map((engine) => engine.idle()));
};

/** Advances the fake clock in steps of at most one refresh, letting each asynchronous pass finish. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1000) {
    clock.advance(Math.min(1000, left));
    await flush();
  }
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup) fn();
  cleanup = [];
  engines = [];
});

async function setUp(
  source: FakeEventSource | null,
  extra: { tombstoneMs?: number; sampleProcesses?: boolean; maxTombstones?: number } = {},
) {
  const tree = makeProcTree(BASE, UPTIME_S);
  const clock = new FakeClock(T0);
  const engine: EngineControl = await startEngine({
    source:
      source === null ? err({ kind: 'addon-missing', detail: 'no build/Release/cntop_connector.node' }) : ok(source),
    procRoot: tree.root,
    refreshMs: 1000,
    clock,
    passwdPath: '/nonexistent/passwd',
    driftCheckMs: 0,
    ...extra,
  });
  engines.push(engine);
  cleanup.push(
    () => engine.close(),
    () => tree.remove(),
  );
  return { tree, clock, engine };
}

describe('engine start-up', () => {
  it('subscribes before it scans, and applies the events buffered during the scan', async () => {
    const source = new FakeEventSource();
    const tree = makeProcTree(BASE, UPTIME_S);
    cleanup.push(() => tree.remove());
    source.duringStart = () => {
      // Born after LISTEN, before the scan: both its fork event and its /proc entry exist.
      tree.write({ pid: 40, comm: 'bash', ppid: 10, startTicks: 1_000_000 });
      source.emit([fork(40, 10, T0), exec(40, T0 + 0.1, 'make', ['make', '-j2'])]);
      // Born and gone during the scan: only its events tell.
      source.emit([fork(41, 10, T0 + 1), exec(41, T0 + 1.1, 'cc'), exit(41, T0 + 2, { code: 1, parent: 10 })]);
    };
    const clock = new FakeClock(T0 + 5);
    const delivered: string[] = [];
    const onEvents = (events: readonly { kind: string }[]): void =>
      void delivered.push(events.map((e) => e.kind).join());
    const engine = await startEngine({
      source: ok(source),
      procRoot: tree.root,
      refreshMs: 1000,
      clock,
      driftCheckMs: 0,
      onEvents,
    });
    engines.push(engine);
    cleanup.push(() => engine.close());
    expect(engine.processes.get(40)).toMatchObject({ ppid: 10, comm: 'make', cmdline: ['make', '-j2'], exitMs: null });
    expect(engine.childrenOf(10)).toEqual(expect.arrayContaining([11, 40]));
    expect(engine.exited).toMatchObject([{ pid: 41, comm: 'cc', ppid: 10, status: { code: 1 }, lifetimeMs: 1 }]);
    expect(engine.status).toMatchObject({ mode: 'netlink', pollingReason: null, resyncs: 0 });
    // A listener given in the options also hears what was buffered during the seed.
    expect(delivered).toEqual(['fork,exec', 'fork,exec,exit']);
  });

  it('reads the seed with users, kernel threads and command lines', async () => {
    const { engine } = await setUp(new FakeEventSource());
    expect(engine.processes.get(2)?.isKernelThread).toBe(true);
    expect(engine.processes.get(10)).toMatchObject({ uid: 1000, user: '1000', cmdline: ['bash'], startMs: 5000 });
    expect(engine.processes.get(11)?.cmdline).toEqual(['sleep', '600']);
    expect(engine.system.memTotalBytes).toBe(1_000_000 * 1024);
  });

  it('falls back to polling, says why, and still sees processes come and go', async () => {
    const { engine, tree, clock } = await setUp(null);
    expect(engine.status.mode).toBe('polling');
    expect(engine.status.pollingReason).toMatch(/addon is not built/);
    expect(engine.status.connector).toBeNull();
    tree.write({ pid: 50, comm: 'new', ppid: 10, startTicks: 1_000_050, cmdline: 'new\0' });
    tree.drop(11);
    clock.advance(1000);
    await flush();
    expect(engine.processes.get(50)).toMatchObject({ comm: 'new', cmdline: ['new'], exitMs: null });
    expect(engine.processes.get(11)).toMatchObject({ exitMs: T0 + 1000, exitStatus: { code: null, signal: null } });
    expect(engine.exited.map((p) => p.pid)).toEqual([11]);
  });

  it('polls, without ever subscribing, inside a non-initial PID namespace', async () => {
    const source = new FakeEventSource();
    let started = false;
    source.duringStart = () => void (started = true);
    const tree = makeProcTree(BASE, UPTIME_S);
    cleanup.push(() => tree.remove());
    mkdirSync(join(tree.root, 'self', 'ns'), { recursive: true });
    symlinkSync('pid:[4026532178]', join(tree.root, 'self', 'ns', 'pid'));
    const engine = await startEngine({
      source: ok(source),
      procRoot: tree.root,
      refreshMs: 1000,
      clock: new FakeClock(T0),
      driftCheckMs: 0,
    });
    engines.push(engine);
    cleanup.push(() => engine.close());
    expect(engine.status.mode).toBe('polling');
    expect(engine.status.pollingReason).toMatch(/non-initial PID namespace/);
    expect(started).toBe(false);
    expect(source.closeCalls).toBe(1);
    expect(engine.processes.get(11)?.comm).toBe('sleep');
  });

  it('falls back to polling when the source fails to start, and closes it', async () => {
    const source = FakeEventSource.failing({ kind: 'permission-denied', syscall: 'bind', errno: 1 });
    const { engine } = await setUp(source);
    expect(engine.status.mode).toBe('polling');
    expect(engine.status.pollingReason).toMatch(/refused/);
    expect(source.closeCalls).toBe(1);
  });
});

describe('engine while running', () => {
  it('samples CPU% from stat deltas and memory from RSS', async () => {
    const { engine, tree, clock } = await setUp(new FakeEventSource());
    tree.write({ ...SLEEP, utime: 30, stime: 20, rssPages: 2500 });
    let refreshes = 0;
    engine.onRefresh(() => refreshes++);
    await advance(clock, 1000);
    expect(refreshes).toBe(1);
    expect(engine.processes.get(11)?.cpuPercent).toBeCloseTo(50, 5);
    expect(engine.processes.get(11)?.rssBytes).toBe(2500 * 4096);
    expect(engine.processes.get(11)?.memPercent).toBeCloseTo((2500 * 4096 * 100) / (1_000_000 * 1024), 5);
  });

  it("repairs a row whose exec event was lost: stat's new name triggers a fresh command line", async () => {
    const source = new FakeEventSource();
    const { engine, clock, tree } = await setUp(source);
    tree.write({ pid: 90, comm: 'worker', ppid: 10, startTicks: 1_000_001, cmdline: 'worker\x00--x\x00' });
    source.emit([fork(90, 10, T0 + 10)]); // its exec never arrives
    expect(engine.processes.get(90)).toMatchObject({ comm: 'bash', cmdline: ['bash'] });
    await advance(clock, 1000);
    expect(engine.processes.get(90)).toMatchObject({ comm: 'worker', cmdline: ['worker', '--x'] });
  });

  it('notices at refresh that a pid changed hands unannounced, and counts both missed events', async () => {
    const { engine, clock, tree } = await setUp(new FakeEventSource());
    tree.write({ pid: 11, comm: 'other', ppid: 1, startTicks: 1_000_050, cmdline: 'other\x00' });
    writeFileSync(join(tree.root, 'uptime'), `${UPTIME_S + 1}.00 0.00\n`); // uptime moves with the clock
    await advance(clock, 1000);
    expect(engine.exited).toMatchObject([{ pid: 11, comm: 'sleep', status: { code: null, signal: null } }]);
    expect(engine.processes.get(11)).toMatchObject({
      comm: 'other',
      ppid: 1,
      cmdline: ['other'],
      startMs: T0 + 500,
      exitMs: null,
    });
    expect(engine.childrenOf(10)).toEqual([]);
    expect(engine.status).toMatchObject({ missedForks: 1, missedExits: 1 });
  });

  it('notifies event listeners synchronously after each batch, and keeps per-kind rates', async () => {
    const source = new FakeEventSource();
    const { engine, clock } = await setUp(source);
    const seen: number[] = [];
    engine.onEvents((events) => seen.push(events.length, engine.processes.has(60) ? 1 : 0));
    source.emit([fork(60, 10, T0 + 1), fork(61, 10, T0 + 2), exec(60, T0 + 3, 'x')]);
    expect(seen).toEqual([3, 1]);
    await advance(clock, 1000);
    expect(engine.status.eventRates).toMatchObject({ fork: 2, exec: 1, exit: 0 });
  });

  it('without process sampling (cntop events) reads no stat at refresh, yet still refreshes, sweeps and finds exits', async () => {
    const source = new FakeEventSource();
    const { engine, tree, clock } = await setUp(source, { sampleProcesses: false, maxTombstones: 0 });
    const seeded = engine.processes.get(11)?.rssBytes;
    tree.write({ ...SLEEP, utime: 30, stime: 20, rssPages: 2500 });
    let refreshes = 0;
    engine.onRefresh(() => refreshes++);
    await advance(clock, 2000);
    expect(refreshes).toBe(2);
    // What the seed scan read stays: the new stat (CPU time, 2,500 pages) was never read.
    expect(engine.processes.get(11)).toMatchObject({ cpuPercent: 0, rssBytes: seeded });
    expect(seeded).not.toBe(2500 * 4096);
    tree.drop(11);
    source.emit([exit(11, T0 + 2010, { code: 3, parent: 10 })]);
    // No tombstone is listed; the exited ring answers for the pid.
    expect(engine.processes.has(11)).toBe(false);
    expect(engine.lastExit(11)).toMatchObject({ pid: 11, comm: 'sleep', status: { code: 3 } });
    expect(engine.lastExit(10)).toBeUndefined();
  });

  it('sweeps tombstones after tombstoneMs', async () => {
    const source = new FakeEventSource();
    const { engine, clock, tree } = await setUp(source, { tombstoneMs: 3000 });
    tree.drop(11);
    source.emit([exit(11, T0 + 10, { signal: 9, parent: 10 })]);
    expect(engine.processes.get(11)).toMatchObject({ state: 'X', exitStatus: { signal: 9 } });
    await advance(clock, 3000);
    expect(engine.processes.has(11)).toBe(true);
    await advance(clock, 1000);
    expect(engine.processes.has(11)).toBe(false);
    expect(engine.childrenOf(10)).toEqual([]);
    expect(engine.status.missedExits).toBe(0);
  });

  it('ends a process that vanished without an exit event only after a second look, and counts it', async () => {
    const { engine, clock, tree } = await setUp(new FakeEventSource());
    tree.drop(11);
    await advance(clock, 1000);
    expect(engine.processes.get(11)?.exitMs).toBeNull();
    await advance(clock, 1000);
    expect(engine.processes.get(11)?.exitMs).toBe(T0 + 2000);
    expect(engine.status.missedExits).toBe(1);
  });

  it('resyncs after an overrun and counts what the events missed, not what was in flight', async () => {
    const source = new FakeEventSource();
    const { engine, clock, tree } = await setUp(source);
    tree.write({ pid: 70, comm: 'missed', ppid: 10, startTicks: 1_000_010 });
    tree.write({ pid: 71, comm: 'inflight', ppid: 10, startTicks: 1_000_020 });
    tree.write({ pid: 72, comm: 'bash', ppid: 10, startTicks: 1_000_000 });
    tree.drop(11);
    source.emit([fork(72, 10, T0 + 1)], { overruns: 1 });
    source.emit([], { seqGapMessages: 3 });
    clock.advance(200); // debounce: one resync for both
    await flush(); // scanned; the grace timer follows at once
    expect(engine.processes.get(70)).toMatchObject({ comm: 'missed', exitMs: null });
    source.emit([fork(71, 10, T0 + 200)]); // its fork was in flight during the scan
    clock.advance(250); // grace
    expect(engine.status).toMatchObject({ resyncs: 1, missedForks: 1, missedExits: 1, lastResyncMs: T0 + 450 });
    expect(engine.processes.get(11)?.exitStatus).toEqual({ code: null, signal: null, coreDumped: false });
  });

  it('notices drift with a cheap listing, then confirms it with a resync that counts it', async () => {
    const source = new FakeEventSource();
    const tree = makeProcTree(BASE, UPTIME_S);
    const clock = new FakeClock(T0);
    const engine = await startEngine({
      source: ok(source),
      procRoot: tree.root,
      refreshMs: 60_000,
      clock,
      driftCheckMs: 5000,
    });
    engines.push(engine);
    cleanup.push(
      () => engine.close(),
      () => tree.remove(),
    );
    await advance(clock, 5000);
    expect(engine.status.resyncs).toBe(0); // nothing drifted: no resync
    tree.write({ pid: 80, comm: 'unseen', ppid: 1, startTicks: 1_000_100 });
    // Drift check (a listing), grace, debounce, the resync's scan, grace again: each step waits for
    // the previous one's asynchronous listing, so move the clock in small steps until it is counted.
    for (let i = 0; i < 400 && engine.status.resyncs === 0; i++) await advance(clock, 50);
    expect(engine.status).toMatchObject({ resyncs: 1, missedForks: 1, missedExits: 0 });
    expect(engine.processes.get(80)).toMatchObject({ comm: 'unseen', exitMs: null });
  });

  it('close() is idempotent, closes the source once and stops every timer', async () => {
    const source = new FakeEventSource();
    const { engine, clock } = await setUp(source);
    engine.close();
    engine.close();
    expect(source.closeCalls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});
