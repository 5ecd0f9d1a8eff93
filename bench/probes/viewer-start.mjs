#!/usr/bin/env node
// Quick start-up check while tuning (not a benchmark of record): launch -> first complete frame of
// cntop's viewer and htop, interleaved, N times (default 7) each, with the machine's own processes.
// Prints each run's ms and the medians. Run it under the shared lock:
//   flock /tmp/cntop-kernel.lock node bench/probes/viewer-start.mjs [N]
import { installCleanupHandlers, stopAll } from '../lib/children.mjs';
import { startup } from '../cases/startup.mjs';

installCleanupHandlers();
const repeats = Number(process.argv[2] ?? 7);
try {
  const rows = await startup({
    htop: '/usr/bin/htop',
    repeats,
    extraProcesses: 0,
    frameRatio: 1.3,
    bench: 'viewer start-up',
  });
  for (const r of rows)
    process.stdout.write(
      `${r.metric}: cntop ${Math.round(r.cntop)} ms, htop ${r.peer === null || r.peer === undefined ? '-' : Math.round(r.peer)} ms; ${r.note}\n`,
    );
} finally {
  await stopAll();
}
