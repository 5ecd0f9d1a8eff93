#!/usr/bin/env node
// Tuning aid (not a benchmark of record): how long blessed's Tput takes to set up the terminal's
// terminfo, the way the viewer's program creates it (TERM=xterm-256color, extended capabilities), in a
// fresh process each time, without and with the shortcuts of src/ui/blessed-terminfo.ts (from the tsc
// build, dist/ui/). Variants interleaved, N runs each (default 9); prints each variant's median.
// No kernel involved: no lock needed.  node bench/probes/terminfo-setup.mjs [N] [TERM]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ROOT } from '../lib/build.mjs';

const runs = Number(process.argv[2] ?? 9);
const terminal = process.argv[3] ?? 'xterm-256color';
const tputFile = createRequire(`${ROOT}/package.json`).resolve('blessed/lib/tput');
const child = (shortcuts) => `
  const { createRequire } = await import('node:module');
  const Tput = createRequire(${JSON.stringify(tputFile)})(${JSON.stringify(tputFile)});
  if (${shortcuts}) (await import(${JSON.stringify(`${ROOT}/dist/ui/blessed-terminfo.js`)})).installTerminfoShortcuts(Tput, ${JSON.stringify(tputFile)});
  console.error = () => undefined;
  const t0 = performance.now();
  new Tput({ terminal: ${JSON.stringify(terminal)}, extended: true });
  process.stdout.write(String(performance.now() - t0));`;
const times = { blessed: [], shortcuts: [] };
for (let i = 0; i < runs; i++)
  for (const variant of Object.keys(times))
    times[variant].push(
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', child(variant === 'shortcuts')], {
          encoding: 'utf8',
        }),
      ),
    );
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const [variant, xs] of Object.entries(times))
  process.stdout.write(
    `${variant}: new Tput median ${median(xs).toFixed(1)} ms of ${runs} [${xs.map((x) => x.toFixed(1)).join(', ')}]\n`,
  );
