// Benchmark 1: a fork storm at the machine's maximum rate, measured two ways with the same generator:
// ALL AT ONCE, watched together by `cntop events --json`, by cntop's engine (no output) and by forkstat;
// and ALONE (with `alone: true`), each listener by itself, one after the other, as people run them.
// cntop runs with taskstats on (as `cntop events` always does): it must lose no connector event and no
// taskstats record of the storm, and spend no more CPU per event than forkstat.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT } from '../lib/build.mjs';
import { countLines, countStormEvents, forkstatForks, forkstatTotal } from '../lib/event-count.mjs';
import { startCntopEvents, startEngineProbe, startForkstat, stopListener } from '../lib/listeners.mjs';
import { eventsPerChild, runStorm } from '../lib/load.mjs';
import { CLK_TCK, cpuSeconds } from '../lib/procstat.mjs';
import { formatThreadCpu, readThreads, threadCpuDelta } from '../lib/thread-cpu.mjs';
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

/** forkstat sends LISTEN and never IGNORE; the bench takes it back once forkstat really ran (see below). */
function takeBackForkstatListen(fs, fsText) {
  // forkstat sends LISTEN and never IGNORE (strace: not even on SIGTERM), so every run would leave
  // the kernel's listener counter one higher for ever. The bench started it, so the bench takes it back.
  // Only when it printed its totals, i.e. it really ran and subscribed: never lower someone else's count.
  if (fs && forkstatTotal(fsText) !== null) compensateLeak(loadAddon(), fs.pid);
}

/**
 * The storm with all listeners at once, then (alone: true) with each listener alone, same generator and
 * duration. Rows say which is which: "all at once: …" and "alone: …".
 */
export async function forkStorm({ mode, durationS, forkstat, alone = false }) {
  const bench = `1. fork storm, ${mode === 'exec' ? 'fork+exec /bin/true' : 'fork+_exit'}, ${durationS} s`;
  if (!existsSync(CLI))
    return [row({ bench, metric: 'events lost', pass: false, note: 'dist/main.js missing: build failed' })];
  const rows = await allAtOnce({ bench, mode, durationS, forkstat });
  if (alone) rows.push(...(await eachAlone({ bench: `${bench}, each listener alone`, mode, durationS, forkstat })));
  return rows;
}

