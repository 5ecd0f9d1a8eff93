// Benchmarks 2 and 6 (second half), without the kernel: synthetic fork/exec/exit batches through the
// real engine. Throughput must reach 10x the storm's event rate; after 1,000,000 events memory must
// have grown by less than 150 MB and must stop growing once the bounded rings are full.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/build.mjs';
import { runProbe } from '../lib/probe.mjs';
import { row } from '../lib/table.mjs';

const ENGINE = join(ROOT, 'dist', 'core', 'engine.js');
const missing = (bench) => [
  row({ bench, metric: 'not run', pass: false, note: 'dist/core/engine.js missing: the TypeScript build failed' }),
];

/** stormEventsPerS: the fork storm's event rate from benchmark 0/1 (the 10x target is relative to it). */
export async function modelThroughput({ stormEventsPerS, stormLabel, events }) {
  const bench = '2. model throughput (synthetic events, no kernel)';
  if (!existsSync(ENGINE)) return missing(bench);
  const r = await runProbe('model-probe.mjs', ['throughput', String(events)], { nodeFlags: ['--expose-gc'] });
  const target = stormEventsPerS ? 10 * stormEventsPerS : null;
  return [
    row({
      bench,
      metric: 'events applied per CPU-second (engine)',
      unit: 'ev/s',
      cntop: r.engineEventsPerCpuS,
      target: target
        ? `>= ${Math.round(target).toLocaleString('en-US')} (10x ${stormLabel})`
        : '10x storm (storm not measured)',
      pass: target ? r.engineEventsPerCpuS >= target : null,
      note: `${events} events in batches of 256; wall-clock ${Math.round(r.engineEventsPerWallS)} ev/s; ${target ? `${(r.engineEventsPerCpuS / stormEventsPerS).toFixed(1)}x the storm` : ''}`,
    }),
    row({
      bench,
      metric: 'events applied per CPU-second (table only)',
      unit: 'ev/s',
      cntop: r.modelEventsPerCpuS,
      target: 'reported',
      note: `ProcessTable.apply alone; wall-clock ${Math.round(r.modelEventsPerWallS)} ev/s`,
    }),
  ];
}

export async function modelMemory({ events }) {
  const bench = `6. memory, ${events.toLocaleString('en-US')} synthetic events`;
  if (!existsSync(ENGINE)) return missing(bench);
  const r = await runProbe('model-probe.mjs', ['memory', String(events)], { nodeFlags: ['--expose-gc'] });
  const first = r.checkpoints[0];
  const last = r.checkpoints[r.checkpoints.length - 1];
  // Rings (2,000 exited) and tombstones (3 s of exits) are full well before 250,000 events.
  const full = r.checkpoints.find((c) => c.events >= 250_000) ?? first;
  const peakRss = Math.max(...r.checkpoints.map((c) => c.rssMB));
  const heapAfterFull = last.heapMB - full.heapMB;
  return [
    row({
      bench,
      metric: 'RSS growth (peak over start)',
      unit: 'MB',
      cntop: peakRss - first.rssMB,
      target: '< 150',
      pass: peakRss - first.rssMB < 150,
      note: `RSS ${fmtSeries(r.checkpoints, 'rssMB')}; end: ${r.table.processes} rows (live + 3 s of tombstones), ${r.table.exited} in the exited ring`,
    }),
    row({
      bench,
      metric: 'heap growth once rings are full',
      unit: 'MB',
      cntop: heapAfterFull,
      target: '< 5 (no growth)',
      pass: heapAfterFull < 5,
      note: `heap after GC ${fmtSeries(r.checkpoints, 'heapMB')}${r.gcExposed ? '' : ' (gc not exposed: figures include garbage)'}`,
    }),
  ];
}

const fmtSeries = (cps, key) => cps.map((c) => `${Math.round(c.events / 1000)}k:${c[key].toFixed(1)}`).join(' ');
