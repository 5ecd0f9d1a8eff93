#!/usr/bin/env node
// Tuning aid (not a benchmark of record): RSS over time of several builds of the viewer running at
// once with 10,000 extra sleeping processes (bench/native/idle-swarm.c), each in a 160x50 pty with a
// 1 s interval, so that the machine's background hits every one alike. Each argument is a
// dist/main.js. Prints VmRSS of each every --every seconds, then each one's mean and max after the
// first --settle seconds and its CPU seconds per minute over the whole window.
//   flock /tmp/cntop-kernel.lock node bench/probes/rss-side-by-side.mjs [--seconds=180] [--every=10] [--settle=30] DIST_MAIN...
import { readFileSync } from 'node:fs';
import { ROOT, buildCPrograms } from '../lib/build.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';
import { startIdleSwarm } from '../lib/load.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { cpuSeconds } from '../lib/procstat.mjs';

const arg = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const seconds = arg('seconds', 180);
const every = arg('every', 10);
const settle = arg('settle', 30);
const extra = arg('extra', 10_000);
const mains = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1]) / 1024;

installCleanupHandlers();
buildCPrograms();
const swarm = extra > 0 ? await startIdleSwarm(extra) : null;
const screens = [];
try {
  for (const main of mains) {
    const screen = openPtyScreen('cntop ui', process.execPath, [main, '-d', '10'], { cwd: ROOT, neverKill: true });
    screens.push(screen);
    await screen.waitFor(cntopFrameComplete, 60_000);
  }
  const cpu0 = screens.map((s) => cpuSeconds(s.pid));
  const samples = mains.map(() => []);
  process.stdout.write(`   s  ${mains.join('  ')}\n`);
  for (let t = 0; t <= seconds; t += every) {
    const row = screens.map((s) => rssMb(s.pid));
    row.forEach((v, i) => samples[i].push({ t, v }));
    process.stdout.write(`${String(t).padStart(4)}  ${row.map((v) => v.toFixed(1).padStart(6)).join('  ')}\n`);
    if (t + every <= seconds) await sleep(every * 1000);
  }
  mains.forEach((main, i) => {
    const late = samples[i].filter((s) => s.t >= settle).map((s) => s.v);
    const mean = late.reduce((a, v) => a + v, 0) / late.length;
    const cpu = ((cpuSeconds(screens[i].pid) - cpu0[i]) * 60) / seconds;
    process.stdout.write(
      `${main}: after ${settle} s mean ${mean.toFixed(1)} MB, max ${Math.max(...late).toFixed(1)} MB; ${cpu.toFixed(2)} CPU-s/min\n`,
    );
  });
} finally {
  for (const s of screens) await s.stop();
  await stopAll();
  await swarm?.stop();
}
