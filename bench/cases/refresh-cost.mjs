// Benchmark 4 (and the first half of 6; and 7 without extra processes): with 10,000 extra processes
// (or none) and a 1 s interval, the CPU seconds per minute that cntop's UI and htop spend while idle,
// measured side by side over the same window, and the RSS each holds at the end of it. cpuRatio and
// rssLimitMB are issue 12's targets (cntop <= cpuRatio x htop; RSS <= rssLimitMB).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT, ROOT } from '../lib/build.mjs';
import { cntopFrameComplete, htopFrameComplete, isolatedHome } from '../lib/frames.mjs';
import { openPtyScreen } from '../lib/pty-screen.mjs';
import { cpuSeconds, forksSinceBoot, rssBytes } from '../lib/procstat.mjs';
import { row } from '../lib/table.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;

async function openAndWait(name, command, args, isComplete, env) {
  const screen = openPtyScreen(name, command, args, { env, cwd: ROOT, neverKill: name.startsWith('cntop') });
  const ms = await screen.waitFor(isComplete, 20_000);
  return { screen, ms };
}

export async function refreshCost({
  htop,
  windowS,
  warmupS,
  extraProcesses,
  cpuRatio = 1,
  rssLimitMB = null,
  bench = `4. refresh cost, ${extraProcesses.toLocaleString('en-US')} extra processes, 1 s interval`,
  memoryBench = `6. memory, ${extraProcesses.toLocaleString('en-US')} extra processes`,
}) {
  const htopHome = join(OUT, 'htop-home');
  mkdirSync(htopHome, { recursive: true });
  const running = [];
  try {
    if (htop)
      running.push({
        who: 'htop',
        ...(await openAndWait('htop', htop, ['-d', '10'], htopFrameComplete, isolatedHome(htopHome))),
      });
    if (existsSync(CLI))
      running.push({
        who: 'cntop',
        ...(await openAndWait('cntop ui', process.execPath, [CLI, '-d', '10'], cntopFrameComplete, {})),
      });
    await sleep(warmupS * 1000);
    const before = running.map((r) => cpuSeconds(r.screen.pid));
    const forks0 = forksSinceBoot();
    await sleep(windowS * 1000);
    const after = running.map((r) => cpuSeconds(r.screen.pid));
    const forks1 = forksSinceBoot();
    // Not idle in the strict sense: every fork or thread on the machine is a connector event, and
    // cntop draws a frame for each batch of them (htop does not); the count says how busy it was.
    const forks = forks0 === null || forks1 === null ? null : forks1 - forks0;
    const perMin = (i) => (before[i] === null || after[i] === null ? null : ((after[i] - before[i]) * 60) / windowS);
    const figures = Object.fromEntries(
      running.map((r, i) => [r.who, { cpuPerMin: perMin(i), rss: rssBytes(r.screen.pid), framed: r.ms !== null }]),
    );
    return rowsFor({ bench, memoryBench, cpuRatio, rssLimitMB, forks }, figures, windowS, warmupS);
  } finally {
    for (const r of running) await r.screen.stop();
  }
}

function rowsFor({ bench, memoryBench, cpuRatio, rssLimitMB, forks }, f, windowS, warmupS) {
  const c = f.cntop;
  const h = f.htop;
  const cpuRow = row({
    bench,
    metric: 'CPU per minute',
    unit: 's',
    cntop: c?.cpuPerMin ?? null,
    peer: h?.cpuPerMin ?? null,
    peerName: 'htop',
    target: cpuRatio === 1 ? '<= htop' : `<= ${cpuRatio}x htop`,
    note: `measured over ${windowS} s after ${warmupS} s warm-up, both running at once${forks === null ? '' : `; ${forks} processes and threads created on the machine meanwhile`}${c && !c.framed ? '; cntop showed no complete frame' : ''}${c ? '' : '; cntop UI not built'}`,
  });
  if (typeof cpuRow.cntop === 'number' && typeof cpuRow.peer === 'number')
    cpuRow.pass = cpuRow.cntop <= cpuRatio * cpuRow.peer;
  const rssRow = row({
    bench: memoryBench,
    metric: 'RSS of the running viewer',
    unit: 'MB',
    cntop: c?.rss != null ? c.rss / MB : null,
    peer: h?.rss != null ? h.rss / MB : null,
    peerName: 'htop',
    target: rssLimitMB === null ? 'reported' : `<= ${rssLimitMB} MB`,
    note: 'VmRSS at the end of the refresh window',
  });
  if (rssLimitMB !== null && typeof rssRow.cntop === 'number') rssRow.pass = rssRow.cntop <= rssLimitMB;
  return [cpuRow, rssRow];
}
