// A lost exit event, on the real kernel: why record-done-when once found a `true` "recorded alive at T,
// not live". When the connector's socket overflows, the exit events in it are dropped; the engine
// learns of those ends only when its resync's /proc scan finds the processes gone, so the recording's
// end for them is the resync's time, up to seconds after they died. `snapshot --db --at T` for a T in
// between then listed them alive as if that were known.
//
// Here the loss is forced: a tiny receive buffer and a paused reader, a burst of processes that fills
// it, and sleepers that exit into the full buffer. The recording must say that their ends are late
// (end_exact = 0, a lossy coverage row over the span), and `snapshot --db --at T` must mark them
// ("endUncertain" in --json, a note on stderr) instead of claiming them alive; a process whose exit
// event did arrive keeps an exact end, unmarked.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import { ok, type Pid, type ProcEvent } from '../../src/core/types.js';
import { openKernelEventSource } from '../../src/native/kernel-event-source.js';
import { openForReading, openForWriting } from '../../src/record/open-db.js';
import { Recorder } from '../../src/record/recorder.js';
import { RecordingReader } from '../../src/record/recording-reader.js';
import { ReplayEngine } from '../../src/record/replay-engine.js';
import { cntopCommand, missingBuild, sleep, waitFor, withoutNpmNoise } from './cli-harness.js';
import { query } from './record-harness.js';

const probe = openKernelEventSource();
const skipWhy = missingBuild() ?? (probe.ok ? null : `connector unavailable: ${JSON.stringify(probe.error)}`);
if (probe.ok) probe.value.close();
if (skipWhy !== null) console.warn(`record-lost-exit skipped: ${skipWhy}`);

/** Sleepers whose exits fall inside the paused window. */
const SLEEPERS = 6;
/** Processes that fill the tiny buffer before the sleepers exit. */
const BURST = 300;

interface Node {
  pid: number;
  endUncertain?: boolean;
  children: Node[];
}

function flatten(roots: Node[]): Map<number, Node> {
  const out = new Map<number, Node>();
  const stack = [...roots];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    out.set(n.pid, n);
    stack.push(...n.children);
  }
  return out;
}

function cntop(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: withoutNpmNoise(result.stderr) };
}

