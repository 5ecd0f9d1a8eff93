// Benchmark 5: frame time with 10,000 rows, in a real pty, while the user scrolls and then while a
// fork storm runs as well. Frame time is what the App records per frame (compose + blessed render);
// the ui-probe hands it over on SIGUSR1, one list per phase.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT } from '../lib/build.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';
import { spawnTracked } from '../lib/children.mjs';
import { runStorm } from '../lib/load.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { row } from '../lib/table.mjs';
import { profileFlags } from '../lib/profile.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PROBE = join(ROOT, 'bench', 'probes', 'ui-probe.mjs');
const CONTROL = join(ROOT, 'bench', 'probes', 'cpu-control.mjs');
const UI = join(ROOT, 'dist', 'ui', 'run-ui.js');
const DOWN = '\x1b[B';
// About a third of this machine's fork+_exit maximum (~9,000/s with nobody listening): a busy build
// server's rate, not a saturating storm.
const PACED_FORKS_PER_S = 3000;
const PAGE_DOWN = '\x1b[6~';
const PAGE_UP = '\x1b[5~';

/** Presses keys the way a user holding an arrow key and paging does, until `stop` is set. */
async function scroll(screen, state) {
  for (let i = 0; !state.stop; i++) {
    screen.write(i % 10 === 9 ? (Math.floor(i / 100) % 2 === 0 ? PAGE_DOWN : PAGE_UP) : DOWN);
    await sleep(30);
  }
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(frames) {
  const s = [...frames].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? null,
  };
}

async function collect(screen, framesPath, seen) {
  process.kill(screen.pid, 'SIGUSR1');
  for (let i = 0; i < 50; i++) {
    await sleep(50);
    const lines = existsSync(framesPath) ? readFileSync(framesPath, 'utf8').trim().split('\n').filter(Boolean) : [];
    if (lines.length > seen) return JSON.parse(lines[seen]);
  }
  throw new Error('the ui probe did not hand over its frame times');
}

export async function frameTime({ phaseS, extraProcesses }) {
  const bench = `5. frame time, ${extraProcesses.toLocaleString('en-US')} extra processes`;
  if (!existsSync(UI)) return [row({ bench, metric: 'not run', pass: false, note: 'dist/ui/run-ui.js missing' })];
  const framesPath = join(OUT, 'frames.ndjson');
  rmSync(framesPath, { force: true });
  const screen = openPtyScreen('cntop ui probe', process.execPath, [...profileFlags('ui'), PROBE], {
    cwd: ROOT,
    env: { CNTOP_BENCH_FRAMES: framesPath },
    neverKill: true,
  });
  try {
    if ((await screen.waitFor(cntopFrameComplete, 30_000)) === null) {
      const shown = screen
        .screenLines()
        .filter((l) => l.trim())
        .slice(0, 4)
        .join(' | ');
      throw new Error(`the viewer showed no complete frame within 30 s; screen: ${shown || '(empty)'}`);
    }
    await sleep(2000);
    await collect(screen, framesPath, 0); // discard start-up frames
    const state = { stop: false };
    let scrolling = scroll(screen, state);
    await sleep(phaseS * 1000);
    const scrolled = await collect(screen, framesPath, 1);
    // During each storm a control (not cntop: 4 ms of CPU every 30 ms, in its own session) is timed
    // alongside: what any frame of that cost gets from the machine at the same moment.
    const control = runControl(phaseS);
    const storm = await runStorm({ mode: 'exit', durationS: phaseS });
    const stormed = { ...(await collect(screen, framesPath, 2)), control: await control };
    // The full-speed storm saturates both cores, so part of each frame is spent waiting for one. The
    // same storm paced to a rate that leaves the machine some room shows cntop's own frame time.
    const pacedControl = runControl(phaseS);
    const paced = await runStorm({ mode: 'exit', durationS: phaseS, rate: PACED_FORKS_PER_S });
    const pacedFrames = { ...(await collect(screen, framesPath, 3)), control: await pacedControl };
    state.stop = true;
    await scrolling;
    const stormLabel = `while scrolling + fork storm (${Math.round(storm.childrenPerS)} forks/s)`;
    const pacedLabel = `while scrolling + paced fork storm (${Math.round(paced.childrenPerS)} forks/s)`;
    return [
      frameRow(bench, `while scrolling (${phaseS} s)`, summary(scrolled.frames), scrolled, phaseS),
      frameRow(bench, stormLabel, summary(stormed.frames), stormed, phaseS),
      cpuRow(bench, stormLabel, stormed),
      frameRow(bench, pacedLabel, summary(pacedFrames.frames), pacedFrames, phaseS),
      cpuRow(bench, pacedLabel, pacedFrames),
    ];
  } finally {
    await screen.stop();
  }
}

function frameRow(bench, metric, s, { processes, stallMs, control }, phaseS) {
  const c = control === undefined ? null : summary(control.wallMs);
  const controlNote =
    c === null
      ? ''
      : `; control (4 ms of CPU every 30 ms, own session, same moment): ${c.n} chunks, wall p50 ${fmt(c.p50)} p99 ${fmt(c.p99)} max ${fmt(c.max)} ms, waiting for a CPU p99 ${fmt(summary(control.waitMs).p99)} ms`;
  return row({
    bench,
    metric: `frame time p99, ${metric}`,
    unit: 'ms',
    cntop: s.p99,
    peer: c?.p99 ?? null,
    peerName: c === null ? '' : 'control',
    target: '< 16',
    pass: s.p99 === null ? false : s.p99 < 16,
    note: `${s.n} frames (${(s.n / phaseS).toFixed(1)}/s) over ${processes} rows; p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} max ${fmt(s.max)} ms; event-loop delay p99 ${fmt(stallMs.p99)} max ${fmt(stallMs.max)} ms${controlNote}`,
  });
}

/** Runs the control for `seconds` in its own session; resolves with its { wallMs, waitMs }. */
async function runControl(seconds) {
  const { child, exited } = spawnTracked('cpu control', process.execPath, [CONTROL, String(seconds)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errText = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (errText += d));
  const { code } = await exited;
  if (code !== 0) throw new Error(`cpu control exited ${code}: ${errText.trim()}`);
  return JSON.parse(out.trim());
}

/**
 * The same frames measured in the main thread's time on a CPU (schedstat): what cntop's own work costs
 * per frame, without the time the scheduler ran other tasks while a frame was in progress.
 */
function cpuRow(bench, metric, { sched, phase, gc }) {
  const s = summary(sched.map((f) => f.cpuMs));
  const waited = summary(sched.map((f) => f.waitMs));
  const gcMs = gc.reduce((sum, g) => sum + g.ms, 0);
  return row({
    bench,
    metric: `frame time p99 on the CPU (main thread), ${metric}`,
    unit: 'ms',
    cntop: s.p99,
    target: 'reported',
    note:
      `p50 ${fmt(s.p50)} max ${fmt(s.max)} ms on the CPU; waiting for a CPU inside a frame p50 ${fmt(waited.p50)} p99 ${fmt(waited.p99)} ms;` +
      ` over the phase the main thread ran ${fmt(phase.mainCpuMs)} ms and waited ${fmt(phase.mainWaitMs)} ms for a CPU, the whole viewer used ${fmt(phase.processCpuMs)} CPU-ms;` +
      ` ${gc.length} GCs, ${fmt(gcMs)} ms, longest ${fmt(Math.max(0, ...gc.map((g) => g.ms)))} ms`,
  });
}

const fmt = (x) => (x === null ? '-' : x.toFixed(1));
