// Child process for benchmarks 2 and 6: drives the real engine (dist/core/engine.js) with synthetic
// connector batches (no kernel) and prints one JSON line: events/s applied, or heap/RSS checkpoints
// over 1,000,000 events. Run with --expose-gc so that memory figures are taken after a full GC.
//   node --expose-gc bench/probes/model-probe.mjs throughput|memory
import { setImmediate as nextTurn } from 'node:timers/promises';
import { startEngine } from '../../dist/core/engine.js';
import { ProcessTable } from '../../dist/core/model/process-table.js';
import { lifecycleBatches, pushSource, simulatedClock } from './synthetic.mjs';

const BATCH_EVENTS = 256;
// Simulated arrival rate: the fork+_exit storm's event rate, so tombstones accumulate as in a real storm.
const SIM_EVENTS_PER_S = 23_000;
const MB = 1024 * 1024;

async function engineWithPushSource() {
  const clock = simulatedClock(Number(process.hrtime.bigint()) / 1e6);
  const push = pushSource();
  const engine = await startEngine({
    source: { ok: true, value: push.source },
    refreshMs: 1000,
    clock,
    driftCheckMs: 0,
  });
  /**
   * Pushes one batch, moves simulated time to its last event (firing due timers: ticks, sweeps), then
   * yields one event-loop turn, as the addon's batches arrive one macrotask each: the engine's sliced
   * refresh pass (setImmediate) must get its turns, or its sweep never comes.
   */
  const feed = async (batch) => {
    push.push(batch);
    clock.advance(Math.max(0, batch[batch.length - 1].timeMs - clock.nowMs()));
    await nextTurn();
  };
  return { engine, clock, feed };
}

const batchesFrom = (clock, totalEvents) =>
  lifecycleBatches({
    parentPid: process.pid,
    totalEvents,
    batchEvents: BATCH_EVENTS,
    eventsPerSecond: SIM_EVENTS_PER_S,
    startMs: clock.nowMs(),
  });

async function timed(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wallS, cpuS: (cpu.user + cpu.system) / 1e6 };
}

async function throughput(totalEvents) {
  const { engine, clock, feed } = await engineWithPushSource();
  for (const b of batchesFrom(clock, 30_000)) await feed(b); // warm-up: JIT, rings full
  const batches = [...batchesFrom(clock, totalEvents)];
  const viaEngine = await timed(async () => {
    for (const b of batches) await feed(b);
  });
  engine.close();
  // The table alone: the model's own cost, without the engine's /proc detail reads and listeners.
  const table = new ProcessTable({ tombstoneMs: 3000, exitedCapacity: 2000, userName: (uid) => String(uid) });
  let now = 0;
  const modelBatches = [
    ...lifecycleBatches({
      parentPid: 1,
      totalEvents,
      batchEvents: BATCH_EVENTS,
      eventsPerSecond: SIM_EVENTS_PER_S,
      startMs: 0,
    }),
  ];
  let lastSweep = 0;
  const modelOnly = await timed(() => {
    for (const b of modelBatches) {
      now = b[b.length - 1].timeMs;
      table.apply(b, now);
      // The engine sweeps tombstones once per refresh tick, not per batch.
      if (now - lastSweep >= 1000) [lastSweep] = [now, table.sweep(now)];
    }
  });
  // Per CPU-second as well as per wall second: on a shared machine the CPU figure is the stable one.
  return {
    events: totalEvents,
    engineEventsPerWallS: totalEvents / viaEngine.wallS,
    engineEventsPerCpuS: totalEvents / viaEngine.cpuS,
    modelEventsPerWallS: totalEvents / modelOnly.wallS,
    modelEventsPerCpuS: totalEvents / modelOnly.cpuS,
  };
}

function memoryNow() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / MB, rssMB: m.rss / MB };
}

async function memory(totalEvents) {
  const { engine, clock, feed } = await engineWithPushSource();
  const checkpoints = [{ events: 0, ...memoryNow() }];
  const marks = new Set([100_000, 250_000, 500_000, 750_000, totalEvents]);
  let fed = 0;
  for (const b of batchesFrom(clock, totalEvents)) {
    await feed(b);
    const before = fed;
    fed += b.length;
    for (const m of marks) if (before < m && fed >= m) checkpoints.push({ events: fed, ...memoryNow() });
  }
  const table = { processes: engine.processes.size, exited: engine.exited.length };
  engine.close();
  return { events: fed, gcExposed: typeof globalThis.gc === 'function', checkpoints, table };
}

const mode = process.argv[2];
const total = Number(process.argv[3] ?? (mode === 'memory' ? 1_000_000 : 600_000));
const result = mode === 'memory' ? await memory(total) : mode === 'throughput' ? await throughput(total) : null;
if (result === null) {
  process.stderr.write('usage: model-probe.mjs throughput|memory [events]\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
