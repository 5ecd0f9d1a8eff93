// Which connector events belong to one storm generator, from (pid, parent, time) triples: forks and exits
// by parent pid; execs by pid within the same short life (pid_max may be 32768, so pids come back within
// seconds). An exit whose parent is 0 counts when the pid was forked by the storm just before: the
// kernel builds the exit event after notifying the parent, and when the parent reaps the child first
// (on another CPU) the event carries parent 0 (measured here on 6.18, about 1 exit in 20,000).
// An exit may also say whether it came with its taskstats record (cntop events' `"cpuMs"` is null when
// none was joined to it): the storm's exits are then counted with and without a record.

// A storm child lives a few ms; its pid returns only after pid_max others. 200 ms tells lives apart.
export const SAME_LIFE_MS = 200;

export function createStormTally() {
  const forks = [];
  const exits = [];
  const execs = [];
  return {
    fork: (pid, parent, ms) => forks.push(pid, parent, ms),
    /** accounted: true/false when the exit says whether its taskstats record came, else unknown. */
    exit: (pid, parent, ms, accounted) =>
      exits.push(pid, parent, ms, accounted === true ? 1 : accounted === false ? 0 : -1),
    exec: (pid, ms) => execs.push(pid, ms),
    result: (stormPid) => tallyFor(stormPid, forks, exits, execs),
    exitsOf: (pid) => [...tuples(exits, 4)].filter(([p]) => p === pid).map(([, parent, ms]) => ({ parent, ms })),
  };
}

function* tuples(list, n) {
  for (let i = 0; i < list.length; i += n) yield list.slice(i, i + n);
}

const near = (times, ms) => times?.some((t) => Math.abs(t - ms) <= SAME_LIFE_MS) ?? false;
const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

function tallyFor(stormPid, forks, exits, execs) {
  const forkTimes = new Map(); // pid -> times of its storm forks
  const lifeTimes = new Map(); // pid -> times of its storm forks and exits
  const forkPids = new Map();
  const exitPids = new Map();
  const addTime = (map, pid, ms) => map.set(pid, [...(map.get(pid) ?? []), ms]);
  for (const [pid, parent, ms] of tuples(forks, 3)) {
    if (parent !== stormPid) continue;
    bump(forkPids, pid);
    addTime(forkTimes, pid, ms);
    addTime(lifeTimes, pid, ms);
  }
  let parentless = 0;
  const records = { withRecord: 0, withoutRecord: 0, unknown: 0 };
  for (const [pid, parent, ms, accounted] of tuples(exits, 4)) {
    const orphaned = parent === 0 && near(forkTimes.get(pid), ms);
    if (parent !== stormPid && !orphaned) continue;
    if (orphaned) parentless++;
    if (accounted === 1) records.withRecord++;
    else if (accounted === 0) records.withoutRecord++;
    else records.unknown++;
    bump(exitPids, pid);
    addTime(lifeTimes, pid, ms);
  }
  let exec = 0;
  for (let i = 0; i < execs.length; i += 2) if (near(lifeTimes.get(execs[i]), execs[i + 1])) exec++;
  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    storm: { fork: sum(forkPids), exec, exit: sum(exitPids) },
    exitsWithParentZero: parentless,
    records,
    unmatched: unmatchedPids(forkPids, exitPids),
  };
}

/** Up to 5 pids seen forked by the storm more often than seen exiting, and vice versa (to chase a loss). */
export function unmatchedPids(forkPids, exitPids) {
  const differ = (a, b) =>
    [...a]
      .filter(([pid, n]) => n > (b.get(pid) ?? 0))
      .map(([pid]) => pid)
      .slice(0, 5);
  return { forkWithoutExit: differ(forkPids, exitPids), exitWithoutFork: differ(exitPids, forkPids) };
}
