// The connector against the real kernel: children with known exit codes and signals, a thread, a
// rename, a uid change, a new session and a tracer, each checked in the events we receive for it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWaitStatus } from '../../src/core/exit-status.js';
import type { EventBatch } from '../../src/core/event-source.js';
import type { ProcEvent, ProcEventKind } from '../../src/core/types.js';
import { loadAddon } from '../../src/native/load-addon.js';
import { openKernelEventSource, type KernelEventSource } from '../../src/native/kernel-event-source.js';
import { present } from '../helpers/present.js';

const received: ProcEvent[] = [];
const batches: EventBatch[] = [];
let source: KernelEventSource | null = null;
let skipReason: string | null = null;

beforeAll(async () => {
  const opened = openKernelEventSource();
  if (!opened.ok) {
    skipReason = `connector unavailable: ${JSON.stringify(opened.error)}`;
    return;
  }
  const started = await opened.value.start((batch) => {
    batches.push(batch);
    received.push(...batch.events);
  });
  if (!started.ok) skipReason = `connector failed to start: ${JSON.stringify(started.error)}`;
  else if (started.value.ack === null) skipReason = 'LISTEN was not acknowledged (listener gate closed?)';
  source = opened.value;
  if (skipReason !== null) console.warn(`connector-events: ${skipReason}`);
});
afterAll(() => source?.close());

type Of<K extends ProcEventKind> = Extract<ProcEvent, { kind: K }>;
const eventsOf = <K extends ProcEventKind>(kind: K, tgid: number): Of<K>[] =>
  received.filter((e): e is Of<K> => e.kind === kind && e.tgid === tgid);

