// Counts, in `cntop events --json` output, the events that belong to one storm (rules in
// storm-tally.mjs), and reads forkstat's -S totals.
import { createReadStream } from 'node:fs';
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
    else if (e.type === 'exit') tally.exit(e.pid, e.parentTgid ?? e.ppid, ms);
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
