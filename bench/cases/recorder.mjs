// Benchmark 8: the flight recorder (issue 13). `cntop record` and `cntop events --json` listen to the
// same fork storm at full speed (fork+exec and fork+_exit), each writing its normal output to a file:
// the recorder must lose nothing (every storm child a lifetime with its exit, its exec and its taskstats
// CPU) and spend at most 1.5x the CPU per event of `cntop events --json` in that same run. Then the
// database's bytes per process lifetime, and per hour of an idle host of 100 processes, extrapolated
// from a few measured minutes.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT, ROOT } from '../lib/build.mjs';
import { spawnTracked, stopProcess } from '../lib/children.mjs';
import { countLines } from '../lib/event-count.mjs';
import { startCntopEvents, stopListener } from '../lib/listeners.mjs';
import { eventsPerChild, runStorm, startIdleSwarm } from '../lib/load.mjs';
import { cpuSeconds } from '../lib/procstat.mjs';
import { row } from '../lib/table.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const IDLE_WINDOW_S = 2;

function removeDb(path) {
  for (const suffix of ['', '-wal', '-shm', '-lock']) rmSync(`${path}${suffix}`, { force: true });
}

function readOnly(path, fn) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** `cntop record --db path [args]`, resolved once a marker process is in its database. Never SIGKILLed. */
async function startRecorder(path, args = []) {
  removeDb(path);
  const { child, exited } = spawnTracked('cntop record', process.execPath, [CLI, 'record', '--db', path, ...args], {
    cwd: ROOT,
    neverKill: true,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const marker = `cntop-bench-ready-${Date.now()}`;
  const deadline = Date.now() + 30_000;
  let gone = false;
  exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    spawnSync('/bin/sh', ['-c', 'true', marker]);
    await sleep(200);
    try {
      const n = readOnly(path, (db) =>
        db.prepare('SELECT count(*) FROM process WHERE cmdline LIKE ?').pluck().get(`%${marker}%`),
      );
      if (n > 0) return { pid: child.pid, exited, stderr: () => stderr };
    } catch {
      // not created yet
    }
  }
  await stopProcess(child.pid);
  throw new Error(`cntop record did not record a marker process: ${stderr.trim().slice(0, 300)}`);
}

/** Waits until the recorder has committed `children` lifetimes of the storm (or they stop coming for 2 s). */
async function drainRecorder(path, stormPid, children, maxMs = 30_000) {
  const deadline = Date.now() + maxMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const n = readOnly(path, (db) =>
      db.prepare('SELECT count(*) FROM process WHERE ppid = ? AND end_ms IS NOT NULL').pluck().get(stormPid),
    );
    if (n >= children) return;
    if (n !== last) [last, stableSince] = [n, Date.now()];
    else if (Date.now() - stableSince > 2000) return;
    await sleep(200);
  }
}

async function waitForFileQuiet(path, quietMs = 700, maxMs = 20_000) {
  const size = () => (existsSync(path) ? statSync(path).size : 0);
  const deadline = Date.now() + maxMs;
  let last = size();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < quietMs) {
    await sleep(100);
    const now = size();
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
}

/** Bytes of each table with its indexes (dbstat: the used part of their pages, so a half-empty page counts half). */
function tableBytes(db) {
  const pages = db.prepare('SELECT name, sum(pgsize - unused) AS bytes FROM dbstat GROUP BY name').all();
  const owner = new Map(
    db
      .prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')")
      .all()
      .map((r) => [r.name, r.tbl_name]),
  );
  const bytes = {};
  for (const { name, bytes: b } of pages) {
    const table = owner.get(name) ?? name;
    bytes[table] = (bytes[table] ?? 0) + b;
  }
  return bytes;
}

const perMillion = (cpuS, events) => (cpuS === null || !events ? null : (cpuS / events) * 1e6);

