// The engine on the real connector and the real /proc: the seed misses nothing born during it,
// events keep the model live between refreshes, and lost events trigger a counted resync.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import type { EventBatch, EventSource } from '../../src/core/event-source.js';
import { ok, type ExitedProcess, type ProcEvent } from '../../src/core/types.js';
import { openKernelEventSource, type KernelEventSource } from '../../src/native/kernel-event-source.js';
import { present } from '../helpers/present.js';
import { sleep, waitFor } from '../helpers/wait-for.js';

// Other programs on this shared machine may end thousands of processes during a test: keep every
// exit listed and in the ring, so that only our own children's fate decides the outcome.
const ROOMY = { exitedCapacity: 100_000, maxTombstones: 100_000 };

const probe = openKernelEventSource();
const skipReason = probe.ok ? null : `connector unavailable: ${JSON.stringify(probe.error)}`;
if (skipReason !== null) console.warn(`engine-netlink tests skipped: ${skipReason}`);
if (probe.ok) probe.value.close();

/** Wraps the real source so a test can act between LISTEN and the engine's scan. */
function withHook(source: KernelEventSource, afterListen: () => Promise<void>): EventSource {
  return {
    async start(onBatch: (batch: EventBatch) => void) {
      const started = await source.start(onBatch);
      if (started.ok) await afterListen();
      return started;
    },
    stats: () => source.stats(),
    close: () => source.close(),
  };
}

