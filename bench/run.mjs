#!/usr/bin/env node
// `npm run bench`: builds what the benchmarks need, runs them (cntop and, in the same run, forkstat and
// htop), prints one table with ratios and pass/fail, and saves it under bench/out/. Every child process
// it starts is stopped on every exit path. Flags: --quick (shorter windows), --only=0,1,3 (bench numbers).
// Issue 12's viewer targets: first frame <= 1.3x htop at the machine's own processes (7), <= htop at
// 10,000 extra (3); idle CPU <= 1.5x htop (7), <= 0.5x htop at 10,000 (4); RSS <= 75 MB at 10,000 (6).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCPrograms, buildTypeScript, ensureAddon, OUT } from './lib/build.mjs';
import { installCleanupHandlers, liveNames, stopAll } from './lib/children.mjs';
import { startIdleSwarm } from './lib/load.mjs';
import { ensurePeers } from './lib/peers.mjs';
import { processCount } from './lib/procstat.mjs';
import { renderNotes, renderTable, row } from './lib/table.mjs';
import { machineDescription } from './lib/machine.mjs';
import { stormRates } from './cases/storm-rates.mjs';
import { forkStorm } from './cases/fork-storm.mjs';
import { startup } from './cases/startup.mjs';
import { refreshCost } from './cases/refresh-cost.mjs';
import { modelMemory, modelThroughput } from './cases/model.mjs';
import { frameTime } from './cases/frame-time.mjs';
import { recorderBench } from './cases/recorder.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only =
  args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
    .map(Number) ?? null;
const wanted = (n) => only === null || only.includes(n);
const EXTRA = 10_000;
const WATCHDOG_MS = 12 * 60_000;

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

