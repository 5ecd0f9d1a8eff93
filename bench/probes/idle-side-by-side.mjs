#!/usr/bin/env node
// Tuning aid (not a benchmark of record): idle CPU of several viewers over the same window, all at
// once in 160x50 ptys with a 1 s interval, so that the machine's background (other people's builds:
// connector events for cntop) hits every one alike. Each argument is a dist/main.js to run as cntop;
// htop always runs beside them. Prints CPU seconds per minute and RSS of each.
//   flock /tmp/cntop-kernel.lock node bench/probes/idle-side-by-side.mjs [--seconds=30] [--extra=10000] DIST_MAIN...
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT } from '../lib/build.mjs';
import { buildCPrograms } from '../lib/build.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { startIdleSwarm } from '../lib/load.mjs';
import { cntopFrameComplete, htopFrameComplete, isolatedHome } from '../lib/frames.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { cpuSeconds, forksSinceBoot, rssBytes } from '../lib/procstat.mjs';

installCleanupHandlers();
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 30);
const extra = Number(process.argv.find((a) => a.startsWith('--extra='))?.slice(8) ?? 0);
const mains = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const home = join(OUT, 'htop-home');
mkdirSync(home, { recursive: true });
/** Bytes written so far (terminal output included), from /proc/<pid>/io. */
const wchar = (pid) => Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))?.[1] ?? NaN);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const running = [];
buildCPrograms();
const swarm = extra > 0 ? await startIdleSwarm(extra) : null;
try {
  running.push({
    who: 'htop',
    screen: openPtyScreen('htop', '/usr/bin/htop', ['-d', '10'], { env: isolatedHome(home), cwd: ROOT }),
  });
  await running[0].screen.waitFor(htopFrameComplete, 20_000);
  for (const main of mains) {
    const screen = openPtyScreen('cntop ui', process.execPath, [main, '-d', '10'], { cwd: ROOT, neverKill: true });
    running.push({ who: main, screen });
    await screen.waitFor(cntopFrameComplete, 20_000);
  }
  await sleep(3000);
  const before = running.map((r) => cpuSeconds(r.screen.pid));
  const written = running.map((r) => wchar(r.screen.pid));
  const forks0 = forksSinceBoot();
  await sleep(seconds * 1000);
  const forks1 = forksSinceBoot();
  running.forEach((r, i) => {
    const cpu = ((cpuSeconds(r.screen.pid) - before[i]) * 60) / seconds;
    process.stdout.write(
      `${r.who}: ${cpu.toFixed(2)} CPU-s/min, RSS ${(rssBytes(r.screen.pid) / 1048576).toFixed(1)} MB, ${((wchar(r.screen.pid) - written[i]) / seconds / 1024).toFixed(1)} KiB written/s\n`,
    );
  });
  process.stdout.write(`${forks1 - forks0} processes and threads created meanwhile (${seconds} s)\n`);
} finally {
  for (const r of running) await r.screen.stop();
  await stopAll();
  await swarm?.stop();
}