async function allAtOnce({ bench, mode, durationS, forkstat }) {
  const started = [];
  try {
    const cli = await startCntopEvents(join(OUT, `storm-${mode}-cntop.ndjson`));
    started.push(cli);
    const probe = await startEngineProbe({ taskstats: true });
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
    takeBackForkstatListen(fs, fsText);
    await stopListener(cli);
    const seen = await countStormEvents(cli.outPath, storm.pid);
    return stormRows({
      bench,
      mode,
      storm,
      seen,
      engine,
      cpu: { cli: cpu[0], engine: cpu[1], forkstat: fs ? cpu[2] : null },
      idle: { cli: idle[0], engine: idle[1], forkstat: fs ? idle[2] : null },
      windowEvents,
      fsEvents: forkstatTotal(fsText),
      forkstat,
    });
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
  if (exitsWithParentZero > 0)
    odd.push(
      `${exitsWithParentZero} exit(s) carried parent 0 (child reaped before the kernel built the event), matched by pid`,
    );
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

/** A taskstats-loss row: the storm's exits that went out without their record ("cpuMs": null). */
function recordsRow(bench, metric, records, extra) {
  const total = records.withRecord + records.withoutRecord;
  return row({
    bench,
    metric,
    cntop: total === 0 && records.unknown > 0 ? null : records.withoutRecord,
    target: '0',
    pass: total > 0 ? records.withoutRecord === 0 : null,
    note: `lost = storm exits without their record; ${records.withRecord} of ${total} carried it${records.unknown ? `, ${records.unknown} did not say` : ''}${extra ? `; ${extra}` : ''}`,
  });
}

const taskstatsNote = (t) =>
  t === null
    ? 'taskstats not asked for'
    : `addon: taskstats ${t.state}${t.cause ? ` (${t.cause})` : ''}, ${t.records} records, ${t.overruns} ENOBUFS, ${t.malformed} malformed`;

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
      metric: 'all at once: storm rate while all three listen',
      unit: 'children/s',
      cntop: storm.childrenPerS,
      note: `${storm.children} children, ${generated} storm events (${Math.round(generated / storm.forkingS)}/s)`,
    }),
    lostRow(
      bench,
      'all at once: connector events lost, cntop events --json',
      storm,
      seen,
      kinds,
      `${seen.lines} NDJSON lines, ${seen.badLines} unparsable`,
    ),
    recordsRow(
      bench,
      'all at once: taskstats records lost, cntop events --json',
      seen.records,
      'counted as exit lines with "cpuMs":null; cntop events prints no taskstats ENOBUFS count (the engine row has the addon\'s)',
    ),
    lostRow(
      bench,
      'all at once: connector events lost, engine',
      storm,
      engine,
      kinds,
      `connector: ${engine.overruns} ENOBUFS, ${engine.seqGapMessages} seq-gap messages, ${engine.resyncs} resyncs`,
    ),
    ...(engine.taskstats
      ? [
          recordsRow(
            bench,
            'all at once: taskstats records lost, engine',
            engine.taskstats.storm,
            taskstatsNote(engine.taskstats),
          ),
        ]
      : []),
    cpuRow(
      'all at once: CPU per 1M events, cntop events --json',
      cpu.cli,
      `per connector event received in the window (${windowEvents}, of which ${generated} the storm's); both write their normal output to a file; before the storm: cntop ${idleNote('cli')}, forkstat ${idleNote('forkstat')}; forkstat's -S total ${fsEvents ?? '?'} events, cntop ${seen.lines} lines`,
    ),
    cpuRow(
      'all at once: CPU per 1M events, engine (taskstats on, no output)',
      cpu.engine,
      `the engine with no output; before the storm: ${idleNote('engine')}`,
    ),
  ];
}

// --- Alone: each listener by itself, one after the other, with the same generator and duration. ---

// One after the other, in this order: the engine probe, `cntop events --json`, forkstat.
const ALONE = ['engine', 'cli', 'forkstat'];

/** Starts one listener, idles, runs the storm, drains, stops it; its CPU, threads, received count and loss. */
async function aloneRun({ who, mode, durationS, forkstat }) {
  const started = [];
  try {
    let l;
    if (who === 'engine') l = await startEngineProbe({ taskstats: true, profileName: 'engine-alone' });
    else if (who === 'cli')
      l = await startCntopEvents(join(OUT, `storm-${mode}-alone-cntop.ndjson`), { profileName: 'cli-alone' });
    else l = await startForkstat(forkstat, join(OUT, `storm-${mode}-alone-forkstat.txt`));
    started.push(l);
    const idle0 = cpuSeconds(l.pid);
    await sleep(IDLE_WINDOW_S * 1000);
    const before = cpuSeconds(l.pid);
    const threads0 = readThreads(l.pid);
    const received0 = who === 'engine' ? await l.count() : who === 'cli' ? countLines(l.outPath) : null;
    const storm = await runStorm({ mode, durationS });
    await waitForDrain(who === 'engine' ? [] : [l], who === 'engine' ? l : null);
    const cpuS = delta(before, cpuSeconds(l.pid));
    const threads = threadCpuDelta(threads0, readThreads(l.pid), CLK_TCK, cpuS, l.pid);
    const out = { who, storm, cpuS, idleS: delta(idle0, before), threads };
    if (who === 'engine') {
      out.received = (await l.count()) - received0;
      out.engine = await l.report(storm.pid);
    } else if (who === 'cli') {
      out.received = countLines(l.outPath) - received0;
      await stopListener(l);
      out.seen = await countStormEvents(l.outPath, storm.pid);
    } else {
      const text = await stopListener(l);
      takeBackForkstatListen(l, text);
      // forkstat's -S totals cover its whole life (start, the idle window, the storm): the idle part is a few events.
      out.received = forkstatTotal(text);
      out.forkstat = forkstatForks(text);
    }
    return out;
  } finally {
    for (const l of started) await stopProcess(l.pid);
  }
}

