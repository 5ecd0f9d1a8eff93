#!/usr/bin/env node
// Profiles cntop's viewer with V8's --cpu-prof in a real pty: `start` quits (SIGTERM) right after the
// first complete frame, `idle` stays up for --seconds (default 60) with a 1 s interval. Writes the
// .cpuprofile under bench/out/prof/ and prints where the time went (bench/lib/cpuprofile.mjs).
// Run it under the shared lock: flock /tmp/cntop-kernel.lock node bench/probes/viewer-profile.mjs idle
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT, ROOT } from '../lib/build.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { summarizeProfile } from '../lib/cpuprofile.mjs';
import { cpuSeconds } from '../lib/procstat.mjs';

const mode = process.argv[2] ?? 'start';
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 60);
const dir = join(OUT, 'prof');
mkdirSync(dir, { recursive: true });
const name = `viewer-${mode}-${Date.now()}.cpuprofile`;
installCleanupHandlers();
const screen = openPtyScreen(
  'cntop ui',
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, CLI, '-d', '10'],
  { cwd: ROOT, neverKill: true },
);
const frameMs = await screen.waitFor(cntopFrameComplete, 20_000);
process.stderr.write(`first complete frame after ${frameMs === null ? 'none' : Math.round(frameMs)} ms\n`);
if (mode === 'idle') {
  await new Promise((r) => setTimeout(r, 3000));
  const c0 = cpuSeconds(screen.pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c1 = cpuSeconds(screen.pid);
  const cpu = c0 === null || c1 === null ? null : ((c1 - c0) * 60) / seconds;
  process.stderr.write(`CPU ${cpu?.toFixed(2)} s per minute over ${seconds} s (with the profiler's own cost)\n`);
}
await screen.stop();
await stopAll();
if (!readdirSync(dir).includes(name)) throw new Error(`no profile written (${name})`);
process.stdout.write(`${join(dir, name)}\n${summarizeProfile(join(dir, name), { top: 25 })}\n`);
