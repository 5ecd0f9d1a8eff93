// A control for benchmark 5, not cntop: 4 ms of CPU every 30 ms (the shape of a viewer's frames under
// a storm), timed as the viewer's frames are: wall time per chunk, and how much of it the thread spent
// waiting for a CPU. Run in its own session (its own scheduler group, as the viewer in its pty) during
// the same storms, it shows what any frame of that cost gets on this machine at that moment.
// Usage: node cpu-control.mjs <seconds>; prints one JSON line { wallMs: [...], waitMs: [...] }.
import { readFileSync } from 'node:fs';
import { loadAddon } from '../../dist/native/load-addon.js';

const seconds = Number(process.argv[2] ?? 5);
const CHUNK_CPU_MS = 4;
const PERIOD_MS = 30;
const addon = loadAddon();
if (!addon.ok) throw new Error('cpu-control needs the addon (its thread CPU clock)');
const threadCpuMs = () => addon.value.threadCpuMs();
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const runDelayMs = () => Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[1]) / 1e6;

const wallMs = [];
const waitMs = [];
let sink = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const started = performance.now();
  const wait0 = runDelayMs();
  const cpu0 = threadCpuMs();
  while (threadCpuMs() - cpu0 < CHUNK_CPU_MS) {
    for (let i = 0; i < 2000; i++) sink = (sink * 31 + i) | 0;
  }
  waitMs.push(runDelayMs() - wait0);
  wallMs.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, PERIOD_MS - (performance.now() - started))));
}
process.stdout.write(`${JSON.stringify({ wallMs, waitMs, sink })}\n`);
