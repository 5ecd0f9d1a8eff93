// `cntop events --json` against the real kernel: a burst of ~300 processes living 1-5 ms, each one's
// fork, exec and exit reported with the status waitpid saw; one LISTEN and exactly one IGNORE.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ackMonitorForSuite } from '../helpers/ack-monitor-suite.js';
import { cntopCommand, cntopPid, missingBuild, REPO, startCntop, waitFor, waitUntilStreaming } from './cli-harness.js';
import { CONTROL } from '../helpers/terminal-text.js';

/** CNTOP_BURST widens the burst for a measurement run. */
const BURST = Number(process.env['CNTOP_BURST'] ?? 300) || 300;
const CONCURRENCY = 12;

interface Spawned {
  readonly pid: number;
  readonly kind: string;
  /** What waitpid said, via node's 'exit' event. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const SHAPES = [
  'sh -c exit N',
  'sh -c kill -SIG $$',
  'sh -c sleep; exit N',
  'sleep 0.00N',
  'sleep killed from outside',
];

/** Five shapes of short life; each ends within a few ms, some by exit code, some by signal. */
function recipe(i: number, marker: string): { argv: string[]; killOnSpawn: boolean; signal: NodeJS.Signals } {
  const ms = 1 + (i % 5);
  const signals: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGUSR1'];
  const signal = signals[i % 3] as NodeJS.Signals;
  switch (i % 5) {
    case 0:
      return { argv: ['sh', '-c', `exit ${(i * 7) % 256}`, marker], killOnSpawn: false, signal };
    case 1:
      return { argv: ['sh', '-c', `kill -${signal.slice(3)} $$`, marker], killOnSpawn: false, signal };
    case 2:
      return { argv: ['sh', '-c', `sleep 0.00${ms}; exit ${i % 100}`, marker], killOnSpawn: false, signal };
    case 3:
      return { argv: ['sleep', `0.00${ms}`], killOnSpawn: false, signal };
    default:
      // 'spawn' fires once exec has succeeded, so the exec event exists before the signal lands.
      return { argv: ['sleep', '5'], killOnSpawn: true, signal };
  }
}

function runOne(i: number, marker: string): Promise<Spawned> {
  const { argv, killOnSpawn, signal } = recipe(i, marker);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    child.on('error', reject);
    if (killOnSpawn) child.on('spawn', () => child.kill(signal));
    child.on('exit', (code, sig) =>
      resolve({ pid: child.pid as number, kind: SHAPES[i % 5] as string, code, signal: sig }),
    );
  });
}

