// Issue 11's "Done when", tried as an htop user would (TERM=screen-256color and LANG=C.UTF-8, as in tmux)
// at 80x24, 120x40 and 200x50: the built cntop (dist/main.js) on the real kernel in a real pty, read
// through @xterm/headless. At each size, one cntop:
// - a uniquely named program that exits 3 shows its full name and `exit 3` on one line of the Exited tab;
// - a program started 100 times a second, each run burning 5 ms of CPU, shows in the Exited tab's
//   by-command view (G) at about 50% of one core; the figure, the driver's measured truth and its own
//   cost are printed;
// - k then Enter (the defect: the menu closed three times, no confirmation, no signal) asks for
//   confirmation each time, Enter as CR or as CR LF, and nothing is sent;
// - the Processes tab keeps the living on screen while a script spawns 200 short processes a second:
//   its long-lived children are on screen at every frame sampled, and its dead children fold.
// The workloads are this run's own programs, under names unique to the run.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../helpers/proc-alive.js';
import {
  buildSpawnLoad,
  copyAs,
  startDriver,
  startOrphanDriver,
  type DriverReport,
  type RunningDriver,
  type SpawnLoadPrograms,
} from '../helpers/spawn-load.js';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';

const ENTRY = path.join(REPO_ROOT, 'dist/main.js');
const SIZES = [
  [80, 24],
  [120, 40],
  [200, 50],
] as const;
const ENV = { TERM: 'screen-256color', LANG: 'C.UTF-8' };
const TAB = '\t';
const SHIFT_TAB = '\x1b[Z';
/** How long the by-command window must be before its CPU% is read: long enough that the start-up gap (exits before the LISTEN) is small. */
const WINDOW_S = 8;

// Lower case: the filter compares lower-cased text. 7 characters, so every name below stays within the
// 15 bytes the kernel keeps as comm.
const tag = `u${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'cntop-done-when-'));
const children: ChildProcess[] = [];
const drivers: RunningDriver[] = [];
const sessions: TerminalSession[] = [];
let programs: SpawnLoadPrograms | string = 'not built';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lines = (text: string): string[] => text.split('\n');
const lineWith = (text: string, needle: string): string | undefined => lines(text).find((l) => l.includes(needle));

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:ts first`);
  programs = buildSpawnLoad(dir);
  if (typeof programs === 'string') console.log(`issue 11 done-when: skipped, cannot build the workloads: ${programs}`);
});

