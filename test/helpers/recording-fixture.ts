// A small recording for tests that need one without the kernel: the real engine over a fake event
// source and a fixture /proc, recorded by the real Recorder into a real SQLite file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import { ok } from '../../src/core/types.js';
import { openForWriting } from '../../src/record/open-db.js';
import { Recorder } from '../../src/record/recorder.js';
import { exec, exit, fork, makeProcTree, type FixtureProcess } from './builders.js';
import { FakeClock } from './fake-clock.js';
import { FakeEventSource } from './fake-event-source.js';

const UPTIME_S = 10_000;
const T0 = UPTIME_S * 1000;

const BASE: FixtureProcess[] = [
  { pid: 1, comm: 'init', ppid: 0, startTicks: 1, cmdline: '/sbin/init\0' },
  { pid: 10, comm: 'bash', ppid: 1, startTicks: 500, cmdline: 'bash\0' },
  { pid: 11, comm: 'sleep', ppid: 10, startTicks: 600, cmdline: 'sleep\x00600\x00' },
];

export interface RecordingFixture {
  /** Wall ms of the session's start and of its last commit. */
  readonly startMs: number;
  readonly endMs: number;
  /** When `make -j2` (pid 40) started and ended, wall ms. */
  readonly makeStartMs: number;
  readonly makeEndMs: number;
}

/** Records 6 s of a little machine into `path`: make (pid 40) runs from 2 s to 4 s, with a failing cc under it. */
export async function buildRecording(path: string, wallAtStartMs = Date.now() - 60_000): Promise<RecordingFixture> {
  const tree = makeProcTree(BASE, UPTIME_S);
  const clock = new FakeClock(T0);
  const offset = Math.round(wallAtStartMs - T0);
  const source = new FakeEventSource();
  const { engine, recorder } = await startRecordedEngine({
    path,
    tree,
    clock,
    source,
    wallOffsetMs: offset,
    onFailed: (message) => {
      throw new Error(message);
    },
  });
  const advance = async (ms: number): Promise<void> => {
    for (let left = ms; left > 0; left -= 500) {
      // /proc/uptime moves with the clock, or start ticks would map to a drifting boot time.
      writeFileSync(join(tree.root, 'uptime'), `${((clock.nowMs() + Math.min(500, left)) / 1000).toFixed(2)} 100.00\n`);
      clock.advance(Math.min(500, left));
      await engine.idle();
      recorder.flush();
    }
  };
  try {
    await advance(2100);
    source.emit([fork(40, 10, T0 + 2000), exec(40, T0 + 2001, 'make', ['make', '-j2'])]);
    tree.write({ pid: 40, comm: 'make', ppid: 10, startTicks: (T0 + 2000) / 10, cmdline: 'make\0-j2\0' });
    await advance(1000);
    source.emit([
      fork(41, 40, T0 + 3000),
      exec(41, T0 + 3001, 'cc', ['cc', '-c', 'broken.c']),
      exit(41, T0 + 3050, { code: 1, parent: 40 }),
    ]);
    await advance(1000);
    tree.drop(40);
    source.emit([exit(40, T0 + 4000, { code: 2, parent: 10 })]);
    await advance(2000);
  } finally {
    engine.close();
    recorder.close();
    tree.remove();
  }
  return {
    startMs: T0 + offset,
    endMs: Math.floor(clock.nowMs()) + offset,
    makeStartMs: T0 + 2000 + offset,
    makeEndMs: T0 + 4000 + offset,
  };
}

export interface RecordedEngineSetup {
  /** The SQLite file to record into. */
  readonly path: string;
  readonly tree: { readonly root: string };
  readonly clock: FakeClock;
  readonly source: FakeEventSource;
  /** wall ms = the clock's monotonic ms + this. */
  readonly wallOffsetMs: number;
  readonly onFailed: (message: string) => void;
}

/**
 * The real engine over a fake event source and a fixture /proc, recorded by the real Recorder into
 * `path` (samples every second, a commit on each flush() call, nothing retained away), as cntop
 * --record wires them.
 */
export async function startRecordedEngine(
  setup: RecordedEngineSetup,
): Promise<{ engine: EngineControl; recorder: Recorder }> {
  const { path, tree, clock, source } = setup;
  const writer = openForWriting(path);
  if (!writer.ok) throw new Error(`cannot open ${path}: ${JSON.stringify(writer.error)}`);
  const recorder = new Recorder(
    writer.value,
    {
      monoNowMs: () => clock.nowMs(),
      wallNowMs: () => clock.nowMs() + setup.wallOffsetMs,
      onFailed: (_reason, message) => {
        setup.onFailed(message);
      },
      readCgroup: () => '/test.slice',
    },
    { sampleMs: 1000, flushMs: 0, retention: { retainMs: null, maxBytes: null }, version: 'test' },
  );
  const engine = await startEngine({
    source: ok(source),
    procRoot: tree.root,
    refreshMs: 1000,
    clock,
    passwdPath: '/nonexistent/passwd',
    driftCheckMs: 0,
    maxTombstones: 0,
    onEvents: (events) => recorder.onEvents(events),
    onAccountedExits: (exits) => recorder.onAccountedExits(exits),
  });
  recorder.attach(engine, false);
  return { engine, recorder };
}
