// The UI's only actions on the system: sending a signal and changing a nice value, for the pids the
// user confirmed, and reading one process's environment (htop's e). Failures are values (one line for
// the message bar), never exceptions.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { signalName } from '../core/exit-status.js';
import { parseStat, type ProcStat } from '../core/proc/parse-stat.js';
import type { Pid } from '../core/types.js';

export interface SystemActions {
  sendSignal(pid: Pid, signal: number): void;
  getPriority(pid: Pid): number;
  setPriority(pid: Pid, nice: number): void;
  /** The process's environment (NAME=value strings), read when asked; throws as the read does. */
  readEnvironment?(pid: Pid): string[];
  /** The process's cgroup path (cgroup v2's "0::/path" line, else the first hierarchy's), read when asked. */
  readCgroup?(pid: Pid): string;
  /** htop's H: the stat of each task (thread) of a process, or null when the process is gone. */
  readTaskStats?(tgid: Pid): readonly ProcStat[] | null;
  /** CLOCK_BOOTTIME - CLOCK_MONOTONIC in ms, to place a thread's start (stat counts from boot). */
  bootOffsetMs?(monotonicNowMs: number): number;
  /** A /proc/<pid> file the optional columns read (SHR, I/O, peak, cgroup); throws as the read does. */
  readProcFile?(pid: Pid, name: 'statm' | 'io' | 'status' | 'cgroup'): string;
}

export const REAL_SYSTEM: SystemActions = {
  sendSignal: (pid, signal) => process.kill(pid, signal),
  getPriority: (pid) => os.getPriority(pid),
  setPriority: (pid, nice) => os.setPriority(pid, nice),
  // At most 256 KiB: an environment is text the process chose and may be huge.
  readEnvironment: (pid) =>
    readFileSync(`/proc/${pid}/environ`)
      .subarray(0, 256 * 1024)
      .toString('utf8')
      .split('\0')
      .filter((v) => v !== ''),
  readCgroup: (pid) => cgroupPath(readFileSync(`/proc/${pid}/cgroup`, 'utf8')),
  readTaskStats: readTaskStats,
  readProcFile: (pid, name) => readFileSync(`/proc/${pid}/${name}`, 'utf8'),
  bootOffsetMs: (nowMs) => Number.parseFloat(readFileSync('/proc/uptime', 'utf8')) * 1000 - nowMs,
};

function readTaskStats(tgid: Pid): readonly ProcStat[] | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${tgid}/task`);
  } catch {
    return null;
  }
  const stats: ProcStat[] = [];
  for (const tid of tids) {
    try {
      const parsed = parseStat(readFileSync(`/proc/${tgid}/task/${tid}/stat`, 'utf8'));
      if (parsed.ok) stats.push(parsed.value);
    } catch {
      // The thread ended between the listing and the read: it is simply not listed.
    }
  }
  return stats;
}

/** The path of /proc/<pid>/cgroup's unified (v2) line, else of its first line; '' when there is none. */
export function cgroupPath(text: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  const line = lines.find((l) => l.startsWith('0::')) ?? lines[0] ?? '';
  return line.split(':').slice(2).join(':');
}

/** The cgroup of a living process for its details, or null when it cannot be read (gone, not permitted). */
export function cgroupOf(actions: SystemActions, pid: Pid): string | null {
  if (actions.readCgroup === undefined || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    return actions.readCgroup(pid);
  } catch {
    return null;
  }
}

/** htop's e: the environment of `pid`, or why it cannot be read (gone, not permitted), as lines to show. */
export function environmentOf(actions: SystemActions, pid: Pid): { lines: string[]; error: string | null } {
  if (actions.readEnvironment === undefined) return { lines: [], error: 'no environment reader here' };
  if (!Number.isInteger(pid) || pid <= 0) return { lines: [], error: 'no process selected' };
  try {
    return { lines: actions.readEnvironment(pid), error: null };
  } catch (error) {
    return { lines: [], error: `environment of ${pid}: ${errorCode(error)}` };
  }
}

/** Sends `signal` to each pid; returns the message to show. A pid that already exited is reported, not thrown. */
export function signalAll(actions: SystemActions, pids: readonly Pid[], signal: number): string {
  const failures: string[] = [];
  for (const pid of pids) {
    // pid 0 and negative pids address process groups in kill(2): never from this menu.
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      actions.sendSignal(pid, signal);
    } catch (error) {
      failures.push(`${pid}: ${errorCode(error)}`);
    }
  }
  const name = signalName(signal);
  if (failures.length === 0) return `${name} sent to ${targets(pids)}`;
  return `${name} failed for ${failures.join(', ')}`;
}

/** Changes the nice value of each pid by `delta` (clamped to -20..19), as htop's F7/F8. */
export function reniceAll(actions: SystemActions, pids: readonly Pid[], delta: number): string {
  const failures: string[] = [];
  let last: number | null = null;
  for (const pid of pids) {
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      const nice = Math.min(19, Math.max(-20, actions.getPriority(pid) + delta));
      actions.setPriority(pid, nice);
      last = nice;
    } catch (error) {
      failures.push(`${pid}: ${errorCode(error)}`);
    }
  }
  if (failures.length > 0) return `renice failed for ${failures.join(', ')}`;
  return last === null ? 'nothing to renice' : `nice ${last} set for ${targets(pids)}`;
}

/** 'PID 42' for one process, '3 processes' for more. */
function targets(pids: readonly Pid[]): string {
  const [only] = pids;
  return pids.length === 1 && only !== undefined ? `PID ${only}` : `${pids.length} processes`;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ESRCH') return 'no such process';
  if (code === 'EPERM' || code === 'EACCES') return `${code} (not permitted)`;
  return typeof code === 'string' ? code : String(error);
}
