// Multi-threaded processes on the real connector: threads are counted, not listed, and the process
// ends once, with the right status, whether the leader exits first (pthread_exit) or all at once.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import { ok } from '../../src/core/types.js';
import { openKernelEventSource } from '../../src/native/kernel-event-source.js';
import { waitFor } from '../helpers/wait-for.js';

// Other programs on this shared machine may end thousands of processes during a test: keep every
// exit listed and in the ring, so that only our own children's fate decides the outcome.
const ROOMY = { exitedCapacity: 100_000, maxTombstones: 100_000 };

// argv[1] = "leader-first": after 200 ms main calls pthread_exit, at 600 ms a worker calls exit(5).
// Otherwise: at 600 ms main's exit(3) takes every thread down at once (exit_group).
const PROGRAM = `
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void *worker(void *arg) { if (arg) { usleep(600000); exit(5); } for (;;) pause(); return 0; }
int main(int argc, char **argv) {
  int leaderFirst = argc > 1 && strcmp(argv[1], "leader-first") == 0;
  pthread_t t[3];
  for (int i = 0; i < 3; i++) pthread_create(&t[i], 0, worker, leaderFirst && i == 0 ? (void *)1 : 0);
  usleep(200000);
  if (leaderFirst) pthread_exit(0);
  usleep(400000);
  exit(3);
}
`;

const dir = mkdtempSync(join(tmpdir(), 'cntop-threads-'));
const binary = join(dir, 'threads');
writeFileSync(join(dir, 'threads.c'), PROGRAM);
const compiled = spawnSync('cc', ['-O2', '-pthread', '-o', binary, join(dir, 'threads.c')]);
const source = openKernelEventSource();
if (source.ok) source.value.close();
const skipReason = !source.ok
  ? `connector unavailable: ${source.error.kind}`
  : compiled.status !== 0
    ? 'no C compiler (cc) to build the threaded helper'
    : null;
if (skipReason !== null) console.warn(`engine-threads tests skipped: ${skipReason}`);

let engine: EngineControl | null = null;
afterEach(() => {
  engine?.close();
  engine = null;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skipReason !== null)('threads on the real connector', () => {
  it.each([
    ['leader-first', 5],
    ['all-at-once', 3],
  ])('%s: counts 4 tasks, lists none of the threads, ends once with exit %i', async (mode, code) => {
    const opened = openKernelEventSource();
    if (!opened.ok) throw new Error('connector vanished');
    // A long refresh: only events may move the model during this test.
    engine = await startEngine({ ...ROOMY, source: ok(opened.value), refreshMs: 60_000, driftCheckMs: 0 });
    const view = engine;
    const child = spawn(binary, [mode]);
    const pid = child.pid as number;
    await waitFor(() => view.processes.get(pid)?.threads === 4);
    const listed = [...view.processes.values()].filter(
      (p) => p.ppid === pid || (p.pid > pid && p.pid <= pid + 3 && p.comm === 'threads'),
    );
    expect(listed).toEqual([]);
    if (mode === 'leader-first') {
      // The leader is gone, the process is not: three tasks left.
      await waitFor(() => view.processes.get(pid)?.threads === 3);
      expect(view.processes.get(pid)?.exitMs).toBeNull();
    }
    await new Promise((resolve) => child.on('exit', resolve));
    await waitFor(() => view.processes.get(pid)?.exitMs != null);
    const entries = view.exited.filter((p) => p.pid === pid);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.status).toEqual({ code, signal: null, coreDumped: false });
    expect(entries[0]?.comm).toBe('threads');
  });
});
