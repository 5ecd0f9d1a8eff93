// Benchmark 1: a fork storm at the machine's maximum rate, watched at once by `cntop events --json` and
// by forkstat. cntop must lose no event of the storm, and spend no more CPU per event than forkstat.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT } from '../lib/build.mjs';
import { countStormEvents, forkstatTotal } from '../lib/event-count.mjs';
import { startCntopEvents, startForkstat, stopListener } from '../lib/listeners.mjs';
import { eventsPerChild, runStorm } from '../lib/load.mjs';
import { cpuSeconds } from '../lib/procstat.mjs';
import { row } from '../lib/table.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until no listener's output file has grown for quietMs (they have drained the storm). */
async function waitForDrain(listeners, quietMs = 700, maxMs = 15_000) {
  const size = () => listeners.map((l) => (existsSync(l.outPath) ? statSync(l.outPath).size : 0)).join();
  const deadline = Date.now() + maxMs;
  let last = size();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < quietMs) {
    await sleep(100);
    const now = size();
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
}

const perMillion = (cpuS, events) => (cpuS === null || !events ? null : (cpuS / events) * 1e6);

export async function forkStorm({ mode, durationS, forkstat }) {
  const bench = `1. fork storm (${mode === 'exec' ? 'fork+exec /bin/true' : 'fork+_exit'}, ${durationS} s)`;
  if (!existsSync(CLI)) return [row({ bench, metric: 'events lost', note: 'dist/main.js missing: build failed' })];
  const cntop = await startCntopEvents(join(OUT, `storm-${mode}-cntop.ndjson`));
  let fs = null;
  try {
    fs = forkstat ? await startForkstat(forkstat, join(OUT, `storm-${mode}-forkstat.txt`)) : null;
    const listeners = [cntop, fs].filter(Boolean);
    const before = listeners.map((l) => cpuSeconds(l.pid));
    const storm = await runStorm({ mode, durationS });
    await waitForDrain(listeners);
    const after = listeners.map((l) => cpuSeconds(l.pid));
    const cpu = listeners.map((_, i) => (before[i] === null || after[i] === null ? null : after[i] - before[i]));
    const fsText = fs ? await stopListener(fs) : '';
    await stopListener(cntop);
    const seen = await countStormEvents(cntop.outPath, storm.pid);
    return stormRows({ bench, mode, storm, seen, cntopCpu: cpu[0], fsCpu: fs ? cpu[1] : null, fsEvents: forkstatTotal(fsText), forkstat });
  } finally {
    await stopListener(cntop).catch(() => {});
    if (fs) await stopListener(fs).catch(() => {});
  }
}

function stormRows({ bench, mode, storm, seen, cntopCpu, fsCpu, fsEvents, forkstat }) {
  const generated = storm.children * eventsPerChild(mode);
  const kinds = mode === 'exec' ? ['fork', 'exec', 'exit'] : ['fork', 'exit'];
  const lost = kinds.map((k) => Math.max(0, storm.children - seen.storm[k]));
  const lostTotal = lost.reduce((a, b) => a + b, 0);
  const rows = [
    row({
      bench,
      metric: 'storm rate while both listen',
      unit: 'children/s',
      cntop: storm.childrenPerS,
      note: `${storm.children} children, ${generated} storm events (${Math.round(generated / storm.forkingS)}/s)`,
    }),
    row({
      bench,
      metric: 'storm events lost by cntop',
      cntop: lostTotal,
      target: '0',
      pass: lostTotal === 0,
      note: `seen ${kinds.map((k) => `${k} ${seen.storm[k]}/${storm.children}`).join(', ')}; ${seen.lines} NDJSON lines, ${seen.badLines} unparsable`,
    }),
    row({
      bench,
      metric: 'CPU per million storm events',
      unit: 's',
      cntop: perMillion(cntopCpu, generated),
      peer: forkstat ? perMillion(fsCpu, generated) : null,
      peerName: 'forkstat',
      target: '<= forkstat',
      note: forkstat
        ? `forkstat counted ${fsEvents ?? '?'} events in all (-S totals); cntop wrote ${seen.lines} lines`
        : 'forkstat not installed: no comparison',
    }),
  ];
  const cpuRow = rows[2];
  if (typeof cpuRow.cntop === 'number' && typeof cpuRow.peer === 'number') cpuRow.pass = cpuRow.cntop <= cpuRow.peer;
  return rows;
}
