// Where a listener's CPU goes by thread: /proc task stat parsing and the per-name sums over a window.
import { describe, expect, it } from 'vitest';
import { formatThreadCpu, parseTaskStat, threadCpuDelta } from '../../../bench/lib/thread-cpu.mjs';

// A /proc/<pid>/task/<tid>/stat line: utime is field 14, stime field 15 (here 120 and 30).
const stat = (comm: string, utime: number, stime: number) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1000 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 12345 1000000 5000 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0`;

describe('parseTaskStat', () => {
  it('reads the thread name and utime + stime', () => {
    expect(parseTaskStat(stat('cntop-reader', 120, 30))).toEqual({ comm: 'cntop-reader', ticks: 150 });
  });

  it('keeps a name with spaces and parentheses whole', () => {
    expect(parseTaskStat(stat('a (b) c', 1, 2))).toEqual({ comm: 'a (b) c', ticks: 3 });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseTaskStat('')).toBeNull();
    expect(parseTaskStat('12 (x) S')).toBeNull();
  });
});

describe('threadCpuDelta', () => {
  const t = (comm: string, ticks: number) => ({ comm, ticks });

  it('sums the window per thread name, names the main thread by its tid, most first', () => {
    const before = new Map([
      [100, t('node', 50)],
      [101, t('node', 10)],
      [102, t('node', 10)],
      [103, t('cntop-reader', 5)],
    ]);
    const after = new Map([
      [100, t('node', 90)],
      [101, t('node', 15)],
      [102, t('node', 20)],
      [103, t('cntop-reader', 35)],
    ]);
    expect(threadCpuDelta(before, after, 100, null, 100)).toEqual([
      { name: 'main', cpuS: 0.4, threads: 1 },
      { name: 'cntop-reader', cpuS: 0.3, threads: 1 },
      { name: 'node', cpuS: 0.15, threads: 2 },
    ]);
  });

  it('counts a thread born in the window from zero, and one whose tid came back under another name', () => {
    const before = new Map([[7, t('old', 500)]]);
    const after = new Map([
      [7, t('new', 20)],
      [8, t('worker', 10)],
    ]);
    expect(threadCpuDelta(before, after, 100)).toEqual([
      { name: 'new', cpuS: 0.2, threads: 1 },
      { name: 'worker', cpuS: 0.1, threads: 1 },
    ]);
  });

  it('shows what threads that ended in the window used, from the process total', () => {
    const rows = threadCpuDelta(new Map([[1, t('a', 0)]]), new Map([[1, t('a', 50)]]), 100, 0.8, null);
    expect(rows.map((r) => r.name)).toEqual(['a', '(ended threads)']);
    expect(rows[1]?.cpuS).toBeCloseTo(0.3);
    // Within a tick of the total: nothing is invented.
    expect(threadCpuDelta(new Map(), new Map([[1, t('a', 50)]]), 100, 0.505)).toHaveLength(1);
  });
});

describe('formatThreadCpu', () => {
  it('gives seconds and shares, with a count for names shared by several threads', () => {
    expect(
      formatThreadCpu([
        { name: 'main', cpuS: 0.6, threads: 1 },
        { name: 'node', cpuS: 0.4, threads: 4 },
        { name: 'idle', cpuS: 0, threads: 1 },
      ]),
    ).toBe('main 0.60 s (60%), node x4 0.40 s (40%)');
    expect(formatThreadCpu([])).toBe('no CPU');
  });
});
