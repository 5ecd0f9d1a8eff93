// Every exit accounted for, on the real kernel, through `cntop events --json` as a user runs it:
// children with known behaviour (CPU-bound, a known allocation, three threads) and a real build (an
// autoconf configure and a parallel make). The kernel's own figure for the same children is
// getrusage(RUSAGE_CHILDREN) in their parent, test/integration/accounting/accounting_probe.c.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { missingBuild, startCntop, waitFor, waitUntilStreaming, type CntopRun } from './cli-harness.js';

const HERE = path.join(import.meta.dirname, 'accounting');
const work = mkdtempSync(path.join(tmpdir(), 'cntop-accounting-'));
const probe = path.join(work, 'accounting_probe');

const skipReason = missingBuild() ?? ensureDebianCommands({ cc: 'gcc', make: 'make' });
if (skipReason !== null) console.warn(`exit-accounting: skipped: ${skipReason}`);
const autoconfWhy = skipReason ?? ensureDebianCommands({ autoconf: 'autoconf' });
if (autoconfWhy !== null && skipReason === null)
  console.warn(`exit-accounting: the build test is skipped: ${autoconfWhy}`);

type Line = Record<string, unknown>;
let cntop: CntopRun | null = null;

/** Runs the probe and returns its pid and the kernel's RUSAGE_CHILDREN figure (ms) for it. */
function runProbe(...args: string[]): { pid: number; rusageMs: number; stdout: string } {
  const stdout = execFileSync(probe, args, { cwd: work, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  const [pid, ms] = (stdout.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { pid: pid as number, rusageMs: ms as number, stdout };
}

/** Pids of the processes below root (forks of processes, not threads), from cntop's own fork lines. */
function descendants(lines: readonly Line[], root: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const l of lines) {
    if (l['type'] !== 'fork' || l['pid'] !== l['tgid']) continue;
    const parent = l['parentTgid'] as number;
    children.set(parent, [...(children.get(parent) ?? []), l['pid'] as number]);
  }
  const found = new Set<number>();
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (found.has(pid)) continue;
    found.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Waits until every process below root has its exit line, and returns those lines. */
async function exitsBelow(root: number): Promise<Line[]> {
  const run = cntop as CntopRun;
  let exits: Line[] = [];
  await waitFor(
    () => {
      const lines = run.records();
      const below = descendants(lines, root);
      exits = lines.filter((l) => l['type'] === 'exit' && l['pid'] === l['tgid'] && below.has(l['pid'] as number));
      return below.size > 0 && exits.length === below.size;
    },
    10_000,
    `an exit line for every process below ${root}`,
  );
  return exits;
}

const cpuSum = (exits: readonly Line[]) => exits.reduce((sum, l) => sum + (l['cpuMs'] as number), 0);

/** Every exit has what the schema promises once taskstats is on. */
function expectAccounted(exits: readonly Line[]): void {
  for (const l of exits) {
    expect(typeof l['comm'] === 'string' && l['comm'] !== '', `a name for ${JSON.stringify(l)}`).toBe(true);
    expect(l['exitCode'] !== null || l['signal'] !== null, `a status for ${JSON.stringify(l)}`).toBe(true);
    expect(typeof l['cpuMs'], `cpuMs for ${JSON.stringify(l)}`).toBe('number');
    expect(l['peakRssKiB'] as number, `peakRssKiB for ${JSON.stringify(l)}`).toBeGreaterThan(0);
  }
}

beforeAll(async () => {
  if (skipReason !== null) return;
  execFileSync('cc', ['-O1', '-pthread', '-o', probe, path.join(HERE, 'accounting_probe.c')]);
  cntop = startCntop(['events', '--json']);
  await waitUntilStreaming(cntop);
}, 60_000);

afterAll(async () => {
  if (cntop !== null) {
    cntop.child.kill('SIGTERM');
    await cntop.exited;
  }
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)('exit accounting on the real kernel (cntop events --json)', () => {
  it('says taskstats is on: no warning on stderr', () => {
    expect((cntop as CntopRun).stderr()).toBe('');
  });

  // CPU is counted in whole ticks (4 ms at HZ=250), unbiased but coarse: one child's count is off by up
  // to a tick, so a sum of N children wanders by ~2 ms x sqrt(N). 300 children of 6 ms (1.8 s) keep that
  // near 2%, well inside the 10% asked; 100 of 3 ms wandered 8% (docs/ACCOUNTING.md).
  it('300 CPU-bound children of ~6 ms: each exit has name, status, cpuMs and peak RSS, and their CPU sums to getrusage within 10%', async () => {
    const { pid, rusageMs } = runProbe('burn', '300', '6');
    const exits = await exitsBelow(pid);
    expect(exits).toHaveLength(300);
    expectAccounted(exits);
    for (const l of exits) expect(l).toMatchObject({ comm: 'accounting_prob', exitCode: 0, signal: null }); // comm: 15 bytes
    const sum = cpuSum(exits);
    console.log(
      `300 children: cpuMs sum ${sum.toFixed(1)} ms, getrusage(RUSAGE_CHILDREN) ${rusageMs.toFixed(1)} ms (${((sum / rusageMs) * 100).toFixed(1)}%)`,
    );
    expect(Math.abs(sum - rusageMs) / rusageMs).toBeLessThan(0.1);
  });

  it('a child that wrote every page of 64 MiB has a peak RSS of at least 64 MiB', async () => {
    const { pid } = runProbe('touch', '64');
    const [exit] = await exitsBelow(pid);
    expect(exit?.['peakRssKiB'] as number).toBeGreaterThanOrEqual(64 * 1024);
    expect(exit?.['minorFaults'] as number).toBeGreaterThanOrEqual(16_384); // one per 4 KiB page written
  });

  it("a process with three spinning threads of ~150 ms each: its exit (status 5) carries the whole group's CPU, within 10% of getrusage", async () => {
    const { pid, rusageMs } = runProbe('threads', '3', '150');
    const [exit] = await exitsBelow(pid);
    expect(exit).toMatchObject({ exitCode: 5, signal: null, comm: 'accounting_prob' });
    const cpu = exit?.['cpuMs'] as number;
    console.log(`3 threads: cpuMs ${cpu.toFixed(1)} ms, getrusage ${rusageMs.toFixed(1)} ms`);
    expect(Math.abs(cpu - rusageMs) / rusageMs).toBeLessThan(0.1);
  });

  it.skipIf(autoconfWhy !== null)(
    'an autoconf configure and a parallel make: every exit has its name, status, cpuMs and peak RSS; a program that exits 3 shows exit 3 under its own name; the CPU sums to 60-110% of getrusage (teardown is not in the records)',
    async () => {
      const project = path.join(work, 'build-project');
      cpSync(path.join(HERE, 'build-project'), project, { recursive: true });
      execFileSync('autoconf', [], { cwd: project });
      const script = 'cd build-project && ./configure --quiet && make -j2 --no-print-directory';
      const { pid, rusageMs, stdout } = runProbe('run', 'sh', '-c', script);
      expect(stdout).toContain('status 0');
      const exits = await exitsBelow(pid);
      expectAccounted(exits);
      const byName = new Map<string, number>();
      for (const l of exits) byName.set(l['comm'] as string, (byName.get(l['comm'] as string) ?? 0) + 1);
      expect(exits.filter((l) => l['comm'] === 'fails3').map((l) => l['exitCode'])).toEqual([3]);
      expect(byName.get('cc1') ?? 0).toBeGreaterThanOrEqual(10); // 8 units, main.c, fails3.c, configure's tests
      const sum = cpuSum(exits);
      const failed = exits.filter((l) => l['exitCode'] !== 0).length;
      console.log(
        `build: ${exits.length} exits (${failed} non-zero, e.g. configure's failing probes), ${byName.size} names; ` +
          `cpuMs sum ${sum.toFixed(0)} ms, getrusage ${rusageMs.toFixed(0)} ms (${((sum / rusageMs) * 100).toFixed(1)}%)`,
      );
      // Not within 10%: the kernel builds each record before the exiting process frees its memory and files,
      // and that teardown is a large share of a short process's CPU (measured: 76-83% for this build of
      // ~460 mostly tiny processes, docs/ACCOUNTING.md). Below 60%, records or their ticks would be lost.
      expect(sum / rusageMs).toBeGreaterThan(0.6);
      expect(sum / rusageMs).toBeLessThan(1.1);
    },
  );
});