/** Runs one benchmark; a thrown error becomes a FAIL row that says what broke, and the run goes on. */
async function attempt(bench, fn) {
  const t0 = performance.now();
  log(`${bench} …`);
  try {
    const rows = await fn();
    log(`${bench} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return rows;
  } catch (e) {
    log(`${bench} failed: ${e.stack ?? e}`);
    return [row({ bench, metric: 'error', pass: false, note: String(e.message ?? e).split('\n')[0] })];
  }
}

function build() {
  const steps = [...buildCPrograms(), ensureAddon(), buildTypeScript()];
  for (const s of steps) log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.label}${s.ok ? '' : `\n${s.detail}`}`);
  if (!steps.slice(0, 2).every((s) => s.ok)) throw new Error('cannot build the load generators (is cc installed?)');
  return steps;
}

async function withSwarm(fn) {
  log(`starting ${EXTRA} idle processes`);
  const swarm = await startIdleSwarm(EXTRA);
  try {
    log(`${processCount()} processes in /proc`);
    return await fn();
  } finally {
    await swarm.stop();
  }
}

async function main() {
  installCleanupHandlers();
  const watchdog = setTimeout(async () => {
    log(`watchdog: run exceeded ${WATCHDOG_MS / 60_000} min; stopping ${liveNames().join(', ')}`);
    await stopAll();
    process.exit(3);
  }, WATCHDOG_MS);
  const started = new Date();
  build();
  const peers = ensurePeers();
  peers.notes.forEach((n) => log(n));
  const rows = [];
  let rates = null;
  if (wanted(0) || wanted(1) || wanted(2)) {
    rows.push(
      ...(await attempt('0. max fork rates', async () => {
        const r = await stormRates({ durationS: quick ? 2 : 3 });
        rates = r.rates;
        return r.rows;
      })),
    );
  }
  if (wanted(1)) {
    // fork+exec: all listeners at once, then each alone with the same generator (as people run cntop).
    rows.push(
      ...(await attempt('1. fork storm, exec', () =>
        forkStorm({ mode: 'exec', durationS: quick ? 4 : 10, forkstat: peers.forkstat, alone: true }),
      )),
    );
    rows.push(
      ...(await attempt('1. fork storm, exit', () =>
        forkStorm({ mode: 'exit', durationS: quick ? 3 : 5, forkstat: peers.forkstat }),
      )),
    );
  }
  if (wanted(2)) {
    // The 10x target is against benchmark 1's storm: fork+exec+exit, 3 events per child.
    const stormEventsPerS = rates ? rates.exec * 3 : null;
    rows.push(
      ...(await attempt('2. model throughput', () =>
        modelThroughput({ stormEventsPerS, stormLabel: 'the fork+exec storm', events: quick ? 200_000 : 600_000 }),
      )),
    );
  }
  if (wanted(6))
    rows.push(...(await attempt('6. memory over 1,000,000 events', () => modelMemory({ events: 1_000_000 }))));
  if (wanted(7)) {
    // Before the swarm: the machine's own processes only (~100 on the bench VM), as most people run it.
    const here = `${processCount()} processes in /proc`;
    rows.push(
      ...(await attempt('7. start-up, no extra processes', () =>
        startup({
          htop: peers.htop,
          repeats: quick ? 3 : 5,
          extraProcesses: 0,
          frameRatio: 1.3,
          bench: `7. start-up, no extra processes (${here})`,
        }),
      )),
    );
    rows.push(
      ...(await attempt('7. idle cost, no extra processes', () =>
        refreshCost({
          htop: peers.htop,
          windowS: quick ? 20 : 60,
          warmupS: 3,
          extraProcesses: 0,
          cpuRatio: 1.5,
          bench: `7. idle cost, no extra processes (${here}), 1 s interval`,
          memoryBench: `7. memory, no extra processes (${here})`,
        }),
      )),
    );
  }
  if (wanted(8))
    rows.push(
      ...(await attempt('8. recorder', () => recorderBench({ durationS: quick ? 4 : 10, idleMinutes: quick ? 1 : 3 }))),
    );
  if (wanted(3) || wanted(4) || wanted(5)) {
    const swarmRows = await attempt('10,000-process benchmarks', () =>
      withSwarm(async () => [
        ...(wanted(3)
          ? await attempt('3. start-up', () =>
              startup({ htop: peers.htop, repeats: quick ? 1 : 3, extraProcesses: EXTRA, frameRatio: 1 }),
            )
          : []),
        ...(wanted(4)
          ? await attempt('4. refresh cost', () =>
              refreshCost({
                htop: peers.htop,
                windowS: quick ? 10 : 30,
                warmupS: 3,
                extraProcesses: EXTRA,
                cpuRatio: 0.5,
                rssLimitMB: 75,
              }),
            )
          : []),
        ...(wanted(5)
          ? await attempt('5. frame time', () => frameTime({ phaseS: quick ? 3 : 5, extraProcesses: EXTRA }))
          : []),
      ]),
    );
    rows.push(...swarmRows);
  }
  clearTimeout(watchdog);
  report(rows, started, peers);
}

function report(rows, started, peers) {
  const table = renderTable(rows);
  const notes = renderNotes(rows);
  const passed = rows.filter((r) => r.pass === true).length;
  const failed = rows.filter((r) => r.pass === false).length;
  const summary = `${passed} targets met, ${failed} missed, ${rows.length - passed - failed} rows without a target`;
  const machine = machineDescription(started);
  process.stdout.write(`\n${machine}\n\n${table}\n\nNotes:\n${notes.join('\n')}\n\n${summary}\n`);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ machine, started, peers, rows }, null, 2));
  writeFileSync(
    join(OUT, 'results.md'),
    `${machine}\n\n${renderTable(rows, { markdown: true })}\n\n${notes.join('\n')}\n\n${summary}\n`,
  );
  log(`saved bench/out/results.json and bench/out/results.md`);
}

main()
  .catch(async (e) => {
    log(`aborted: ${e.stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    const left = liveNames();
    if (left.length > 0) log(`still running after cleanup: ${left.join(', ')}`);
  });
