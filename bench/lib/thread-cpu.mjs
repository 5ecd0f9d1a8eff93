// Where a listener's CPU goes, by thread: utime+stime of each /proc/<pid>/task/<tid>/stat, before and
// after a window, summed by thread name (the JS main thread, cntop's `cntop-reader`, V8's helpers,
// libuv's pool). A thread that ended inside the window is missing from the second reading: its share
// shows as "(ended threads)" from the process total.
import { readdirSync, readFileSync } from 'node:fs';

/** { comm, ticks } from the text of one /proc/.../task/<tid>/stat (ticks = utime + stime), or null. */
export function parseTaskStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the comm, state is index 0: utime (field 14) is index 11, stime (field 15) index 12.
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { comm: text.slice(open + 1, close), ticks: utime + stime };
}

/** Map tid -> { comm, ticks } for every thread of pid now (empty when pid is gone). */
export function readThreads(pid) {
  const threads = new Map();
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const parsed = parseTaskStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1'));
      if (parsed) threads.set(Number(tid), parsed);
    } catch {
      // The thread ended between readdir and read.
    }
  }
  return threads;
}

/**
 * CPU seconds per thread name over a window, most first: [{ name, cpuS, threads }]. `totalS`, when
 * given (the process's own utime+stime over the window), adds "(ended threads)" for what is missing.
 * The thread whose tid is mainTid (the pid) is named "main": Node names its helper threads like its
 * main thread ("node"), so only the tid tells the JS thread from V8's and libuv's helpers.
 */
export function threadCpuDelta(before, after, clkTck, totalS = null, mainTid = null) {
  const byName = new Map();
  for (const [tid, { comm: threadComm, ticks }] of after) {
    const comm = tid === mainTid ? 'main' : threadComm;
    const start = before.get(tid);
    const used = start && start.comm === threadComm ? ticks - start.ticks : ticks;
    const e = byName.get(comm) ?? { name: comm, ticks: 0, threads: 0 };
    e.ticks += used;
    e.threads++;
    byName.set(comm, e);
  }
  const rows = [...byName.values()].map(({ name, ticks, threads }) => ({ name, cpuS: ticks / clkTck, threads }));
  if (totalS !== null) {
    const seen = rows.reduce((s, r) => s + r.cpuS, 0);
    const missing = totalS - seen;
    if (missing > 1 / clkTck) rows.push({ name: '(ended threads)', cpuS: missing, threads: 0 });
  }
  return rows.sort((a, b) => b.cpuS - a.cpuS || a.name.localeCompare(b.name));
}

/** "main 0.62 s (48%), cntop-reader 0.41 s (32%), …" */
export function formatThreadCpu(rows) {
  const total = rows.reduce((s, r) => s + r.cpuS, 0);
  if (total <= 0) return 'no CPU';
  return rows
    .filter((r) => r.cpuS > 0)
    .map(
      (r) =>
        `${r.name}${r.threads > 1 ? ` x${r.threads}` : ''} ${r.cpuS.toFixed(2)} s (${Math.round((r.cpuS / total) * 100)}%)`,
    )
    .join(', ');
}
