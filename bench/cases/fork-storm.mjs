// Benchmark 1: a fork storm at the machine's maximum rate, watched at once by `cntop events --json`,
// by cntop's engine alone (no output) and by forkstat. cntop must lose no event of the storm, and
// spend no more CPU per event than forkstat.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT } from '../lib/build.mjs';
import { countStormEvents, forkstatTotal } from '../lib/event-count.mjs';
import { startCntopEvents, startEngineProbe, startForkstat, stopListener } from '../lib/listeners.mjs';
import { eventsPerChild, runStorm } from '../lib/load.mjs';
import { cpuSeconds } from '../lib/procstat.mjs';
import { stopProcess } from '../lib/children.mjs';
import { loadAddon } from '../../test/helpers/buggy-client.mjs';
import { compensateLeak } from '../../test/helpers/listener-audit.mjs';
import { row } from '../lib/table.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const IDLE_WINDOW_S = 2;

/** Waits until no listener's output (file size, or the probe's event count) has changed for quietMs. */
async function waitForDrain(fileListeners, probe, quietMs = 700, maxMs = 20_000) {
  const files = () => fileListeners.map((l) => (existsSync(l.outPath) ? statSync(l.outPath).size : 0)).join();
  const state = async () => `${files()}|${probe ? await probe.count() : ''}`;
  const deadline = Date.now() + maxMs;
  let last = await state();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < quietMs) {
    await sleep(100);
    const now = await state();
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
}

const perMillion = (cpuS, events) => (cpuS === null || !events ? null : (cpuS / events) * 1e6);
const delta = (a, b) => (a === null || b === null ? null : b - a);

export async function forkStorm({ mode, durationS, forkstat }) {
  const bench = `1. fork storm, ${mode === 'exec' ? 'fork+exec /bin/true' : 'fork+_exit'}, ${durationS} s`;
  if (!existsSync(CLI)) return [row({ bench, metric: 'events lost', pass: false, note: 'dist/main.js missing: build failed' })];
  const started = [];
  try {
    const cli = await startCntopEvents(join(OUT, `storm-${mode}-cntop.ndjson`));
    started.push(cli);
    const probe = await startEngineProbe();
    started.push(probe);
    const fs = forkstat ? await startForkstat(forkstat, join(OUT, `storm-${mode}-forkstat.txt`)) : null;
    if (fs) started.push(fs);
    // An idle window first: what each listener costs per second with no storm (cntop samples /proc).
    const idle0 = started.map((l) => cpuSeconds(l.pid));
    await sleep(IDLE_WINDOW_S * 1000);
    const before = started.map((l) => cpuSeconds(l.pid));
    const idle = before.map((c, i) => delta(idle0[i], c));
    const eventsBefore = await probe.count();
    const storm = await runStorm({ mode, durationS });
    await waitForDrain([cli, fs].filter(Boolean), probe);
    const cpu = started.map((l, i) => delta(before[i], cpuSeconds(l.pid)));
    // Every listener receives every connector event on the machine, the storm's and everyone else's:
    // the engine's count over the same window is the honest denominator for all three.
    const windowEvents = (await probe.count()) - eventsBefore;
    const engine = await probe.report(storm.pid);
    const fsText = fs ? await stopListener(fs) : '';
    // forkstat sends LISTEN and never IGNORE (strace: not even on SIGTERM), so every run would leave
    // the kernel's listener counter one higher for ever. The bench started it, so the bench takes it back.
    // Only when it printed its totals, i.e. it really ran and subscribed: never lower someone else's count.
    if (fs && forkstatTotal(fsText) !== null) compensateLeak(loadAddon(), fs.pid);
    await stopListener(cli);
    const seen = await countStormEvents(cli.outPath, storm.pid);
    return stormRows({ bench, mode, storm, seen, engine, cpu: { cli: cpu[0], engine: cpu[1], forkstat: fs ? cpu[2] : null }, idle: { cli: idle[0], engine: idle[1], forkstat: fs ? idle[2] : null }, windowEvents, fsEvents: forkstatTotal(fsText), forkstat });
  } finally {
    for (const l of started) await stopProcess(l.pid);
  }
}

function lostRow(bench, metric, storm, { storm: counts, unmatched, exitsWithParentZero }, kinds, extra) {
  const lost = kinds.reduce((n, k) => n + Math.max(0, storm.children - counts[k]), 0);
  const odd = [
    unmatched.forkWithoutExit.length ? `forked, no exit seen: pid ${unmatched.forkWithoutExit.join(' ')}` : '',
    unmatched.exitWithoutFork.length ? `exit seen, no fork: pid ${unmatched.exitWithoutFork.join(' ')}` : '',
  ].filter(Boolean);
  if (exitsWithParentZero > 0) odd.push(`${exitsWithParentZero} exit(s) carried parent 0 (child reaped before the kernel built the event), matched by pid`);
  if (odd.length) extra = [extra, ...odd].filter(Boolean).join('; ');
  return row({
    bench,
    metric,
    cntop: lost,
    target: '0',
    pass: lost === 0,
    note: `seen ${kinds.map((k) => `${k} ${counts[k]}/${storm.children}`).join(', ')}${extra ? `; ${extra}` : ''}`,
  });
}

function stormRows({ bench, mode, storm, seen, engine, cpu, idle, windowEvents, fsEvents, forkstat }) {
  const idleNote = (who) => (idle[who] === null ? '?' : `${Math.round((idle[who] * 1000) / IDLE_WINDOW_S)} CPU-ms/s`);
  const generated = storm.children * eventsPerChild(mode);
  const kinds = mode === 'exec' ? ['fork', 'exec', 'exit'] : ['fork', 'exit'];
  const cpuRow = (metric, cntopCpu, note) => {
    const r = row({
      bench,
      metric,
      unit: 's',
      cntop: perMillion(cntopCpu, windowEvents),
      peer: forkstat ? perMillion(cpu.forkstat, windowEvents) : null,
      peerName: 'forkstat',
      target: '<= forkstat',
      note: forkstat ? note : 'forkstat not installed: no comparison',
    });
    if (typeof r.cntop === 'number' && typeof r.peer === 'number') r.pass = r.cntop <= r.peer;
    return r;
  };
  return [
    row({
      bench,
      metric: 'storm rate while all three listen',
      unit: 'children/s',
      cntop: storm.childrenPerS,
      note: `${storm.children} children, ${generated} storm events (${Math.round(generated / storm.forkingS)}/s)`,
    }),
    lostRow(bench, 'storm events lost, cntop events --json', storm, seen, kinds, `${seen.lines} NDJSON lines, ${seen.badLines} unparsable`),
    lostRow(bench, 'storm events lost, engine', storm, engine, kinds, `connector: ${engine.overruns} ENOBUFS, ${engine.seqGapMessages} seq-gap messages, ${engine.resyncs} resyncs`),
    cpuRow('CPU per 1M events, cntop events --json', cpu.cli, `per connector event received in the window (${windowEvents}, of which ${generated} the storm's); both write their normal output to a file; before the storm: cntop ${idleNote('cli')}, forkstat ${idleNote('forkstat')}; forkstat's -S total ${fsEvents ?? '?'} events, cntop ${seen.lines} lines`),
    cpuRow('CPU per 1M events, engine (no output)', cpu.engine, `the engine with no output; before the storm: ${idleNote('engine')}`),
  ];
}