async function eachAlone({ bench, mode, durationS, forkstat }) {
  const runs = {};
  for (const who of ALONE) {
    if (who === 'forkstat' && !forkstat) continue;
    runs[who] = await aloneRun({ who, mode, durationS, forkstat });
  }
  return aloneRows({ bench, mode, runs });
}

export function aloneRows({ bench, mode, runs }) {
  const kinds = mode === 'exec' ? ['fork', 'exec', 'exit'] : ['fork', 'exit'];
  const { engine, cli, forkstat: fs } = runs;
  const cpuPerM = (r) => (r ? perMillion(r.cpuS, r.received) : null);
  const detail = (r) =>
    r
      ? `${r.received ?? '?'} events received, storm ${r.storm.children} children x ${eventsPerChild(mode)} = ${r.storm.children * eventsPerChild(mode)} at ${Math.round(r.storm.childrenPerS)}/s, CPU ${r.cpuS?.toFixed(2) ?? '?'} s (idle before: ${r.idleS === null ? '?' : Math.round((r.idleS * 1000) / IDLE_WINDOW_S)} CPU-ms/s); by thread: ${formatThreadCpu(r.threads)}`
      : 'not run';
  const cpuRow = (metric, r) => {
    const x = row({
      bench,
      metric,
      unit: 's',
      cntop: cpuPerM(r),
      peer: cpuPerM(fs),
      peerName: 'forkstat alone',
      target: '<= forkstat',
      note: `${detail(r)}. forkstat: ${detail(fs)}`,
    });
    if (typeof x.cntop === 'number' && typeof x.peer === 'number') x.pass = x.cntop <= x.peer;
    return x;
  };
  const rows = [
    row({
      bench,
      metric: 'alone: storm rate, cntop events --json listening (peer: forkstat listening)',
      unit: 'children/s',
      cntop: cli?.storm.childrenPerS ?? null,
      peer: fs?.storm.childrenPerS ?? null,
      peerName: 'forkstat',
      note: `engine listening: ${engine ? Math.round(engine.storm.childrenPerS) : '?'} children/s`,
    }),
  ];
  if (cli) {
    rows.push(
      lostRow(
        bench,
        'alone: connector events lost, cntop events --json',
        cli.storm,
        cli.seen,
        kinds,
        `${cli.seen.lines} NDJSON lines, ${cli.seen.badLines} unparsable`,
      ),
    );
    rows.push(
      recordsRow(
        bench,
        'alone: taskstats records lost, cntop events --json',
        cli.seen.records,
        'counted as exit lines with "cpuMs":null; cntop events prints no taskstats ENOBUFS count (the engine row has the addon\'s)',
      ),
    );
    rows.push(cpuRow('alone: CPU per 1M events received, cntop events --json', cli));
  }
  if (fs) {
    rows.push(
      row({
        bench,
        metric: 'alone: storm forks lost (at least), forkstat -S (for reference)',
        peer: Math.max(0, fs.storm.children - fs.forkstat.forks),
        peerName: 'forkstat',
        note: `the storm forked ${fs.storm.children} children; forkstat printed ${fs.forkstat.forks} forks (all parents: it resolves parents from /proc and misnames many as 0) and ${fs.forkstat.nobufs} "recv nobufs" (ENOBUFS) line(s); -S total ${fs.received ?? '?'} events against the storm's ${fs.storm.children * eventsPerChild(mode)}`,
      }),
    );
  }
  if (engine) {
    const e = engine.engine;
    rows.push(
      lostRow(
        bench,
        'alone: connector events lost, engine',
        engine.storm,
        e,
        kinds,
        `connector: ${e.overruns} ENOBUFS, ${e.seqGapMessages} seq-gap messages, ${e.resyncs} resyncs`,
      ),
    );
    if (e.taskstats)
      rows.push(
        recordsRow(bench, 'alone: taskstats records lost, engine', e.taskstats.storm, taskstatsNote(e.taskstats)),
      );
    rows.push(cpuRow('alone: CPU per 1M events received, engine (taskstats on, no output)', engine));
  }
  return rows;
}