/** Both listeners on one storm: loss of the recorder, CPU per storm event of each, bytes per lifetime. */
async function stormTogether({ mode, durationS }) {
  const bench = `8. recorder, fork storm ${mode === 'exec' ? 'fork+exec /bin/true' : 'fork+_exit'}, ${durationS} s`;
  const dbPath = join(OUT, `recorder-storm-${mode}.db`);
  const started = [];
  try {
    const cli = await startCntopEvents(join(OUT, `recorder-storm-${mode}-events.ndjson`));
    started.push(cli);
    const rec = await startRecorder(dbPath);
    started.push(rec);
    await sleep(IDLE_WINDOW_S * 1000);
    const before = started.map((l) => cpuSeconds(l.pid));
    const lines0 = countLines(cli.outPath);
    const storm = await runStorm({ mode, durationS });
    await waitForFileQuiet(cli.outPath);
    await drainRecorder(dbPath, storm.pid, storm.children);
    const cpu = started.map((l, i) => (before[i] === null ? null : cpuSeconds(l.pid) - before[i]));
    const lines = countLines(cli.outPath) - lines0;
    await stopListener(cli);
    await stopProcess(rec.pid, 15_000);
    const stormEvents = storm.children * eventsPerChild(mode);
    const seen = readOnly(dbPath, (db) => {
      const lifetimes = db
        .prepare(
          'SELECT count(*) AS n, sum(end_ms IS NOT NULL) AS ended, sum(exit_code = 0) AS ok, sum(cpu_ms IS NOT NULL) AS accounted FROM process WHERE ppid = ?',
        )
        .get(storm.pid);
      const execs = db
        .prepare('SELECT count(*) FROM exec e JOIN process p ON p.id = e.process WHERE p.ppid = ?')
        .pluck()
        .get(storm.pid);
      const unhealthy = db
        .prepare("SELECT state, cause, end_ms - start_ms AS ms FROM coverage WHERE state <> 'healthy'")
        .all();
      const bytes = tableBytes(db);
      const rows = db.prepare('SELECT count(*) FROM process').pluck().get();
      const cmdline = db.prepare('SELECT avg(length(cmdline)) FROM process WHERE ppid = ?').pluck().get(storm.pid);
      return { lifetimes, execs, unhealthy, bytes, rows, cmdline, fileBytes: statSync(dbPath).size };
    });
    const lost = storm.children - (seen.lifetimes.ended ?? 0) + (mode === 'exec' ? storm.children - seen.execs : 0);
    const withoutCpu = (seen.lifetimes.ended ?? 0) - (seen.lifetimes.accounted ?? 0);
    const lifetimeBytes = (seen.bytes.process ?? 0) + (seen.bytes.exec ?? 0) + (seen.bytes.reparent ?? 0);
    const cpuRow = row({
      bench,
      metric: 'CPU per 1M storm events, cntop record (vs cntop events --json, same storm)',
      unit: 's',
      cntop: perMillion(cpu[1], stormEvents),
      peer: perMillion(cpu[0], stormEvents),
      peerName: 'cntop events --json',
      target: '<= 1.5x events',
      note: `both listening at once to the same storm; CPU = utime+stime (all threads, and reaped children: the health canary) over the storm and its drain, per event the storm generated (${stormEvents}); events --json wrote ${lines} lines in the window`,
    });
    if (typeof cpuRow.cntop === 'number' && typeof cpuRow.peer === 'number')
      cpuRow.pass = cpuRow.cntop <= 1.5 * cpuRow.peer;
    return [
      row({
        bench,
        metric: 'storm rate',
        unit: 'children/s',
        cntop: storm.childrenPerS,
        note: `${storm.children} children`,
      }),
      row({
        bench,
        metric: 'storm processes lost by cntop record',
        cntop: lost,
        target: '0',
        pass: lost === 0 && seen.unhealthy.length === 0,
        note: `lifetimes ${seen.lifetimes.ended ?? 0}/${storm.children} ended with their exit${mode === 'exec' ? `, execs ${seen.execs}/${storm.children}` : ''}; coverage ${seen.unhealthy.length === 0 ? 'healthy throughout' : seen.unhealthy.map((c) => `${c.state} ${c.ms} ms (${c.cause})`).join(', ')}`,
      }),
      row({
        bench,
        metric: 'storm exits without taskstats CPU, cntop record',
        cntop: withoutCpu,
        target: '0',
        pass: withoutCpu === 0,
        note: 'a lifetime whose exit came without its taskstats record has cpu_ms NULL',
      }),
      cpuRow,
      row({
        bench,
        metric: 'database bytes per process lifetime',
        unit: 'B',
        cntop: seen.rows ? lifetimeBytes / seen.rows : null,
        note: `pages of process + exec + reparent with their indexes (dbstat) / ${seen.rows} lifetimes; the storm's command lines average ${Math.round(seen.cmdline ?? 0)} bytes as JSON${mode === 'exec' ? ', plus one exec row each' : ' (inherited, no exec)'}; whole file ${seen.fileBytes} B`,
      }),
    ];
  } finally {
    for (const l of started) await stopProcess(l.pid, 15_000);
  }
}

