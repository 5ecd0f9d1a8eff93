// Child process for benchmark 5, run inside a real pty: the real viewer (dist/ui/run-ui.js on the real
// engine and connector, wired as src/main.ts wires it) plus one thing main does not do: on SIGUSR1 it
// appends the App's frame times (compose + blessed render, ms, as app.ts records them) and the
// event-loop delay to the file named by CNTOP_BENCH_FRAMES and clears them: one record per phase.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createProcessLifecycle } from '../../dist/cli/lifecycle.js';
import { startEngine } from '../../dist/core/engine.js';
import { createHealthMonitor } from '../../dist/native/health-runtime.js';
import { openKernelEventSource } from '../../dist/native/kernel-event-source.js';
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

process.on('SIGUSR1', () => {
  const frames = app.frameTimesMs.splice(0);
  const stallMs = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  loopDelay.reset();
  if (framesPath) appendFileSync(framesPath, `${JSON.stringify({ frames, stallMs, processes: engine.processes.size })}\n`);
});
