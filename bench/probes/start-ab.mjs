#!/usr/bin/env node
// Tuning aid (not a benchmark of record): launch -> first complete frame of several builds of cntop's
// viewer, interleaved run by run (A, B, A, B, ...) so that the shared machine's noise hits each alike,
// in a 160x50 pty with the machine's own processes. Each argument is a dist/main.js; prints each
// build's runs and median.
//   flock /tmp/cntop-kernel.lock node bench/probes/start-ab.mjs [--runs=9] DIST_MAIN...
import { timeToFirstFrame } from '../cases/startup.mjs';
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { cntopFrameComplete } from '../lib/frames.mjs';

installCleanupHandlers();
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 9);
const mains = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.floor((s.length - 1) / 2)];
};
const times = mains.map(() => []);
try {
  for (let i = 0; i < runs; i++)
    for (const [k, main] of mains.entries())
      times[k].push(await timeToFirstFrame('cntop ui', process.execPath, [main, '-d', '10'], cntopFrameComplete));
  for (const [k, main] of mains.entries())
    process.stdout.write(
      `${main}: median ${Math.round(median(times[k]))} ms of ${runs} [${times[k].map((t) => (t === null ? 'none' : Math.round(t))).join(', ')}]\n`,
    );
} finally {
  await stopAll();
}
