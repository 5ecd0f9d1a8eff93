#!/usr/bin/env node
// Tuning aid (not a benchmark of record): where the viewer's resident memory is, by mapping, with
// 10,000 extra sleeping processes: launches a dist/main.js (-d 10) in a 160x50 pty, waits --seconds
// (default 60) after the first frame, and prints /proc/<pid>/smaps' resident memory grouped as the
// node binary, other files, the [heap] (glibc's main arena), and anonymous mappings by size.
//   flock /tmp/cntop-kernel.lock node bench/probes/viewer-smaps.mjs [--seconds=60] [--extra=10000] [DIST_MAIN]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI, ROOT, buildCPrograms } from '../lib/build.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';
import { startIdleSwarm } from '../lib/load.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';

const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const seconds = Number(arg('seconds', 60));
const extra = Number(arg('extra', 10_000));
const main = resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? CLI);

/** Resident kB per mapping: { name, sizeKb, rssKb }. */
function mappings(pid) {
  const out = [];
  let current = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { name: head[3] || '[anon]', sizeKb: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024, rssKb: 0 };
      out.push(current);
    } else if (current && line.startsWith('Rss:')) current.rssKb = Number(/(\d+)/.exec(line)[1]);
  }
  return out;
}

installCleanupHandlers();
buildCPrograms();
const swarm = extra > 0 ? await startIdleSwarm(extra) : null;
try {
  const screen = openPtyScreen('cntop ui', process.execPath, [main, '-d', '10'], { cwd: ROOT, neverKill: true });
  await screen.waitFor(cntopFrameComplete, 60_000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const maps = mappings(screen.pid);
  const groups = new Map();
  for (const m of maps) {
    const key =
      m.name === '[anon]'
        ? `[anon] ${m.sizeKb >= 1024 ? `${Math.round(m.sizeKb / 1024)} MB` : `${m.sizeKb} kB`} mappings`
        : m.name;
    const g = groups.get(key) ?? { rssKb: 0, count: 0 };
    g.rssKb += m.rssKb;
    g.count++;
    groups.set(key, g);
  }
  const total = maps.reduce((a, m) => a + m.rssKb, 0);
  process.stdout.write(`${main}: RSS ${(total / 1024).toFixed(1)} MB after ${seconds} s\n`);
  for (const [key, g] of [...groups].sort((a, b) => b[1].rssKb - a[1].rssKb).slice(0, 25))
    if (g.rssKb > 0) process.stdout.write(`${(g.rssKb / 1024).toFixed(1).padStart(7)} MB  ${g.count} x ${key}\n`);
  await screen.stop();
} finally {
  await stopAll();
  await swarm?.stop();
}