/** Spawns `sleep seconds`; resolves with its pid and the wall time node saw it end (just after it did). */
function sleeper(seconds: string, children: ChildProcess[]): { pid: Pid; ended: Promise<number> } {
  const child = spawn('sleep', [seconds], { stdio: 'ignore' });
  children.push(child);
  return { pid: child.pid as Pid, ended: new Promise((resolve) => child.on('exit', () => resolve(Date.now()))) };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

describe.skipIf(skipWhy !== null)('a recorded process whose exit event was lost', () => {
  it('has an inexact end in the recording, and snapshot --db --at marks it instead of claiming it alive', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cntop-lostexit-'));
    const children: ChildProcess[] = [];
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));
    cleanup.push(() => children.forEach((c) => c.kill('SIGTERM')));
    const path = join(work, 'rec.db');
    const writer = openForWriting(path);
    if (!writer.ok) throw new Error(writer.error.kind);
    const monoNowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
    const failures: string[] = [];
    const recorder = new Recorder(
      writer.value,
      { monoNowMs, wallNowMs: () => Date.now(), onFailed: (_r, m) => failures.push(m) },
      { sampleMs: 1000, flushMs: 250, retention: { retainMs: null, maxBytes: null }, version: 'test' },
    );
    // A tiny receive buffer (the kernel rounds it up to a few KB): a paused reader overflows it at once.
    const opened = openKernelEventSource({ rcvbufBytes: 4096, taskstats: true });
    if (!opened.ok) throw new Error(`connector vanished: ${JSON.stringify(opened.error)}`);
    const source = opened.value;
    const exitsSeen = new Set<Pid>();
    let engine: EngineControl | null = await startEngine({
      source: ok(source),
      refreshMs: 1000,
      maxTombstones: 0,
      onEvents: (events: readonly ProcEvent[]) => {
        recorder.onEvents(events);
        for (const e of events) if (e.kind === 'exit' && e.pid === e.tgid) exitsSeen.add(e.pid);
      },
      onAccountedExits: (exits) => recorder.onAccountedExits(exits),
    });
    cleanup.push(() => engine?.close());
    cleanup.push(() => recorder.close());
    recorder.attach(engine, false);
    const view = engine;

    const doomed = Array.from({ length: SLEEPERS }, () => sleeper('1.5', children));
    await waitFor(
      () => doomed.every((s) => view.processes.get(s.pid)?.comm === 'sleep'),
      5000,
      'the sleepers in the model',
    );
    await sleep(300); // a flush: their lifetimes are on disk, alive
    source.pauseReader(30_000); // resumed below; the bound only guards against a hung test
    // Fills the buffer: from here on the kernel drops what it sends us, the sleepers' exits included.
    const burst = spawnSync('/bin/bash', ['-c', `for i in $(seq 1 ${BURST}); do /bin/true & done; wait`]);
    expect(burst.status).toBe(0);
    const diedMs = await Promise.all(doomed.map((s) => s.ended));
    source.pauseReader(0);
    // The overrun is read, the resync scans /proc and, after its grace, ends the sleepers it finds gone.
    await waitFor(() => view.status.resyncs > 0, 10_000, 'a resync after the overrun');
    await waitFor(
      () => doomed.every((s) => view.processes.get(s.pid)?.exitMs !== null),
      10_000,
      'the sleepers ended in the model',
    );
    // A process whose exit event does arrive: its end stays exact.
    const control = sleeper('0.6', children);
    const controlDiedMs = await control.ended;
    await waitFor(() => exitsSeen.has(control.pid), 5000, 'the control sleeper exit event');
    await sleep(600); // accounting wait and the next flush
    engine.close();
    engine = null;
    recorder.close();
    expect(failures).toEqual([]);
    expect(view.status.connector?.overruns ?? 0).toBeGreaterThan(0);

    const lost = doomed.filter((s) => !exitsSeen.has(s.pid));
    // The burst filled the buffer before the sleepers' exits (they came ~1 s later): all were dropped.
    expect(lost.length, 'sleepers whose exit event was dropped').toBe(SLEEPERS);

    interface Row {
      id: number;
      start_ms: number;
      end_ms: number | null;
      end_exact: number;
    }
    const rowOf = (pid: Pid, diedAt: number): Row => {
      const rows = query<Row>(
        path,
        'SELECT id, start_ms, end_ms, end_exact FROM process WHERE pid = ? AND start_ms <= ? ORDER BY start_ms DESC LIMIT 1',
        pid,
        diedAt,
      );
      const row = rows[0];
      if (row === undefined) throw new Error(`pid ${pid} is not in the recording`);
      return row;
    };

    for (const [i, s] of doomed.entries()) {
      const died = diedMs[i] as number;
      const row = rowOf(s.pid, died);
      // The bug's precondition: the recording ends it at the resync, well after it died.
      expect(row.end_ms, `pid ${s.pid} end`).not.toBeNull();
      expect(row.end_ms as number).toBeGreaterThan(died + 150);
      // The fix: the recording knows that this end is not the exit's time.
      expect(row.end_exact, `pid ${s.pid} end_exact`).toBe(0);
      // And it recorded the loss over the span in which it may have ended.
      const lossy = query<{ n: number }>(
        path,
        "SELECT count(*) AS n FROM coverage WHERE state = 'lossy' AND start_ms <= ? AND end_ms >= ?",
        row.end_ms,
        row.start_ms,
      )[0]?.n;
      expect(lossy, `a lossy coverage row over pid ${s.pid}'s life`).toBeGreaterThan(0);
    }

    // An instant after every sleeper died and before the recording ended them.
    const lastDied = Math.max(...diedMs);
    const firstEnd = Math.min(...doomed.map((s, i) => rowOf(s.pid, diedMs[i] as number).end_ms as number));
    expect(firstEnd).toBeGreaterThan(lastDied + 100);
    const atMs = Math.round((lastDied + 50 + firstEnd) / 2);
    const snap = cntop(['snapshot', '--db', path, '--at', `@${atMs}`, '--json']);
    expect(snap.status, snap.stderr).toBe(0);
    const listed = flatten(JSON.parse(snap.stdout) as Node[]);
    for (const s of doomed) {
      // Still listed (the recording cannot tell when it ended), but never as certainly alive.
      expect(listed.get(s.pid)?.endUncertain, `pid ${s.pid} at ${new Date(atMs).toISOString()}`).toBe(true);
    }
    expect(snap.stderr).toMatch(/may have ended before .*exit events were lost/);
    const certain = [...listed.values()].filter((n) => n.endUncertain !== true).map((n) => n.pid);
    for (const s of doomed) expect(certain).not.toContain(s.pid);

    // The replaying engine says so too: as many missed exits at the cursor as processes marked.
    const db = openForReading(path);
    if (!db.ok) throw new Error(db.error.kind);
    try {
      const replay = new ReplayEngine(new RecordingReader(db.value), atMs);
      expect(replay.status.missedExits).toBe([...listed.values()].filter((n) => n.endUncertain === true).length);
      for (const s of doomed) expect(replay.processes.has(s.pid)).toBe(true);
    } finally {
      db.value.close();
    }

    // The control: its exit event arrived, so its end is exact and mid-life it is listed, unmarked.
    const controlRow = rowOf(control.pid, controlDiedMs);
    expect(controlRow.end_exact).toBe(1);
    expect(Math.abs((controlRow.end_ms as number) - controlDiedMs)).toBeLessThan(150);
    const mid = Math.round((controlRow.start_ms + (controlRow.end_ms as number)) / 2);
    const midSnap = cntop(['snapshot', '--db', path, '--at', `@${mid}`, '--json']);
    expect(midSnap.status, midSnap.stderr).toBe(0);
    const controlNode = flatten(JSON.parse(midSnap.stdout) as Node[]).get(control.pid);
    expect(controlNode).toBeDefined();
    expect(controlNode?.endUncertain).toBeUndefined();
  });
});
