// htop's H: thread rows from each multi-threaded process's task list, with their own CPU% between
// samples, listed only while their process lives.
import { describe, expect, it } from 'vitest';
import type { ProcStat } from '../../../src/core/proc/parse-stat.js';
import type { Pid, ProcessInfo } from '../../../src/core/types.js';
import { ThreadRows } from '../../../src/ui/thread-rows.js';

function proc(pid: Pid, threads: number, exitMs: number | null = null): ProcessInfo {
  return {
    pid,
    ppid: 1,
    uid: 0,
    user: 'root',
    state: 'S',
    comm: 'server',
    cmdline: ['server', '--port', '80'],
    threads,
    isKernelThread: false,
    priority: 20,
    nice: 0,
    virtBytes: 1 << 30,
    rssBytes: 1 << 20,
    cpuPercent: 0,
    memPercent: 1,
    cpuTimeMs: 0,
    startMs: 0,
    seenMs: 0,
    exitMs,
    exitStatus: null,
  };
}

function task(pid: number, ticks: number, comm = 'worker'): ProcStat {
  return {
    pid,
    comm,
    state: 'R',
    ppid: 1,
    flags: 0,
    utimeTicks: ticks,
    stimeTicks: 0,
    priority: 20,
    nice: 0,
    numThreads: 3,
    startTicks: 500,
    vsizeBytes: 0,
    rssPages: 0,
  };
}

describe('ThreadRows', () => {
  it('lists the threads of multi-threaded processes (not the leader, not single-threaded ones) under their process', () => {
    const processes = new Map<Pid, ProcessInfo>([
      [10, proc(10, 3)],
      [20, proc(20, 1)],
    ]);
    const asked: Pid[] = [];
    const rows = new ThreadRows();
    rows.sample(
      processes,
      (tgid) => (asked.push(tgid), [task(10, 0, 'server'), task(11, 0), task(12, 0, 'io')]),
      1000,
      0,
    );
    expect(asked).toEqual([10]);
    const merged = rows.merged(processes, 1);
    expect([...merged.keys()].sort()).toEqual([10, 11, 12, 20]);
    const t = merged.get(12) as ProcessInfo;
    expect(t.ppid).toBe(10);
    expect(t.comm).toBe('io');
    expect(t.cmdline).toEqual(['server', '--port', '80']);
    expect(t.startMs).toBe(5000);
    expect(rows.isThread(12)).toBe(true);
    expect(rows.isThread(10)).toBe(false);
  });

  it('gives each thread the CPU% it used since its previous sample, 0 on its first', () => {
    const processes = new Map<Pid, ProcessInfo>([[10, proc(10, 2)]]);
    const rows = new ThreadRows();
    rows.sample(processes, () => [task(11, 100)], 1000, 0);
    expect(rows.merged(processes, 1).get(11)?.cpuPercent).toBe(0);
    // 50 ticks (500 ms) over 1000 ms: half a core.
    rows.sample(processes, () => [task(11, 150)], 2000, 0);
    expect(rows.merged(processes, 2).get(11)?.cpuPercent).toBeCloseTo(50);
  });

  it('drops the threads of a process that exited after the sample, and of one that is gone from /proc', () => {
    const processes = new Map<Pid, ProcessInfo>([
      [10, proc(10, 2)],
      [30, proc(30, 2)],
    ]);
    const rows = new ThreadRows();
    rows.sample(processes, (tgid) => (tgid === 30 ? null : [task(11, 0)]), 1000, 0);
    expect(rows.merged(processes, 1).has(11)).toBe(true);
    processes.set(10, proc(10, 2, 1500));
    expect(rows.merged(processes, 2).has(11)).toBe(false);
  });
});
