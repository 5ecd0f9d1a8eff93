// The recorder against the real engine (fake connector, fixture /proc, fake clock) and a real SQLite
// file: what `snapshot --db --at T` reads back equals the engine's own tree at T, and the by-command
// report equals engine.exitsByCommand() for the same window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSnapshotTree, type SnapshotNode } from '../../../src/cli/snapshot-tree.js';
import { buildExitReport } from '../../../src/record/exit-report.js';
import { openForReading, openForWriting } from '../../../src/record/open-db.js';
import { Recorder } from '../../../src/record/recorder.js';
import { ReplayCursor } from '../../../src/record/replay-cursor.js';
import { ReplayEngine } from '../../../src/record/replay-engine.js';
import { RecordingReader } from '../../../src/record/recording-reader.js';
import { comm, exec, exit, fork, makeProcTree, type FixtureProcess } from '../../helpers/builders.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeEventSource } from '../../helpers/fake-event-source.js';
import { present } from '../../helpers/present.js';
import { startRecordedEngine } from '../../helpers/recording-fixture.js';

const UPTIME_S = 10_000;
const T0 = UPTIME_S * 1000;
/** wall = monotonic + this (an integer, as a session's anchor is). */
const OFFSET = 1_700_000_000_000;

const BASE: FixtureProcess[] = [
  { pid: 1, comm: 'init', ppid: 0, startTicks: 1, cmdline: '/sbin/init\0' },
  { pid: 2, comm: 'kthreadd', ppid: 0, startTicks: 1, flags: 0x00208040 },
  { pid: 10, comm: 'bash', ppid: 1, startTicks: 500, uid: 1000, cmdline: 'bash\0' },
  { pid: 11, comm: 'sleep', ppid: 10, startTicks: 600, cmdline: 'sleep\x00600\x00' },
];

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

interface Flat {
  pid: number;
  ppid: number;
  command: string;
}

function flat(roots: readonly SnapshotNode[]): Flat[] {
  const out: Flat[] = [];
  const stack = [...roots];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    out.push({
      pid: n.pid,
      ppid: n.ppid,
      command: n.cmdline !== null && n.cmdline.length > 0 ? n.cmdline.join(' ') : `[${n.comm}]`,
    });
    stack.push(...n.children);
  }
  return out.sort((a, b) => a.pid - b.pid);
}

