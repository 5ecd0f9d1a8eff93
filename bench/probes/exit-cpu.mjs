// How well the kernel's taskstats records account for the CPU of exited processes: runs the accounting
// probe (test/integration/accounting/accounting_probe.c) under a connector with taskstats on, and compares
// the records' two CPU figures, summed over the probe's descendants, with getrusage(RUSAGE_CHILDREN):
//   runtime: cpu_run_virtual_total (the scheduler's sum_exec_runtime when the record was built)
//   ticks:   ac_utime + ac_stime (whole ticks charged as they struck the task)
// Usage (root, addon built): node bench/probes/exit-cpu.mjs burn 100 4.5   (100 children of ~4.5 ms)
//                            node bench/probes/exit-cpu.mjs run sh -c 'make -j2'
// Method and figures: docs/ACCOUNTING.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const addon = createRequire(import.meta.url)(path.join(repo, 'build/Release/cntop_connector.node'));
const probe = path.join(mkdtempSync(path.join(tmpdir(), 'cntop-exit-cpu-')), 'accounting_probe');
execFileSync('cc', ['-O1', '-pthread', '-o', probe, path.join(repo, 'test/integration/accounting/accounting_probe.c')]);

const connector = new addon.Connector({
  rcvbufBytes: 32 << 20,
  readExecInfo: false,
  dropKinds: [],
  maxBatchEvents: 512,
  maxBatchMs: 10,
  ackCookie: ((process.pid << 8) | 0x10) >>> 0,
  ackWaitMs: 250,
  taskstats: true,
});
const events = [];
const records = [];
const started = connector.start((batch) => {
  events.push(...batch.events);
  records.push(...batch.records);
});
if (!started.ok || started.taskstats?.ok !== true) throw new Error(`cannot listen: ${JSON.stringify(started)}`);

const out = execFileSync(probe, process.argv.slice(2), { encoding: 'utf8', maxBuffer: 64 << 20 });
const [pid, rusageMs] = out.trim().split('\n').at(-1).split(' ').map(Number);
await new Promise((resolve) => setTimeout(resolve, 300)); // the last records are a batch away
connector.close();

const children = new Map();
for (const e of events)
  if (e.kind === 'fork' && e.pid === e.tgid) children.set(e.parentTgid, [...(children.get(e.parentTgid) ?? []), e.pid]);
const below = new Set();
for (const stack = [...(children.get(pid) ?? [])]; stack.length > 0;) {
  const p = stack.pop();
  if (!below.has(p)) (stack.push(...(children.get(p) ?? [])), below.add(p));
}
let runtime = 0;
let ticks = 0;
let counted = 0;
for (const r of records) {
  const group = r.kind === 'pid' ? (r.tgid ?? r.pid) : r.tgid;
  if (r.kind !== 'pid' || !below.has(group)) continue; // every task's own record, threads included
  counted++;
  runtime += r.cpuRunNs / 1e6;
  ticks += (r.utimeUs + r.stimeUs) / 1000;
}
const pct = (ms) => `${((ms / rusageMs) * 100).toFixed(1)}%`;
console.log(`${below.size} processes, ${counted} task records; getrusage(RUSAGE_CHILDREN) ${rusageMs.toFixed(1)} ms`);
console.log(`  runtime (cpu_run_virtual_total): ${runtime.toFixed(1)} ms = ${pct(runtime)}`);
console.log(`  ticks (ac_utime + ac_stime):      ${ticks.toFixed(1)} ms = ${pct(ticks)}`);
