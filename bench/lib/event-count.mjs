// Counts, in `cntop events --json` output, the events that belong to one storm (rules in
// storm-tally.mjs) and which of its exits came without their taskstats record (`"cpuMs":null`), and
// reads forkstat's -S totals.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createStormTally } from './storm-tally.mjs';

/** Streams an NDJSON file; returns { lines, badLines, byType, storm, exitsWithParentZero, unmatched }. */
export async function countStormEvents(path, stormPid) {
  const byType = {};
  const tally = createStormTally();
  let lines = 0;
  let badLines = 0;
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
    if (e.type === 'fork') tally.fork(e.pid, e.parentTgid ?? e.ppid, ms);
    else if (e.type === 'exit')
      tally.exit(e.pid, e.parentTgid ?? e.ppid, ms, 'cpuMs' in e ? e.cpuMs !== null : undefined);
    else if (e.type === 'exec') tally.exec(e.pid, ms);
  }
  return { lines, badLines, byType, ...tally.result(stormPid) };
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

/** Complete lines (newline-terminated) in a file now: what a listener has written so far; 0 when absent. */
export function countLines(path) {
  let buf;
  try {
    buf = readFileSync(path);
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * What forkstat's own output says about a storm: the forks it printed (one "fork <pid> child" line per
 * fork, whoever the parent; forkstat resolves parents from /proc and printed parent 0 "[swapper]" for a
 * quarter of a storm's forks here, so they cannot be told apart by parent) and its "recv nobufs" lines
 * (ENOBUFS: the kernel dropped events for it). In a storm nearly every fork is the storm's.
 */
export function forkstatForks(text) {
  let forks = 0;
  let nobufs = 0;
  for (const line of text.split('\n')) {
    const m = /^\S+ (fork|recv)\s+\S+\s+(\S+)/.exec(line);
    if (!m) continue;
    if (m[1] === 'fork' && m[2] === 'child') forks++;
    else if (m[1] === 'recv' && m[2] === 'nobufs') nobufs++;
  }
  return { forks, nobufs };
}