async function waitUntil(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Runs a command to its end and waits until its exit event has arrived. */
async function run(
  command: string,
  args: string[],
  options: { cwd?: string; killWith?: NodeJS.Signals } = {},
): Promise<number> {
  const child = spawn(command, args, { stdio: 'ignore', ...(options.cwd ? { cwd: options.cwd } : {}) });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${command}`);
  const ended = new Promise((resolve) => child.on('exit', resolve));
  if (options.killWith) {
    await waitUntil(() => eventsOf('exec', pid).length > 0);
    child.kill(options.killWith);
  }
  await ended;
  await waitUntil(() => eventsOf('exit', pid).some((e) => e.pid === pid));
  return pid;
}

function exitOf(pid: number): Of<'exit'> {
  const exits = eventsOf('exit', pid).filter((e) => e.pid === pid);
  expect(exits).toHaveLength(1);
  return present(exits[0], `the exit event of ${pid}`);
}

/** The fork → exec → exit life of a child of this process, in kernel time order. */
function expectLifeOfChild(pid: number): void {
  const forks = eventsOf('fork', pid).filter((e) => e.pid === pid);
  expect(forks).toHaveLength(1);
  expect(forks[0]).toMatchObject({ parentTgid: process.pid });
  const execs = eventsOf('exec', pid);
  expect(execs.length).toBeGreaterThanOrEqual(1);
  const exit = exitOf(pid);
  const firstExec = present(execs[0], `an exec event of ${pid}`);
  expect(present(forks[0], `the fork event of ${pid}`).timeMs).toBeLessThanOrEqual(firstExec.timeMs);
  expect(firstExec.timeMs).toBeLessThanOrEqual(exit.timeMs);
  expect(exit.exitSignal).toBe(17 /* SIGCHLD */);
  // The kernel builds the exit event after it has notified the parent; when the parent reaps the child
  // first on the other CPU, pid_alive() is false and the parent fields stay 0 (measured on 6.18: about
  // 1 exit in 1,500-20,000 under storms, and once in this very test in CI). Any other parent is a bug.
  expect([process.pid, 0]).toContain(exit.parentTgid);
}

/** Why a core file cannot be written here, or null when `ulimit -c unlimited` plus a plain pattern allows it. */
function coreDumpObstacle(): string | null {
  const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  if (pattern.startsWith('|')) return `core_pattern pipes to a helper (${pattern}), whose verdict sets the core bit`;
  const hard = spawnSync('/bin/sh', ['-c', 'ulimit -H -c'], { encoding: 'utf8' }).stdout.trim();
  if (hard === '0') return 'the hard core-size limit is 0';
  return null;
}

describe('connector events (real kernel)', () => {
  it('exit codes 0 and 3: fork from this process, exec, exit with the code', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const zero = await run('/bin/sh', ['-c', 'exit 0']);
    const three = await run('/bin/sh', ['-c', 'exit 3']);
    expectLifeOfChild(zero);
    expectLifeOfChild(three);
    expect(decodeWaitStatus(exitOf(zero).exitCode)).toEqual({ code: 0, signal: null, coreDumped: false });
    expect(decodeWaitStatus(exitOf(three).exitCode)).toEqual({ code: 3, signal: null, coreDumped: false });
  });

  it('exec carries comm and cmdline read from /proc', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const pid = await run('sleep', ['0.2']);
    expectLifeOfChild(pid);
    expect(eventsOf('exec', pid)[0]).toMatchObject({ pid, comm: 'sleep', cmdline: ['sleep', '0.2'] });
  });

  it('SIGKILL: signal 9, no exit code', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const pid = await run('sleep', ['10'], { killWith: 'SIGKILL' });
    expectLifeOfChild(pid);
    expect(decodeWaitStatus(exitOf(pid).exitCode)).toEqual({ code: null, signal: 9, coreDumped: false });
  });

  it('SIGSEGV: a coredump event, signal 11, and the core bit when a core can be written', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cntop-core-'));
    try {
      const obstacle = coreDumpObstacle();
      const pid = await run('/bin/sh', ['-c', 'ulimit -c unlimited 2>/dev/null; kill -SEGV $$'], { cwd: dir });
      expectLifeOfChild(pid);
      expect(eventsOf('coredump', pid)).toMatchObject([{ pid, parentTgid: process.pid }]);
      const status = decodeWaitStatus(exitOf(pid).exitCode);
      expect(status).toMatchObject({ code: null, signal: 11 });
      if (obstacle === null) expect(status.coreDumped).toBe(true);
      else console.warn(`core bit not asserted: ${obstacle}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The kernel fills a fork's parent fields from task->real_parent, which for a CLONE_THREAD child is
  // the parent of the whole process, not the thread that called clone: parentTgid is our ppid.
  it('a thread is a fork with pid != tgid in this process (parent fields: our parent), and exits as a task', async ({
    skip,
  }) => {
    if (skipReason !== null) skip(skipReason);
    const worker = new Worker(
      "require('worker_threads').parentPort.postMessage(require('fs').readlinkSync('/proc/thread-self'))",
      {
        eval: true,
      },
    );
    const link = await new Promise<string>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    const tid = Number(link.split('/task/')[1]);
    expect(tid).not.toBe(process.pid);
    await waitUntil(() => received.some((e) => e.kind === 'exit' && e.pid === tid));
    expect(received.filter((e) => e.kind === 'fork' && e.pid === tid)).toMatchObject([
      { tgid: process.pid, parentTgid: process.ppid },
    ]);
    expect(received.filter((e) => e.kind === 'exit' && e.pid === tid)).toMatchObject([{ tgid: process.pid }]);
  });

  it('comm: a process renaming itself through /proc/self/comm', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const pid = await run('/bin/sh', ['-c', 'printf cntop-renamed > /proc/$$/comm']);
    expect(eventsOf('comm', pid)).toMatchObject([{ pid, comm: 'cntop-renamed' }]);
  });

  it('invalid UTF-8 in a command line or a new name arrives lossily decoded, not as a crash', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    if (!existsSync('/bin/bash')) skip('bash is not installed (needed for exec -a)');
    const pid = await run('/bin/bash', [
      '-c',
      'printf "r\\377n" > /proc/$$/comm; exec -a "$(printf "a\\377b")" sleep 0.2',
    ]);
    expect(eventsOf('comm', pid)).toMatchObject([{ comm: 'r\uFFFDn' }]);
    expect(eventsOf('exec', pid).at(-1)).toMatchObject({ cmdline: ['a\uFFFDb', '0.2'] });
  });

  it('uid and gid: setpriv to nobody', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    if (!existsSync('/usr/bin/setpriv')) skip('setpriv (util-linux) is not installed');
    if (process.getuid?.() !== 0) skip('changing uid needs root');
    const pid = await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/true']);
    expect(eventsOf('uid', pid)).toMatchObject([{ pid, ruid: 65534, euid: 65534 }]);
    expect(eventsOf('gid', pid)).toMatchObject([{ pid, rgid: 65534, egid: 65534 }]);
  });

  it('sid: setsid in a child that is not a group leader', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    if (!existsSync('/usr/bin/setsid')) skip('setsid (util-linux) is not installed');
    const pid = await run('/usr/bin/setsid', ['/bin/true']);
    expect(eventsOf('sid', pid)).toMatchObject([{ pid, tgid: pid }]);
  });

  it('ptrace: strace attaching to its child', async ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    if (!existsSync('/usr/bin/strace')) skip('strace is not installed');
    const tracer = await run('/usr/bin/strace', ['-o', '/dev/null', '/bin/true']);
    const attached = received.filter((e): e is Of<'ptrace'> => e.kind === 'ptrace' && e.tracerTgid === tracer);
    expect(attached.length).toBeGreaterThanOrEqual(1);
  });

  it('event times are on the monotonic clock the addon exports', ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const addon = loadAddon();
    if (!addon.ok) throw new Error('addon vanished');
    const now = addon.value.monotonicMs();
    expect(received.length).toBeGreaterThan(0);
    for (const event of received.slice(-50)) {
      expect(event.timeMs).toBeLessThanOrEqual(now);
      expect(event.timeMs).toBeGreaterThan(now - 120_000);
    }
  });

  it('nothing was lost or malformed on the way', ({ skip }) => {
    if (skipReason !== null) skip(skipReason);
    const stats = present(source, 'the event source').stats();
    expect(stats).toMatchObject({ overruns: 0, malformed: 0, listenSent: true });
    expect(batches.reduce((n, b) => n + b.overruns, 0)).toBe(0);
    expect(stats.eventsByKind.fork).toBeGreaterThan(0);
    // stats counts batches handed to the queue; a last one may still be on its way to the callback.
    expect(stats.batches).toBeGreaterThanOrEqual(batches.length);
    expect(stats.batches).toBeLessThanOrEqual(batches.length + 2);
  });
});
