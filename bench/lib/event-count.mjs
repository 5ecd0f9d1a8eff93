// Counts, in `cntop events --json` output, the events that belong to one storm: forks and exits whose
// parent is the storm generator, and execs of those children (attributed by pid and time, because
// pid_max may be small enough that pids are reused within the run). Also reads forkstat's -S totals.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

// A storm child lives a few ms; a pid comes back only after pid_max others. 200 ms separates them.
const SAME_LIFE_MS = 200;

/** Streams an NDJSON file; returns { lines, badLines, byType, storm: { fork, exec, exit } }. */
export async function countStormEvents(path, stormPid) {
  const byType = {};
  const lifeTimes = new Map(); // child pid -> times (ms) of its storm fork/exit events
  const execs = []; // [pid, ms] of every exec, attributed at the end
  let lines = 0;
  let badLines = 0;
  let fork = 0;
  let exit = 0;
  const forkPids = new Map();
  const exitPids = new Map();
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line) continue;
    lines++;
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    const ms = Date.parse(e.time);
    if (e.type === 'exec') execs.push([e.pid, ms]);
    const isStormChild = (e.type === 'fork' || e.type === 'exit') && (e.parentTgid ?? e.ppid) === stormPid;
    if (!isStormChild) continue;
    if (e.type === 'fork') fork++;
    else exit++;
    const tally = e.type === 'fork' ? forkPids : exitPids;
    tally.set(e.pid, (tally.get(e.pid) ?? 0) + 1);
    const times = lifeTimes.get(e.pid) ?? [];
    times.push(ms);
    lifeTimes.set(e.pid, times);
  }
  const exec = execs.filter(([pid, ms]) => lifeTimes.get(pid)?.some((t) => Math.abs(t - ms) <= SAME_LIFE_MS)).length;
  return { lines, badLines, byType, storm: { fork, exec, exit }, unmatched: unmatchedPids(forkPids, exitPids) };
}

/** Up to 5 pids seen forked by the storm more often than seen exiting, and vice versa (to chase a loss). */
export function unmatchedPids(forkPids, exitPids) {
  const differ = (a, b) => [...a].filter(([pid, n]) => n > (b.get(pid) ?? 0)).map(([pid]) => pid).slice(0, 5);
  return { forkWithoutExit: differ(forkPids, exitPids), exitWithoutFork: differ(exitPids, forkPids) };
}

/** Sums the Total column of forkstat's -S statistics table (printed when it stops). */
export function forkstatTotal(text) {
  const at = text.lastIndexOf('Total Process');
  if (at < 0) return null;
  let total = 0;
  for (const line of text.slice(at).split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || !/^\d+$/.test(cols[9])) continue;
    total += Number(cols[9]);
  }
  return total;
}
