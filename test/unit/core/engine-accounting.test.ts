// The engine joining exits with taskstats records from a fake source: records before or after the
// exit, the bounded wait, multi-threaded processes, thread exits on request, the ring entry filled in,
// where the CPU went, and nothing held back when the source has no records.
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountedExit } from '../../../src/core/accounting/exit-accountant.js';
import type { TaskRecord } from '../../../src/core/accounting/task-record.js';
import type { EngineControl } from '../../../src/core/engine-api.js';
import { startEngine } from '../../../src/core/engine.js';
import { ok } from '../../../src/core/types.js';
import { exec, exit, fork, makeProcTree } from '../../helpers/builders.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeEventSource } from '../../helpers/fake-event-source.js';

const UPTIME_S = 10_000;
const T0 = UPTIME_S * 1000;
const ON = { state: 'on', cause: null, records: 0, overruns: 0, malformed: 0 } as const;

function record(id: number, fields: Partial<TaskRecord> = {}): TaskRecord {
  return {
    scope: 'task',
    id,
    tgid: id,
    comm: 'cc1',
    exitStatus: 0,
    runMs: 11.9,
    userMs: 8,
    systemMs: 4,
    peakRssKiB: 20_480,
    readBytes: 4096,
    writeBytes: 0,
    minorFaults: 900,
    majorFaults: 1,
    voluntarySwitches: 3,
    involuntarySwitches: 2,
    ...fields,
  };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

async function setUp(accounting: boolean, accountThreads = false) {
  const tree = makeProcTree(
    [
      { pid: 1, comm: 'init', ppid: 0, startTicks: 1, cmdline: '/sbin/init\0' },
      { pid: 10, comm: 'make', ppid: 1, startTicks: 500 },
    ],
    UPTIME_S,
  );
  const clock = new FakeClock(T0);
  const source = new FakeEventSource();
  if (accounting) source.accountingStatus = ON;
  const exits: AccountedExit[] = [];
  const engine: EngineControl = await startEngine({
    source: ok(source),
    procRoot: tree.root,
    refreshMs: 60_000,
    clock,
    passwdPath: '/nonexistent',
    driftCheckMs: 0,
    onAccountedExits: (batch) => exits.push(...batch),
    accountThreads,
  });
  cleanup.push(
    () => engine.close(),
    () => tree.remove(),
  );
  return { engine, source, clock, exits };
}

describe('engine: exits with their accounting', () => {
  it('joins an exit with the record that arrives in a later batch, and fills the ring entry', async () => {
    const { engine, source, exits } = await setUp(true);
    source.emit([fork(20, 10, T0 + 1), exit(20, T0 + 2, { code: 1, parent: 10 })]); // gone before its exec was read
    expect(exits).toEqual([]);
    expect(engine.lastExit(20)?.comm).toBe('make'); // still the parent's copy
    source.emit([], {}, [record(20, { comm: 'cc1', exitStatus: 1 << 8 })]);
    expect(exits).toHaveLength(1);
    expect(exits[0]?.event).toMatchObject({ kind: 'exit', pid: 20 });
    expect(exits[0]?.accounting).toMatchObject({ comm: 'cc1', cpuMs: 12, peakRssKiB: 20_480 }); // user + system ticks
    expect(engine.lastExit(20)).toMatchObject({ comm: 'cc1', accounting: { cpuMs: 12 }, status: { code: 1 } });
    expect(engine.exitsByCommand()).toEqual([
      { command: 'cc1', count: 1, failures: 1, cpuMs: 12, withoutCpu: 0, peakRssKiB: 20_480 },
    ]);
    // Its parent make (10) and make's parent init (1) both carry it: where the CPU of a subtree went.
    expect(engine.exitsBySubtree().get(10)).toMatchObject({ count: 1, cpuMs: 12 });
    expect(engine.exitsBySubtree().get(1)).toMatchObject({ count: 1, cpuMs: 12 });
  });

  it("names a lingering row whose name was never read with the record's: no '[exit 3] []' rows", async () => {
    const { engine, source } = await setUp(true);
    source.emit([fork(23, 10, T0 + 1), exec(23, T0 + 1.5, null, null), exit(23, T0 + 2, { code: 3, parent: 10 })]); // gone before comm/cmdline were read
    expect(engine.processes.get(23)).toMatchObject({ comm: '', exitMs: T0 + 2 });
    source.emit([], {}, [record(23, { comm: 'configure' })]);
    expect(engine.processes.get(23)).toMatchObject({ comm: 'configure', exitStatus: { code: 3 } });
  });

  it('settles at once when the record came first (same batch, records applied before events)', async () => {
    const { source, exits } = await setUp(true);
    source.emit([fork(21, 10, T0 + 1), exec(21, T0 + 1.5, 'sh'), exit(21, T0 + 2, { parent: 10 })], {}, [
      record(21, { comm: 'sh' }),
    ]);
    expect(exits.map((e) => [e.event?.pid, e.accounting?.comm])).toEqual([[21, 'sh']]);
  });

  it('lets an exit go on without accounting once the short wait ends, and counts it in the window without CPU', async () => {
    const { engine, source, clock, exits } = await setUp(true);
    source.emit([fork(22, 10, T0 + 1), exit(22, T0 + 2, { parent: 10 })]);
    clock.advance(99);
    expect(exits).toEqual([]);
    clock.advance(1);
    expect(exits).toEqual([expect.objectContaining({ accounting: null })]);
    expect(engine.exitTotals(60_000)).toMatchObject({ count: 1, withoutCpu: 1, cpuMs: 0 });
  });

  it("waits for the group record of a process that had threads, and takes the whole group's CPU", async () => {
    const { engine, source, exits } = await setUp(true);
    source.emit([
      fork(30, 10, T0 + 1),
      fork(31, 30, T0 + 2, 30, 30),
      exit(31, T0 + 3, { tgid: 30, parent: 10 }),
      exit(30, T0 + 4, { parent: 10 }),
    ]);
    source.emit([], {}, [record(31, { runMs: 40, tgid: 30 }), record(30, { comm: 'java', runMs: 2 })]);
    expect(exits).toEqual([]); // the leader's record is here, the group's sum is not
    source.emit([], {}, [{ ...record(30, { runMs: 42 }), scope: 'group', comm: '', peakRssKiB: 0 }]); // its runtime sum
    expect(exits.map((e) => e.accounting)).toEqual([
      expect.objectContaining({ comm: 'java', cpuMs: 42, peakRssKiB: 20_480 }),
    ]);
    expect(engine.lastExit(30)?.accounting?.cpuMs).toBe(42);
  });

  it("adds the ticks of the group's threads to the leader's: a busy thread's CPU is not lost to its lagging runtime", async () => {
    const { source, exits } = await setUp(true);
    source.emit([
      fork(35, 10, T0 + 1),
      fork(36, 35, T0 + 2, 35, 35),
      exit(36, T0 + 3, { tgid: 35, parent: 10 }),
      exit(35, T0 + 4, { parent: 10 }),
    ]);
    source.emit([], {}, [
      record(36, { tgid: 35, runMs: 30, userMs: 48, systemMs: 4 }), // the thread's runtime lags its ticks
      record(35, { comm: 'java', runMs: 1, userMs: 0, systemMs: 4 }),
      { ...record(35, { runMs: 31 }), scope: 'group', comm: '', peakRssKiB: 0 },
    ]);
    expect(exits.map((e) => e.accounting)).toEqual([
      expect.objectContaining({ comm: 'java', cpuMs: 56, userMs: 48, systemMs: 8 }),
    ]);
  });

  it('reports thread exits with their own records only when asked', async () => {
    const plain = await setUp(true);
    plain.source.emit(
      [fork(40, 10, T0 + 1), fork(41, 40, T0 + 2, 40, 40), exit(41, T0 + 3, { tgid: 40, parent: 10 })],
      {},
      [record(41)],
    );
    expect(plain.exits).toEqual([]);
    const threads = await setUp(true, true);
    threads.source.emit(
      [fork(40, 10, T0 + 1), fork(41, 40, T0 + 2, 40, 40), exit(41, T0 + 3, { tgid: 40, parent: 10 })],
      {},
      [record(41, { comm: 'worker' })],
    );
    expect(threads.exits.map((e) => [e.event?.pid, e.process, e.accounting?.comm])).toEqual([[41, null, 'worker']]);
  });

  it('holds nothing back when the source has no records (taskstats off)', async () => {
    const { engine, source, exits } = await setUp(false);
    source.emit([fork(50, 10, T0 + 1), exec(50, T0 + 1.2, 'true'), exit(50, T0 + 2, { parent: 10 })]);
    expect(exits.map((e) => [e.event?.pid, e.accounting])).toEqual([[50, null]]);
    expect(engine.status.accounting).toMatchObject({ state: 'off', cause: 'not asked for' });
  });

  it('reports exits still waiting when the engine closes', async () => {
    const { engine, source, exits } = await setUp(true);
    source.emit([fork(60, 10, T0 + 1), exit(60, T0 + 2, { parent: 10 })]);
    engine.close();
    expect(exits.map((e) => [e.event?.pid, e.accounting])).toEqual([[60, null]]);
  });
});

describe('engine: exits found by a scan', () => {
  it('reports a process that /proc polling found gone, so nothing piles up unreported', async () => {
    const tree = makeProcTree(
      [
        { pid: 1, comm: 'init', ppid: 0, startTicks: 1, cmdline: '/sbin/init\0' },
        { pid: 10, comm: 'make', ppid: 1, startTicks: 500 },
      ],
      UPTIME_S,
    );
    const clock = new FakeClock(T0);
    const exits: AccountedExit[] = [];
    const engine = await startEngine({
      source: { ok: false, error: { kind: 'disabled', reason: 'polling, as asked' } },
      procRoot: tree.root,
      refreshMs: 1000,
      clock,
      passwdPath: '/nonexistent',
      driftCheckMs: 0,
      onAccountedExits: (batch) => exits.push(...batch),
    });
    cleanup.push(
      () => engine.close(),
      () => tree.remove(),
    );
    tree.drop(10);
    clock.advance(1000);
    await engine.idle();
    expect(exits.map((e) => [e.event, e.process?.pid, e.accounting])).toEqual([[null, 10, null]]);
  });
});
