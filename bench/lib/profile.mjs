// With BENCH_CPU_PROF=1, the bench's node probes (engine, UI) write V8 CPU profiles to
// bench/out/prof/<name>-*.cpuprofile, for finding where a missed target's time goes.
import { join } from 'node:path';
import { OUT } from './build.mjs';

export function profileFlags(name) {
  if (process.env.BENCH_CPU_PROF !== '1') return [];
  return ['--cpu-prof', `--cpu-prof-dir=${join(OUT, 'prof')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}
