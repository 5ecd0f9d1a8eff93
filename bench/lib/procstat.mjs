// Reads what a benchmark measures about a process from /proc: CPU time (utime + stime, plus what its
// reaped children used) and resident memory. A vanished process yields null, never a throw.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Fields of /proc/<pid>/stat after the comm, which may itself contain spaces and parentheses. */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds used so far by pid (user + system), including children it has reaped. */
export function cpuSeconds(pid) {
  const f = statFields(pid);
  if (!f) return null;
  // After the comm: state is index 0, so utime (field 14) is index 11 … cstime (field 17) index 14.
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return ticks / CLK_TCK;
}

/** Resident set size in bytes (VmRSS), or null when gone. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Peak resident set size in bytes (VmHWM), or null when gone. */
export function peakRssBytes(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Number of processes currently in /proc (a sanity figure printed with each benchmark). */
export function processCount() {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

/** Measures the CPU pid spends while `during` runs. Returns { cpuS, wallS } (cpuS null if pid vanished). */
export async function measureCpu(pid, during) {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  const result = await during();
  const c1 = cpuSeconds(pid);
  const wallS = (performance.now() - t0) / 1000;
  return { cpuS: c0 === null || c1 === null ? null : c1 - c0, wallS, result };
}

/** Processes and threads created on the machine since boot (/proc/stat "processes"), or null. */
export function forksSinceBoot() {
  try {
    const m = /^processes (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
