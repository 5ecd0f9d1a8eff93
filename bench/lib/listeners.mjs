// Starts the connector listeners a storm is measured against, each writing its normal output to a file:
// `cntop events --json` and `forkstat -S`. Waits until each really receives events (a marker process
// must show up in its output) so that CPU is measured only over the storm.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { CLI, ROOT } from './build.mjs';
import { spawnTracked, stopProcess } from './children.mjs';
import { profileFlags } from './profile.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startToFile(name, command, args, outPath, { neverKill = false } = {}) {
  const fd = openSync(outPath, 'w');
  const { child, exited } = spawnTracked(name, command, args, { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], neverKill });
  closeSync(fd);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { name, pid: child.pid, outPath, exited, stderr: () => stderr };
}

/** Runs short marker processes until `seen(text, markerPid)` holds for the listener's output. */
async function waitUntilListening(listener, seen, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly = false;
  listener.exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline && !exitedEarly) {
    const marker = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    const markerPid = Number(marker.stdout.trim());
    await sleep(150);
    if (seen(readFileSync(listener.outPath, 'latin1'), markerPid)) return true;
  }
  return false;
}

/** `cntop events --json` as people run it (taskstats on); with BENCH_CPU_PROF=1 under `--cpu-prof` (profile name `cli`). Never SIGKILLed. */
export async function startCntopEvents(outPath, { profileName = 'cli' } = {}) {
  const l = startToFile(
    'cntop events',
    process.execPath,
    [...profileFlags(profileName), CLI, 'events', '--json'],
    outPath,
    { neverKill: true },
  );
  const ok = await waitUntilListening(l, (text, pid) => new RegExp(`"pid":${pid}[,}]`).test(text), 20_000);
  if (!ok) {
    await stopProcess(l.pid);
    throw new Error(`cntop events --json did not report a marker process: ${l.stderr().trim().slice(0, 300)}`);
  }
  return l;
}

export async function startForkstat(forkstatPath, outPath) {
  // -S: print per-process event totals when stopped, so we know how many events forkstat handled.
  const l = startToFile('forkstat', forkstatPath, ['-S'], outPath);
  // forkstat's stdout to a file is block-buffered: give it a moment instead of a marker.
  await sleep(500);
  return l;
}

/** Stops a listener gracefully (SIGTERM: cntop sends its IGNORE, forkstat prints its totals). */
export async function stopListener(listener) {
  await stopProcess(listener.pid, 5000);
  return readFileSync(listener.outPath, 'latin1');
}

/**
 * The engine alone on the connector (bench/probes/engine-probe.mjs), driven over its stdin/stdout; with
 * taskstats: true it opens taskstats as `cntop events` does. Never SIGKILLed (it owes its IGNORE).
 */
export async function startEngineProbe({ taskstats = false, profileName = 'engine' } = {}) {
  const script = new URL('../probes/engine-probe.mjs', import.meta.url).pathname;
  const args = [...profileFlags(profileName), script, ...(taskstats ? ['--taskstats'] : [])];
  const { child, exited } = spawnTracked('engine probe', process.execPath, args, { cwd: ROOT, neverKill: true });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = [];
  const waiters = [];
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const nextLine = (timeoutMs) =>
    new Promise((resolve, reject) => {
      if (lines.length > 0) return resolve(lines.shift());
      const timer = setTimeout(
        () => reject(new Error(`engine probe silent for ${timeoutMs} ms: ${stderr.trim().slice(0, 300)}`)),
        timeoutMs,
      );
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      exited.then(() => reject(new Error(`engine probe exited: ${stderr.trim().slice(0, 300)}`)));
    });
  if ((await nextLine(30_000)) !== 'ready') throw new Error('engine probe did not start');
  const ask = async (command) => {
    child.stdin.write(`${command}\n`);
    return JSON.parse(await nextLine(60_000));
  };
  return {
    name: 'engine probe',
    pid: child.pid,
    count: async () => (await ask('count')).events,
    /** Ends the probe: its final counts for the storm, and its loss counters. */
    report: async (stormPid) => {
      const r = await ask(`report ${stormPid}`);
      await exited;
      return r;
    },
  };
}