async function burst(marker: string): Promise<Spawned[]> {
  const results: Spawned[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < BURST; i = next++) results.push(await runOne(i, marker));
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`cli-events tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('cntop events --json on the real kernel', () => {
  const monitor = ackMonitorForSuite();

  it('reports the fork, exec and exit of every one of ~300 short-lived processes, with the right status', async () => {
    const marker = `cntop-burst-${process.pid}-${Date.now()}`;
    const run = startCntop(['events', '--json']);
    await waitUntilStreaming(run);
    const pid = cntopPid(run.child.pid as number);
    const started = Date.now();
    const spawned = await burst(marker);
    const burstMs = Date.now() - started;

    const byPid = (type: string): Map<number, Record<string, unknown>[]> => {
      const map = new Map<number, Record<string, unknown>[]>();
      for (const r of run.records())
        if (r['type'] === type) map.set(r['pid'] as number, [...(map.get(r['pid'] as number) ?? []), r]);
      return map;
    };
    await waitFor(() => spawned.every((s) => byPid('exit').has(s.pid)), 10_000, 'every exit event');
    if (pid === null) throw new Error('could not find the pid of the cntop process');
    // To cntop itself, as Ctrl-C would reach it: under CNTOP_COMMAND="npx cntop", npm does not forward signals.
    process.kill(pid, 'SIGINT');
    const { code } = await run.exited;

    const forks = byPid('fork');
    const execs = byPid('exec');
    const exits = byPid('exit');
    let cmdlineRead = 0;
    for (const s of spawned) {
      const fork = forks.get(s.pid)?.[0];
      expect(fork, `fork of ${s.pid} (${s.kind})`).toMatchObject({ tgid: s.pid, parentTgid: process.pid });
      const execList = execs.get(s.pid) ?? [];
      expect(execList.length, `exec of ${s.pid} (${s.kind})`).toBeGreaterThan(0);
      const firstExec = execList[0] as Record<string, unknown>;
      if (firstExec['cmdline'] !== null) {
        cmdlineRead++;
        const args = firstExec['cmdline'] as string[];
        expect(args[0] === 'sleep' || args.includes(marker), `cmdline of ${s.pid}: ${JSON.stringify(args)}`).toBe(true);
      }
      const exit = exits.get(s.pid)?.at(-1);
      expect(exit, `exit of ${s.pid}`).toMatchObject({
        exitCode: s.code,
        signal: s.signal,
        coreDumped: false,
        ppid: process.pid,
      });
      expect(typeof exit?.['time']).toBe('string');
      const lifetime = exit?.['lifetimeMs'];
      expect(
        typeof lifetime === 'number' && lifetime > 0 && lifetime < 5000,
        `lifetime of ${s.pid}: ${String(lifetime)}`,
      ).toBe(true);
    }
    const signalled = spawned.filter((s) => s.signal !== null).length;
    const lifetimes = spawned.map((s) => exits.get(s.pid)?.at(-1)?.['lifetimeMs'] as number).sort((a, b) => a - b);
    const pick = (q: number): string =>
      (lifetimes[Math.min(lifetimes.length - 1, Math.floor(q * lifetimes.length))] ?? NaN).toFixed(2);
    const byKind = new Map<string, number[]>();
    for (const s of spawned)
      byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), exits.get(s.pid)?.at(-1)?.['lifetimeMs'] as number]);
    const kindMedians = [...byKind].map(
      ([kind, l]) => `${kind}: ${(l.sort((a, b) => a - b)[l.length >> 1] ?? NaN).toFixed(1)}`,
    );
    const generated = spawned.length;
    const reported = spawned.filter((s) => execs.has(s.pid) && exits.has(s.pid)).length;
    console.log(
      `burst via ${cntopCommand().join(' ')}: generated ${generated}, exec+exit reported ${reported}; ${spawned.length} processes in ${burstMs} ms (${signalled} killed by signals); ` +
        `fork/exec/exit reported for all; cmdline read for ${cmdlineRead}, already gone for ${spawned.length - cmdlineRead}; ` +
        `lifetimeMs min ${pick(0)} median ${pick(0.5)} p90 ${pick(0.9)} max ${pick(1)}; median by shape: ${kindMedians.join(', ')}`,
    );
    expect(code).toBe(0);
    expect(run.stderr()).toBe('');
    const acks = await monitor().waitFor(
      (all) => all.filter((a) => a.pid === pid && a.role === 'ignore').length >= 1,
      2000,
    );
    expect(acks).toBe(true);
    const roles = monitor()
      .from(pid)
      .map((a) => a.role);
    expect(roles.filter((r) => r === 'listen')).toHaveLength(1);
    expect(roles.filter((r) => r === 'ignore')).toHaveLength(1);
  });

  it('also reports a process born and gone during start-up, after LISTEN and before the seed scan ends', async () => {
    const run = startCntop(['events', '--json']);
    let pid: number | null = null;
    await waitFor(() => (pid ??= cntopPid(run.child.pid as number)) !== null, 10_000, 'the cntop process');
    const listened = await monitor().waitFor((acks) => acks.some((a) => a.pid === pid && a.role === 'listen'), 10_000);
    expect(listened).toBe(true);
    const early = spawnSync('sh', ['-c', 'exit 9']);
    const wroteBefore = run.stdout().length;
    await waitUntilStreaming(run);
    await waitFor(
      () => run.records().some((r) => r['type'] === 'exit' && r['pid'] === early.pid),
      5000,
      'the early exit',
    );
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(0);
    const mine = run.records().filter((r) => r['pid'] === early.pid);
    expect(mine.map((r) => r['type'])).toEqual(expect.arrayContaining(['fork', 'exec', 'exit']));
    expect(mine.find((r) => r['type'] === 'exit')).toMatchObject({ exitCode: 9, signal: null });
    console.log(`start-up: ${wroteBefore} bytes written when the early child ran (0 = still seeding)`);
  });

  it('escapes control characters in comm and cmdline as \\u sequences', async () => {
    const run = startCntop(['events', '--json']);
    await waitUntilStreaming(run);
    const hostile = 'x\u001b]0;pwned\u0007\u009b31m';
    // The argument stays in /proc/<pid>/cmdline while sleep runs, so the exec's cmdline carries it.
    const child = spawn('sleep', ['0.3', '0'], { argv0: hostile, stdio: 'ignore' });
    const childPid = child.pid as number;
    await waitFor(() => run.records().some((r) => r['type'] === 'exit' && r['pid'] === childPid), 5000, 'the exit');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const lines = run
      .stdout()
      .split('\n')
      .filter((l) => l.includes(`"pid":${childPid},`));
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    const exec = run.records().find((r) => r['type'] === 'exec' && r['pid'] === childPid);
    expect(exec?.['cmdline']).toEqual([hostile, '0.3', '0']);
    expect(lines.join('\n')).toContain('\\u001b]0;pwned\\u0007\\u009b31m');
  });

  // A new network namespace has no process connector (it exists only in the initial one).
  const netns = spawnSync('unshare', ['-n', process.execPath, '--version']);
  const netnsWhy =
    netns.error !== undefined || netns.status !== 0
      ? `unshare -n is not usable here: ${netns.error?.message ?? netns.stderr.toString()}`
      : null;
  if (netnsWhy !== null) console.warn(`cli-events: the network-namespace test is skipped: ${netnsWhy}`);
  it.skipIf(netnsWhy !== null)(
    'says why on stderr and exits 1 when the connector cannot listen (a network namespace without it)',
    async () => {
      const child = spawn('unshare', ['-n', ...cntopCommand(), 'events', '--json'], { cwd: REPO });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toMatch(/^cntop events: cannot stream events: .+\n/);
      expect(err).toContain('Polling /proc would miss');
    },
  );
});
