#!/usr/bin/env node
// RSS of cntop's viewer over time with 10,000 extra sleeping processes (bench/native/idle-swarm.c),
// for issue 12's "at most 75 MB, flat over an hour": launches the built viewer (-d 10) in a 160x50
// pty, prints VmRSS and its anonymous/file split every --every seconds for --minutes, and the slope
// of a least-squares line through the samples after the first two minutes. --heap writes a V8 heap
// snapshot at the end (node --heapsnapshot-signal) under bench/out/prof/. Run it under the lock:
//   flock /tmp/cntop-kernel.lock node bench/probes/viewer-memory.mjs --minutes=15 [--extra=10000] [--heap] [--main=dist/main.js] [--node-flags=...]
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLI, OUT, ROOT, buildCPrograms } from '../lib/build.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';
import { startIdleSwarm } from '../lib/load.mjs';
import { processCount } from '../lib/procstat.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';

const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const minutes = Number(arg('minutes', 15));
const everyS = Number(arg('every', 30));
const extra = Number(arg('extra', 10_000));
const main = resolve(arg('main', CLI));
const heap = process.argv.includes('--heap');
/** Node options for the viewer, comma-separated (e.g. --node-flags=--max-semi-space-size=1). */
const nodeFlags = arg('node-flags', '').split(',').filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and its parts (RssAnon, RssFile), MB. */
function rss(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

installCleanupHandlers();
buildCPrograms();
const dir = join(OUT, 'prof');
mkdirSync(dir, { recursive: true });
const swarm = extra > 0 ? await startIdleSwarm(extra) : null;
try {
  process.stdout.write(`${processCount()} processes in /proc; ${main}\n`);
  const flags = [...nodeFlags, ...(heap ? [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${dir}`] : [])];
  const screen = openPtyScreen('cntop ui', process.execPath, [...flags, main, '-d', '10'], {
    cwd: ROOT,
    neverKill: true,
  });
  const frameMs = await screen.waitFor(cntopFrameComplete, 60_000);
  process.stdout.write(`first complete frame after ${frameMs === null ? 'none' : Math.round(frameMs)} ms\n`);
  const t0 = performance.now();
  const samples = [];
  for (;;) {
    const s = rss(screen.pid);
    const min = (performance.now() - t0) / 60_000;
    samples.push({ min, ...s });
    process.stdout.write(
      `${min.toFixed(1).padStart(5)} min  RSS ${s.rss.toFixed(1)} MB (anon ${s.anon.toFixed(1)}, file ${s.file.toFixed(1)})\n`,
    );
    if (min >= minutes) break;
    await sleep(everyS * 1000);
  }
  const late = samples.filter((s) => s.min >= 2);
  if (late.length >= 3) {
    const mx = late.reduce((a, s) => a + s.min, 0) / late.length;
    const my = late.reduce((a, s) => a + s.rss, 0) / late.length;
    const slope =
      late.reduce((a, s) => a + (s.min - mx) * (s.rss - my), 0) / late.reduce((a, s) => a + (s.min - mx) ** 2, 0);
    process.stdout.write(
      `after 2 min: mean ${my.toFixed(1)} MB, min ${Math.min(...late.map((s) => s.rss)).toFixed(1)}, max ${Math.max(...late.map((s) => s.rss)).toFixed(1)}; slope ${slope.toFixed(3)} MB/min (x60 = ${(slope * 60).toFixed(1)} MB/hour)\n`,
    );
  }
  if (heap) {
    const before = new Set(readdirSync(dir));
    process.kill(screen.pid, 'SIGUSR2');
    for (let i = 0; i < 60 && readdirSync(dir).every((f) => before.has(f) || !f.endsWith('.heapsnapshot')); i++)
      await sleep(1000);
    await sleep(3000);
    process.stdout.write(
      `heap snapshot: ${readdirSync(dir)
        .filter((f) => !before.has(f))
        .join(', ')}\n`,
    );
  }
  await screen.stop();
} finally {
  await stopAll();
  await swarm?.stop();
}
