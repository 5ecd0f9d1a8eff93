// Child process for benchmark 5, run inside a real pty: the real viewer (dist/ui/run-ui.js on the real
// engine and connector, wired as src/main.ts wires it) plus measurement main does not do. On SIGUSR1
// it appends one record per phase to the file named by CNTOP_BENCH_FRAMES and starts the next: the
// App's frame timings (order, compose, blessed render), each frame's CPU time, wait for a CPU and
// major page faults, the garbage collections, the phase's totals and the event-loop delay.
import { appendFileSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createProcessLifecycle } from '../../dist/cli/lifecycle.js';
import { startEngine } from '../../dist/core/engine.js';
import { createHealthMonitor } from '../../dist/native/health-runtime.js';
import { openKernelEventSource } from '../../dist/native/kernel-event-source.js';
import { loadAddon } from '../../dist/native/load-addon.js';
import { runUi } from '../../dist/ui/run-ui.js';

const framesPath = process.env.CNTOP_BENCH_FRAMES;
const refreshMs = Number(process.env.CNTOP_BENCH_REFRESH_MS ?? 1000);
const lifecycle = createProcessLifecycle();
lifecycle.install();
const source = openKernelEventSource();
if (source.ok) lifecycle.addCleanup(() => source.value.close());
const engine = await startEngine({ source, refreshMs });
lifecycle.addCleanup(() => engine.close());
const health = createHealthMonitor(engine);
lifecycle.addCleanup(() => health.close());
const app = runUi(
  engine,
  { color: true, ascii: false, refreshMs, health: () => health.report(), repair: () => health.repair() },
  lifecycle,
);

// Event-loop delay: a frame cannot start while a refresh tick or an event batch holds the thread, so
// the longest stall is what a user sees as a freeze, even when each frame itself is quick.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

// Per frame, the main thread's time on a CPU (the addon's CLOCK_THREAD_CPUTIME_ID: exact) and waiting
// for one (run_delay from /proc/<pid>/task/<pid>/schedstat, ns, added each time the thread gets a CPU):
// a frame's wall time is what the user sees, and on a machine a storm saturates part of it is the
// scheduler running someone else. schedstat's run time lags by up to a tick, so it serves only the
// totals per phase.
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const sched = () => readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
const addon = loadAddon();
const threadCpuMs = addon.ok ? () => addon.value.threadCpuMs() : () => Number.NaN;
// And the major page faults it took: a frame that touches code or data the kernel dropped from memory
// waits for the disk on the CPU clock's watch.
const TASK_STAT = `/proc/${process.pid}/task/${process.pid}/stat`;
const majorFaults = () => Number(readFileSync(TASK_STAT, 'utf8').split(') ')[1].split(' ')[9]);
const frameSched = [];
const drawFrame = app.drawFrame;
app.drawFrame = function measuredDrawFrame() {
  const [, wait0] = sched();
  const faults0 = majorFaults();
  const cpu0 = threadCpuMs();
  drawFrame.call(this);
  const cpu1 = threadCpuMs();
  const faults1 = majorFaults();
  const [, wait1] = sched();
  frameSched.push({ cpuMs: cpu1 - cpu0, waitMs: (wait1 - wait0) / 1e6, majorFaults: faults1 - faults0 });
};

// Garbage collections (start and duration on the frames' clock): a frame that overlaps one pays for it.
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ startMs: e.startTime, ms: e.duration, kind: e.detail?.kind ?? null });
}).observe({ entryTypes: ['gc'] });

const lastPhase = { run: 0, wait: 0, cpu: 0 };
process.on('SIGUSR1', () => {
  const phases = app.frameTimings.splice(0);
  const frames = phases.map((f) => f.totalMs);
  const gc = gcs.splice(0);
  const schedPerFrame = frameSched.splice(0);
  const [run, wait] = sched();
  const cpu = process.cpuUsage();
  const phase = {
    mainCpuMs: (run - lastPhase.run) / 1e6,
    mainWaitMs: (wait - lastPhase.wait) / 1e6,
    processCpuMs: (cpu.user + cpu.system - lastPhase.cpu) / 1e3,
  };
  Object.assign(lastPhase, { run, wait, cpu: cpu.user + cpu.system });
  const stallMs = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  loopDelay.reset();
  if (framesPath)
    appendFileSync(
      framesPath,
      `${JSON.stringify({ frames, phases, gc, sched: schedPerFrame, phase, stallMs, processes: engine.processes.size })}\n`,
    );
});