/** 100 idle processes recorded for a few minutes: bytes per hour, extrapolated. */
async function idleHost({ minutes }) {
  const bench = `8. recorder, 100 idle processes, ${minutes} min, samples every 10 s`;
  const dbPath = join(OUT, 'recorder-idle.db');
  const swarm = await startIdleSwarm(100);
  let rec = null;
  try {
    rec = await startRecorder(dbPath);
    const t0 = Date.now();
    const size0 = statSync(dbPath).size;
    await sleep(minutes * 60_000);
    const hours = (Date.now() - t0) / 3_600_000;
    await stopProcess(rec.pid, 15_000);
    rec = null;
    const seen = readOnly(dbPath, (db) => {
      const bytes = tableBytes(db);
      const count = (table) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      const swarm100 = db
        .prepare(
          'SELECT count(*) AS samples, count(DISTINCT s.process) AS processes FROM sample s JOIN process p ON p.id = s.process WHERE p.ppid = ?',
        )
        .get(swarm.pid);
      return {
        bytes,
        samples: count('sample'),
        hosts: count('host'),
        processes: count('process'),
        swarm100,
        fileBytes: statSync(dbPath).size,
      };
    });
    const perSample = seen.samples ? seen.bytes.sample / seen.samples : 0;
    const perHost = seen.hosts ? seen.bytes.host / seen.hosts : 0;
    const perLifetime = seen.processes ? ((seen.bytes.process ?? 0) + (seen.bytes.exec ?? 0)) / seen.processes : 0;
    // An idle process writes a sample only when its CPU time, memory, state or threads changed: its first
    // one is a one-time cost (with its lifetime row); only the ones after it recur.
    const recurring = seen.swarm100.samples - seen.swarm100.processes;
    const idlePerHour = (recurring * perSample) / hours + 360 * perHost;
    const oneTime = seen.swarm100.processes * (perLifetime + perSample);
    return [
      row({
        bench,
        metric: 'database bytes per hour, 100 idle processes (extrapolated)',
        unit: 'B',
        cntop: idlePerHour,
        note: `measured ${(hours * 60).toFixed(1)} min and extrapolated to an hour: the swarm's ${seen.swarm100.processes} sleeping processes wrote ${seen.swarm100.samples} samples, ${recurring} after their first (${perSample.toFixed(0)} B each with indexes), host meters 360 an hour (${perHost.toFixed(0)} B each); one-time, when recording starts: ${Math.round(oneTime)} B for the 100 (a lifetime row ${perLifetime.toFixed(0)} B and a first sample each)`,
      }),
      row({
        bench,
        metric: 'database growth per hour on this machine as it was (extrapolated)',
        unit: 'B',
        cntop: (seen.fileBytes - size0) / hours,
        note: `everything this machine ran in the window (${seen.processes} lifetimes, ${seen.samples} samples): not idle, other work ran beside the bench`,
      }),
    ];
  } finally {
    if (rec !== null) await stopProcess(rec.pid, 15_000);
    await swarm.stop();
  }
}

export async function recorderBench({ durationS, idleMinutes }) {
  if (!existsSync(CLI))
    return [
      row({ bench: '8. recorder', metric: 'events lost', pass: false, note: 'dist/main.js missing: build failed' }),
    ];
  return [
    ...(await stormTogether({ mode: 'exec', durationS })),
    ...(await stormTogether({ mode: 'exit', durationS: Math.max(3, Math.round(durationS / 2)) })),
    ...(await idleHost({ minutes: idleMinutes })),
  ];
}