afterAll(async () => {
  for (const s of sessions) await endGracefully(s);
  for (const d of drivers) await d.stop().catch(() => undefined);
  for (const child of children) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once cntop has written more output, parsed by the headless xterm: one frame (or part of one) later. */
async function nextOutput(s: TerminalSession, timeoutMs = 5000): Promise<void> {
  const seen = s.raw.length;
  const deadline = Date.now() + timeoutMs;
  while (s.raw.length === seen) {
    if (Date.now() > deadline) throw new Error(`no output for ${timeoutMs} ms; screen:\n${s.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await s.settle();
}

/** F4 opens the filter bar with the text for editing; Esc there clears the filter (htop). */
async function clearFilter(s: TerminalSession): Promise<void> {
  s.press(KEYS.f4);
  await s.waitFor('Filter: ');
  s.press(KEYS.escape);
  await s.waitFor((t) => !t.includes('Filter: '));
}

describe.each(SIZES)('issue 11 done when, at %ix%i (screen-256color, C.UTF-8)', { concurrent: false }, (cols, rows) => {
  const size = `${cols}x${rows}`;
  // 15 bytes, all of which the kernel keeps as comm: a program that exits at once is often gone before
  // its command line can be read (the exec event carries no name), and then its comm is all there is.
  const EXIT3 = `uniq-${randomBytes(5).toString('hex')}`;
  const BURN = `${tag}-burn${cols}`;
  const VICTIM = `${tag}-vic${cols}`;
  const STORM = `${tag}s${cols}`;
  const PARENT = `${STORM}-par`;
  // The first starts with the parent; the others a second into the storm, so that they sort (by PID) after
  // hundreds of dead siblings: unfolded, those would push them off the screen.
  const LIVING = [`${STORM}-a`, `${STORM}-b`, `${STORM}-c`] as const;
  const SHORT = `${STORM}-sh`;
  let skip: string | null = null;
  let cntop: TerminalSession;
  let burner: RunningDriver;
  let victim: ChildProcess;

  beforeAll(async () => {
    if (typeof programs === 'string') {
      skip = programs;
      return;
    }
    victim = spawn(copyAs('/bin/sleep', dir, VICTIM), ['600'], {
      argv0: VICTIM,
      cwd: dir,
      stdio: 'ignore',
      detached: true,
    });
    children.push(victim);
    // Running before cntop starts, so that it burns through the whole of cntop's by-command window.
    burner = startDriver(
      {
        driver: copyAs(programs.driver, dir, `${tag}-drv${cols}`),
        ratePerS: 100,
        seconds: 60,
        program: copyAs(programs.burn, dir, BURN),
        args: ['5'],
        report: path.join(dir, `burn-${size}.json`),
        cwd: dir,
      },
      children,
    );
    drivers.push(burner);
    cntop = startInTerminal(process.execPath, [ENTRY], { cols, rows, env: ENV });
    sessions.push(cntop);
    // Generous: start-up (a /proc scan, the LISTEN, the health probes, the first frame) on a loaded machine.
    await cntop.waitFor((t) => /^\s*1 \S+/m.test(t) && t.includes('F10Quit'), 15_000);
  });

  afterAll(async () => {
    if (skip === null) await endGracefully(cntop);
  });

  it('a uniquely named program that exits 3 shows its full name and `exit 3` on one line of the Exited tab', async (ctx) => {
    if (skip !== null) return ctx.skip(skip);
    const p = programs as SpawnLoadPrograms;
    const child = spawn(copyAs(p.exitThree, dir, EXIT3), [], { argv0: EXIT3, cwd: dir, stdio: 'ignore' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
    cntop.press(TAB);
    await cntop.waitFor('Exited:');
    cntop.press(KEYS.f4);
    cntop.press(EXIT3);
    cntop.press(KEYS.enter);
    // One screen line: the status, then the whole name as a word of its own (not cut, not the 15-byte comm).
    // Its command line (`uniq-…`), or when that was gone before cntop could read it, its comm (`[uniq-…]`).
    const row = new RegExp(`\\bexit 3\\b.* \\[?${escapeRegExp(EXIT3)}\\]?( |│|$)`, 'm');
    const text = await cntop.waitFor((t) => t.includes(`filter: ${EXIT3}`) && row.test(t));
    console.log(`[${size}] Exited tab: ${lines(text).find((l) => row.test(l)) ?? '(no single line matches)'}`);
    await clearFilter(cntop);
    await cntop.waitFor((t) => t.includes('Exited:') && !t.includes('filter:'));
  });

  it('a program started 100 times a second, 5 ms of CPU each, shows at about 50% of one core in the by-command view', async (ctx) => {
    if (skip !== null) return ctx.skip(skip);
    cntop.press('G');
    await cntop.waitFor('Exited by command');
    cntop.press(KEYS.f4);
    cntop.press(BURN);
    cntop.press(KEYS.enter);
    // COUNT FAILED EXITS/s CPU-s CPU% PEAK COMMAND, once the window (min(60 s, time since cntop started)) is WINDOW_S long.
    const rowRe = new RegExp(
      `(\\d+) +(\\d+) +([\\d.]+) +([\\d.]+) +([\\d.]+) +\\S+ +${escapeRegExp(BURN)}( |│|$)`,
      'm',
    );
    const windowOf = (t: string): number => Number(/Exited by command, last (\d+) s/.exec(t)?.[1] ?? 0);
    const text = await cntop.waitFor(
      (t) => t.includes(`filter: ${BURN}`) && windowOf(t) >= WINDOW_S && rowRe.test(t),
      (WINDOW_S + 10) * 1000,
    );
    const report = await burner.stop();
    const m = rowRe.exec(text) as RegExpExecArray;
    const [count, failed, perS, cpuS, cpuPercent] = [
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
    ];
    const truthPercent = (report.childCpuMs / report.elapsedMs) * 100;
    const runsPerS = (report.runs * 1000) / report.elapsedMs;
    const perRunMs = report.childCpuMs / report.runs;
    console.log(
      `[${size}] by command: ${BURN} ${cpuPercent}% of one core over ${windowOf(text)} s (${count} exits, ${perS}/s, ${cpuS} CPU-s, ${failed} failed); ` +
        `driver: ${report.runs} runs in ${(report.elapsedMs / 1000).toFixed(1)} s (${runsPerS.toFixed(1)}/s), children ${truthPercent.toFixed(1)}% of a core, ` +
        `${perRunMs.toFixed(2)} ms each, the driver itself ${((report.selfCpuMs / report.elapsedMs) * 100).toFixed(1)}%, late by up to ${report.lateMs} ms; ` +
        `cntop's CPU per exit ${((cpuS * 1000) / count).toFixed(2)} ms (exits without a CPU figure: about ${Math.max(0, 100 * (1 - (cpuS * 1000) / count / perRunMs)).toFixed(0)}%)`,
    );
    expect(failed).toBe(0);
    // Nominal 50% (getrusage says 5.2 ms a run, exec and loader included). cntop sums taskstats' utime +
    // stime, which a kernel with tick accounting (this one: HZ=250) samples in 4 ms ticks, about one per
    // run: 4.0-5.9 ms a run across this file's runs (40-59%), the low ones while other jobs kept both
    // cores busy (starts at random phases of the period read the same, so it is not the 10 ms schedule;
    // no record was lost). One 4 ms tick a run is 40%; the window also opens with the engine, a little
    // before its LISTEN (~2% of the exits). Hence 35-65.
    expect(cpuPercent).toBeGreaterThanOrEqual(35);
    expect(cpuPercent).toBeLessThanOrEqual(65);
    // And it is this workload that cntop counted: its exits per second are the driver's.
    expect(perS).toBeGreaterThan(0.85 * runsPerS);
    expect(perS).toBeLessThan(1.1 * runsPerS);
    await clearFilter(cntop);
    await cntop.waitFor((t) => t.includes('Exited by command') && !t.includes('filter:'));
    cntop.press('G');
    await cntop.waitFor('Exited:');
    cntop.press(SHIFT_TAB);
    await cntop.waitFor((t) => /PID.*Command/.test(t));
  });

  it('k then Enter asks for confirmation every time (Enter as CR, as CR LF) and sends nothing', async (ctx) => {
    if (skip !== null) return ctx.skip(skip);
    const pid = victim.pid as number;
    cntop.press(`/${VICTIM}`);
    await cntop.waitFor(`Search: ${VICTIM}_`);
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes('F10Quit') && !t.includes('Search:'));
    for (const enter of ['\r', '\r', '\r\n']) {
      cntop.press('k');
      await cntop.waitFor('Send signal');
      cntop.press(enter);
      const dialog = await cntop.waitFor((t) => t.includes('Send SIGTERM (15) to:') && t.includes(`${pid}  ${VICTIM}`));
      expect(dialog).not.toContain('Send signal');
      expect(alive(pid)).toBe(true);
      cntop.press(KEYS.escape);
      await cntop.waitFor((t) => !t.includes('Send SIGTERM') && t.includes('F10Quit'));
      expect(alive(pid)).toBe(true);
    }
  });

  it('the Processes tab keeps the living on screen while a script spawns 200 short processes a second', async (ctx) => {
    if (skip !== null) return ctx.skip(skip);
    const p = programs as SpawnLoadPrograms;
    for (const name of LIVING) copyAs('/bin/sleep', dir, name);
    copyAs(p.driver, dir, PARENT);
    copyAs('/bin/true', dir, SHORT);
    cntop.press(KEYS.f4);
    cntop.press(STORM);
    cntop.press(KEYS.enter);
    // The bar's `filter:` note is cut at 80 columns: wait for the list to show no process outside the filter's context.
    await cntop.waitFor((t) => !t.includes('Filter: ') && !lines(t).some((l) => l.includes(VICTIM)));
    const storm = startOrphanDriver({
      driver: `./${PARENT}`,
      ratePerS: 200,
      seconds: 6,
      program: `./${SHORT}`,
      live: [`./${LIVING[0]}`],
      liveLater: LIVING.slice(1).map((n) => `./${n}`),
      liveLaterMs: 1000,
      report: path.join(dir, `storm-${size}.json`),
      cwd: dir,
    });
    drivers.push(storm);
    const living = (t: string): boolean =>
      lineWith(t, PARENT) !== undefined && LIVING.every((n) => lineWith(t, `─ ${n} 600`) !== undefined);
    // The short ones' rows that show an exit (the EXIT column): beyond three under one parent they fold.
    // A run gone before cntop read its command line shows as its comm in brackets.
    const deadRow = new RegExp(` exit 0 .*─ \\[?${escapeRegExp(SHORT)}\\]?( |$)`);
    const deadRows = (t: string): number => lines(t).filter((l) => deadRow.test(l)).length;
    const fold = /… (\d+) more exited/;
    await cntop.waitFor((t) => living(t) && fold.test(t), 5000);
    const started = Date.now();
    let samples = 0;
    let torn = 0;
    let folded = 0;
    let maxFolded = 0;
    let shortRows = 0;
    while (Date.now() - started < 3000) {
      await nextOutput(cntop);
      let text = cntop.text();
      samples++;
      if (!living(text)) {
        // A frame can reach the terminal in more than one write: look again at the next output before
        // calling a row gone.
        torn++;
        await nextOutput(cntop);
        text = cntop.text();
        if (!living(text)) throw new Error(`a living process left the screen during the storm; screen:\n${text}`);
      }
      const m = fold.exec(text);
      if (m !== null) {
        folded++;
        maxFolded = Math.max(maxFolded, Number(m[1]));
      }
      shortRows = Math.max(shortRows, deadRows(text));
      if (deadRows(text) > 3) throw new Error(`more than three exited rows under one parent; screen:\n${text}`);
    }
    const report: DriverReport = await storm.stop();
    console.log(
      `[${size}] storm: ${report.runs} short processes in ${(report.elapsedMs / 1000).toFixed(1)} s (${((report.runs * 1000) / report.elapsedMs).toFixed(0)}/s); ` +
        `the living on screen at all ${samples} frames sampled over 3 s (${torn} torn, seen whole at the next output); the fold row in ${folded} (up to ${maxFolded} folded); at most ${shortRows} of their exited rows listed`,
    );
    expect(report.runs).toBeGreaterThan(400);
    expect(shortRows).toBeGreaterThan(0);
    expect(folded).toBeGreaterThan(samples / 2);
    await clearFilter(cntop);
    await cntop.waitFor((t) => !t.includes('filter:'));
  });

  it('q quits with exit code 0', async (ctx) => {
    if (skip !== null) return ctx.skip(skip);
    cntop.press('q');
    expect(await cntop.exitCode(10_000)).toBe(0);
  });
});