async function setUp() {
  const tree = makeProcTree(BASE, UPTIME_S);
  const dir = mkdtempSync(join(tmpdir(), 'cntop-rec-'));
  cleanup.push(
    () => tree.remove(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const clock = new FakeClock(T0);
  const source = new FakeEventSource();
  const failures: string[] = [];
  const { engine, recorder } = await startRecordedEngine({
    path: join(dir, 'rec.db'),
    tree,
    clock,
    source,
    wallOffsetMs: OFFSET,
    onFailed: (message) => failures.push(message),
  });
  cleanup.push(() => engine.close());
  const advance = async (ms: number): Promise<void> => {
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await engine.idle();
    }
  };
  const liveTree = (): Flat[] => flat(buildSnapshotTree(engine.processes.values()));
  const reader = (): RecordingReader => {
    const db = openForReading(join(dir, 'rec.db'));
    if (!db.ok) throw new Error(JSON.stringify(db.error));
    cleanup.push(() => db.value.close());
    return new RecordingReader(db.value);
  };
  return { tree, clock, source, engine, recorder, advance, liveTree, reader, failures, dir };
}

describe('a recording read back', () => {
  it('holds the tree the engine had at each instant: pids, parents and programs', async () => {
    const { tree, clock, source, recorder, advance, liveTree, reader, failures } = await setUp();
    const seen: { atMs: number; tree: Flat[] }[] = [];
    const capture = (): void => void seen.push({ atMs: clock.nowMs(), tree: liveTree() });
    capture();
    // Each batch carries events a little older than now, as the kernel's do.
    await advance(110);
    source.emit([fork(40, 10, T0 + 100), exec(40, T0 + 101, 'make', ['make', '-j2'])]);
    capture();
    await advance(90);
    // Born and gone within one batch: all the recording gets is its exit.
    source.emit([
      fork(41, 40, T0 + 200),
      exec(41, T0 + 201, 'cc', ['cc', '-c', 'a.c']),
      exit(41, T0 + 250, { code: 1, parent: 40 }),
    ]);
    await advance(110);
    source.emit([fork(42, 40, T0 + 300)]);
    tree.write({ pid: 42, comm: 'make', ppid: 40, startTicks: (T0 + 300) / 10, cmdline: 'make\0-j2\0' });
    tree.write({ pid: 40, comm: 'make', ppid: 10, startTicks: (T0 + 100) / 10, cmdline: 'make\0-j2\0' });
    capture();
    await advance(200);
    source.emit([comm(42, T0 + 500, 'worker')]);
    capture();
    await advance(1500);
    capture();
    // make exits; its child 42 is handed to init.
    await advance(20);
    tree.drop(40);
    tree.write({ pid: 42, comm: 'worker', ppid: 1, startTicks: (T0 + 300) / 10, cmdline: 'make\0-j2\0' });
    source.emit([exit(40, T0 + 2020, { code: 0, parent: 10 })]);
    capture();
    await advance(1200);
    tree.write({ pid: 42, comm: 'sh', ppid: 1, startTicks: (T0 + 300) / 10, cmdline: 'sh\0-c\0true\0' });
    source.emit([exec(42, T0 + 3100, 'sh', ['sh', '-c', 'true'])]);
    capture();
    await advance(1000);
    capture();
    // An exec whose event was lost: the next refresh reads the new program from /proc.
    tree.write({ pid: 42, comm: 'late', ppid: 1, startTicks: (T0 + 300) / 10, cmdline: 'late\0--flag\0' });
    await advance(1000);
    await advance(1000);
    capture();
    recorder.flush();
    expect(failures).toEqual([]);
    const r = reader();
    for (const { atMs, tree: expected } of seen) {
      const instant = r.processesAt(Math.floor(atMs) + OFFSET);
      if (!instant.ok) throw new Error(`at ${atMs}: ${JSON.stringify(instant.error)}`);
      expect(flat(buildSnapshotTree(instant.value.processes)), `at T0+${atMs - T0}`).toEqual(expected);
    }
  });

  it('marks an end no exit event reported as inexact, and lists that process as endUncertain until then', async () => {
    const { source, recorder, advance, reader, failures } = await setUp();
    await advance(110);
    source.emit([fork(50, 10, T0 + 100), exec(50, T0 + 101, 'sleep', ['sleep', '5'])]);
    // It dies at once (/proc never lists it), and its exit event is lost: two refreshes in a row find
    // its stat gone (T0 + 1000, T0 + 2000), and the second one ends it.
    await advance(3000);
    // A control: its exit event arrives.
    source.emit([
      fork(51, 10, T0 + 3200),
      exec(51, T0 + 3201, 'true', ['true']),
      exit(51, T0 + 3250, { code: 0, parent: 10 }),
    ]);
    await advance(1000);
    recorder.flush();
    expect(failures).toEqual([]);
    const r = reader();
    const exits = r.exitsBetween(OFFSET + T0, OFFSET + T0 + 10_000);
    const lost = exits.find((e) => e.pid === 50);
    expect(lost?.exitExact).toBe(false);
    expect(lost?.exitMs).toBe(OFFSET + T0 + 2000);
    expect(exits.find((e) => e.pid === 51)).toMatchObject({ exitExact: true, exitMs: OFFSET + T0 + 3250 });
    const during = r.processesAt(OFFSET + T0 + 1500);
    if (!during.ok) throw new Error(JSON.stringify(during.error));
    expect(during.value.processes.map((p) => p.pid)).toContain(50);
    expect(during.value.endUncertain).toEqual([50]);
    const at51 = r.processesAt(OFFSET + T0 + 3220);
    if (!at51.ok) throw new Error(JSON.stringify(at51.error));
    expect(at51.value.processes.map((p) => p.pid)).toContain(51);
    expect(at51.value.endUncertain).not.toContain(51);
    const nodes = buildSnapshotTree(during.value.processes, new Set(during.value.endUncertain));
    const stack = [...nodes];
    const marked: number[] = [];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n.endUncertain === true) marked.push(n.pid);
      stack.push(...n.children);
    }
    expect(marked).toEqual([50]);
  });

  it('gives the by-command totals the engine gives for the same window', async () => {
    const { source, engine, recorder, advance, reader, clock } = await setUp();
    let t = T0;
    for (let i = 0; i < 30; i++) {
      const pid = 100 + i;
      t += 150;
      await advance(150);
      source.emit([
        fork(pid, 10, t - 100),
        exec(pid, t - 99, i % 3 === 0 ? 'flaky' : 'cc'),
        exit(pid, t - 60, i % 3 === 0 ? { code: 3, parent: 10 } : { parent: 10 }),
      ]);
    }
    const live = engine.exitsByCommand();
    const nowMs = clock.nowMs();
    recorder.flush();
    const r = reader();
    const session = present(r.sessions()[0], 'a recorded session');
    const untilMs = Math.floor(nowMs) + session.monoOffsetMs;
    const report = buildExitReport(
      r.exitsBetween(untilMs - 61_000, untilMs),
      { sinceMs: untilMs - 60_000, untilMs, monoOffsetMs: session.monoOffsetMs },
      [],
    );
    expect(live.length).toBeGreaterThan(0);
    expect(report.byCommand).toEqual(live);
    expect(report.crashLoops.map((l) => [l.command, l.failures, l.runs])).toEqual([['flaky', 10, 10]]);
  });

  it('replays: the engine over the recording gives the tree, the exits and the by-command view at its cursor', async () => {
    const { source, engine, recorder, advance, liveTree, reader, clock } = await setUp();
    const seen: { atMs: number; tree: ReturnType<typeof liveTree>; byCommand: unknown; exited: number }[] = [];
    let t = T0;
    for (let i = 0; i < 12; i++) {
      const pid = 200 + i;
      t += 500;
      await advance(500);
      source.emit([
        fork(pid, 10, t - 300),
        exec(pid, t - 299, i % 2 === 0 ? 'ok-job' : 'bad-job'),
        exit(pid, t - 200, i % 2 === 0 ? { parent: 10 } : { code: 9, parent: 10 }),
      ]);
      if (i % 4 === 3)
        seen.push({
          atMs: clock.nowMs(),
          tree: liveTree(),
          byCommand: engine.exitsByCommand(),
          exited: engine.exited.length,
        });
    }
    recorder.flush();
    const r = reader();
    const replay = new ReplayEngine(r);
    expect(replay.atMs).toBe(present(r.sessions()[0], 'a recorded session').endedMs);
    for (const { atMs, tree, byCommand } of seen) {
      replay.seek(Math.floor(atMs) + OFFSET);
      expect(flat(buildSnapshotTree(replay.processes.values()))).toEqual(tree);
      expect(replay.exitsByCommand()).toEqual(byCommand);
      expect(replay.childrenOf(10)).toEqual(expect.arrayContaining([11]));
    }
    // The cursor: steps, jumps, refuses a time outside the recording, rewinds; the viewer is told each time.
    let refreshes = 0;
    replay.onRefresh(() => refreshes++);
    const cursor = new ReplayCursor(replay, 1000);
    const start = replay.span.startMs;
    cursor.rewind();
    expect(replay.atMs).toBe(start);
    cursor.step(1);
    expect(replay.atMs).toBe(start + 1000);
    cursor.step(-1);
    cursor.step(-1);
    expect(replay.atMs).toBe(start);
    expect(cursor.jump('@1')).toMatch(/is outside the recording/);
    expect(cursor.jump(`@${replay.span.endMs}`)).toBeNull();
    expect(replay.atMs).toBe(replay.span.endMs);
    expect(cursor.label()).toMatch(/^replay \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · step 1\.000s · paused$/);
    expect(cursor.gap()).toBeNull();
    expect(refreshes).toBe(5);
  });

  it("marks a session its recorder never closed 'interrupted' when the next one opens the file", async () => {
    const { dir, engine, recorder } = await setUp();
    recorder.flush();
    // Killed: no close, the lock released by the kernel (here: the writer's own connections closed).
    (recorder as unknown as { writer: { close(): void } }).writer.close();
    const next = openForWriting(join(dir, 'rec.db'));
    if (!next.ok) throw new Error(next.error.kind);
    const again = new Recorder(
      next.value,
      { monoNowMs: () => 1, wallNowMs: () => 2, onFailed: () => undefined, readCgroup: () => null },
      { sampleMs: 1000, flushMs: 0, retention: { retainMs: null, maxBytes: null }, version: 'test' },
    );
    again.attach(engine, true);
    again.close();
    const db = openForReading(join(dir, 'rec.db'));
    if (!db.ok) throw new Error(db.error.kind);
    expect(db.value.prepare('SELECT stop_reason FROM session ORDER BY id').pluck().all()).toEqual([
      'interrupted',
      'stopped',
    ]);
    db.value.close();
  });
});