let engine: EngineControl | null = null;
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  engine?.close();
  engine = null;
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe.skipIf(skipReason !== null)('engine on the real connector', () => {
  it('misses no process born after LISTEN and before the scan, even one already gone', async () => {
    const opened = openKernelEventSource();
    if (!opened.ok) throw new Error('connector vanished');
    let shortPid = 0;
    let longPid = 0;
    const source = withHook(opened.value, async () => {
      shortPid = spawnSync('sh', ['-c', 'exit 7']).pid;
      const long = spawn('sleep', ['30']);
      children.push(long);
      longPid = long.pid as number;
      // Let the reader thread hand its batches over now, so they wait in the engine's buffer.
      await sleep(50);
    });
    engine = await startEngine({ ...ROOMY, source: ok(source), refreshMs: 60_000 });
    expect(engine.status.mode).toBe('netlink');
    const view = engine;
    // The short one never existed for the scan: only the buffered events can tell of it.
    await waitFor(() => view.exited.some((p) => p.pid === shortPid));
    const short = view.exited.find((p) => p.pid === shortPid);
    expect(short).toMatchObject({ ppid: process.pid, status: { code: 7, signal: null } });
    expect(['sh', '']).toContain(short?.comm); // '' when it was gone before its name could be read
    expect(view.processes.get(longPid)).toMatchObject({
      ppid: process.pid,
      comm: 'sleep',
      cmdline: ['sleep', '30'],
      exitMs: null,
    });
    expect(view.childrenOf(process.pid).filter((pid) => pid === longPid)).toHaveLength(1);
    expect(view.status.missedForks).toBe(0);
  });

  it('knows every child born after LISTEN while a loop spawns them throughout start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cntop-seed-'));
    const pidFile = join(dir, 'pids');
    writeFileSync(pidFile, '');
    // Children every millisecond or so, before, during and after the engine's subscribe-scan-replay.
    const script = `for i in $(seq 1 600); do /bin/sh -c 'exit 3' & echo $! >> ${pidFile}; wait; done`;
    const loop = spawn('/bin/bash', ['-c', script]);
    children.push(loop);
    await waitFor(() => readFileSync(pidFile, 'utf8').length > 0);
    const opened = openKernelEventSource();
    if (!opened.ok) throw new Error('connector vanished');
    let bornBeforeListen = -1;
    const source = withHook(opened.value, () => {
      // LISTEN is acknowledged: every child listed after this point was forked after it.
      bornBeforeListen = readFileSync(pidFile, 'utf8').trim().split('\n').length;
      return Promise.resolve();
    });
    engine = await startEngine({ ...ROOMY, source: ok(source), refreshMs: 60_000, driftCheckMs: 0 });
    const view = engine;
    await new Promise((resolve) => loop.on('exit', resolve));
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    rmSync(dir, { recursive: true, force: true });
    // The line being written at LISTEN time may belong to a child forked just before it: skip one.
    const watched = pids.slice(bornBeforeListen + 1);
    expect(watched.length).toBeGreaterThan(100);
    await waitFor(() => view.exited.some((p) => p.pid === watched[watched.length - 1]));
    const unknown = watched.filter(
      (pid) => !view.exited.some((p) => p.pid === pid && p.ppid === loop.pid && p.status.code === 3),
    );
    const about = (pid: number): unknown => ({
      pid,
      ring: view.exited.filter((p) => p.pid === pid),
      row: view.processes.get(pid),
    });
    expect(
      unknown,
      JSON.stringify({ loop: loop.pid, status: view.status, first: unknown.slice(0, 3).map(about) }),
    ).toEqual([]);
  });

  it('follows births and deaths from events alone, with exit codes and signals', async () => {
    const opened = openKernelEventSource();
    if (!opened.ok) throw new Error('connector vanished');
    engine = await startEngine({ ...ROOMY, source: ok(opened.value), refreshMs: 60_000, driftCheckMs: 0 });
    const view = engine;
    const long = spawn('sleep', ['30']);
    children.push(long);
    const longPid = long.pid as number;
    await waitFor(() => view.processes.get(longPid)?.comm === 'sleep');
    expect(view.processes.get(longPid)).toMatchObject({ ppid: process.pid, cmdline: ['sleep', '30'] });
    const coded = spawnSync('sh', ['-c', 'exit 42']).pid;
    const killed = spawnSync('sh', ['-c', 'kill -KILL $$']).pid;
    await waitFor(() => view.exited.some((p) => p.pid === killed));
    expect(view.exited.find((p) => p.pid === coded)).toMatchObject({
      ppid: process.pid,
      status: { code: 42, signal: null },
    });
    expect(view.exited.find((p) => p.pid === killed)).toMatchObject({
      ppid: process.pid,
      status: { code: null, signal: 9 },
    });
    for (const pid of [coded, killed]) expect(['sh', '']).toContain(view.exited.find((p) => p.pid === pid)?.comm);
    long.kill('SIGTERM');
    await waitFor(() => view.processes.get(longPid)?.exitMs != null);
    expect(view.processes.get(longPid)?.exitStatus).toEqual({ code: null, signal: 15, coreDumped: false });
    // The per-kind rates roll once a second: the second that held these exits counts at least them.
    await waitFor(() => view.status.eventRates.exit >= 1 && view.status.eventRates.fork >= 1);
  });

  it('keeps every one of 300 millisecond-long children in the exited ring, with its code', async () => {
    const opened = openKernelEventSource();
    if (!opened.ok) throw new Error('connector vanished');
    const forks: number[] = [];
    let loopPid = -1;
    const onEvents = (events: readonly ProcEvent[]): void => {
      for (const e of events) if (e.kind === 'fork' && e.parentTgid === loopPid && e.pid === e.tgid) forks.push(e.pid);
    };
    engine = await startEngine({ ...ROOMY, source: ok(opened.value), refreshMs: 1000, onEvents });
    const view = engine;
    const script = 'for i in $(seq 1 300); do /bin/sh -c "exit $((i % 200))"; done; exit 0';
    const loop = spawn('/bin/bash', ['-c', script]);
    loopPid = loop.pid as number;
    await new Promise((resolve) => loop.on('exit', resolve));
    await waitFor(() => view.exited.some((p) => p.pid === loopPid));
    const loopExit = present(
      view.exited.find((p) => p.pid === loopPid),
      'the loop in the exited ring',
    );
    // Its children lived within its life: on a machine forking fast enough to reuse pids, an earlier
    // or a later process with the loop's pid may have had children too.
    const ofLoop = (p: ExitedProcess): boolean =>
      p.ppid === loopPid && p.exitMs <= loopExit.exitMs && (loopExit.startMs === null || p.exitMs >= loopExit.startMs);
    // Arrival order across CPUs may differ by microseconds from exit order: sort by exit time.
    // bash's own $(seq …) child comes first; the rest are the 300 shells.
    const [seq, ...children] = view.exited.filter(ofLoop).sort((a, b) => a.exitMs - b.exitMs);
    const missing = forks.filter((pid) => !view.exited.some((p) => p.pid === pid && p.ppid === loopPid));
    const diagnosis = JSON.stringify({
      status: view.status,
      forks: forks.length,
      missing: missing.map((pid) => [pid, view.processes.get(pid), view.exited.filter((p) => p.pid === pid)]),
    });
    expect(
      children.map((p) => p.status.code),
      diagnosis,
    ).toEqual(Array.from({ length: 300 }, (_, i) => (i + 1) % 200));
    // seq, or a shell, may be gone before the reader thread reads its name ('') or its command line
    // (a zombie's is empty: null); what is read must be right, and never the parent's 'bash'.
    expect(['seq', '']).toContain(seq?.comm);
    expect(seq?.status.code).toBe(0);
    let namesRead = 0;
    let argumentsRead = 0;
    for (const [i, child] of children.entries()) {
      if (child.comm !== '') {
        namesRead++;
        expect(child.comm).toBe('sh');
      }
      if (child.cmdline !== null) {
        argumentsRead++;
        expect(child.cmdline).toEqual(['/bin/sh', '-c', `exit ${(i + 1) % 200}`]);
      }
      expect(child.lifetimeMs).toBeGreaterThan(0);
      expect(child.lifetimeMs).toBeLessThan(1000);
    }
    expect(view.status.missedForks + view.status.missedExits).toBe(0);
    console.info(
      `of 300 shells, the reader read ${namesRead} names and ${argumentsRead} command lines before they were gone`,
    );
    // The exec-time reads race the process's end, but most shells live long enough (here 190-225 of 300): if fewer than a third
    // are read, the reads are broken (and the checks above would have looked at too few to mean anything).
    expect(namesRead).toBeGreaterThanOrEqual(100);
    expect(argumentsRead).toBeGreaterThanOrEqual(100);
  });

  it('resyncs after the socket overflows (ENOBUFS while the reader is paused), and has the processes born during the loss', async () => {
    // A tiny receive buffer and a paused reader make the kernel drop events (ENOBUFS).
    const opened = openKernelEventSource({ rcvbufBytes: 4096 });
    if (!opened.ok) throw new Error('connector vanished');
    const source = opened.value;
    engine = await startEngine({
      ...ROOMY,
      source: ok(source),
      refreshMs: 60_000,
      driftCheckMs: 0,
      resyncDebounceMs: 50,
      graceMs: 100,
    });
    const view = engine;
    source.pauseReader(400);
    const survivors: number[] = [];
    for (let i = 0; i < 200; i++) spawnSync('true');
    for (let i = 0; i < 3; i++) {
      const child = spawn('sleep', ['30']);
      children.push(child);
      survivors.push(child.pid as number);
    }
    await waitFor(() => view.status.resyncs >= 1, 10_000);
    expect(view.status.connector?.overruns, 'the kernel really dropped events').toBeGreaterThan(0);
    expect(view.status.lastResyncMs).not.toBeNull();
    for (const pid of survivors)
      expect(view.processes.get(pid)).toMatchObject({ comm: 'sleep', exitMs: null, ppid: process.pid });
  });
});
