// The sliding window of exited processes' CPU: by command, by subtree, the window's edge, late
// arrivals, exits without a record, and the bound on distinct names.
import { describe, expect, it } from 'vitest';
import { ExitWindow, OTHER_COMMANDS, type ExitSample } from '../../../../src/core/accounting/exit-window.js';

const sample = (command: string, exitMs: number, fields: Partial<ExitSample> = {}): ExitSample => ({
  command,
  parent: 100,
  cpuMs: 5,
  peakRssKiB: 1000,
  failed: false,
  exitMs,
  ...fields,
});

describe('ExitWindow', () => {
  it('sums count, failures, CPU and the largest peak RSS by command, the most CPU first', () => {
    const window = new ExitWindow(10_000);
    for (let i = 0; i < 100; i++) window.add(sample('cc1', 1000 + i, { cpuMs: 40, peakRssKiB: 20_000 + i }));
    for (let i = 0; i < 300; i++) window.add(sample('sh', 1000 + i, { cpuMs: 1, failed: i % 3 === 0 }));
    window.add(sample('sed', 1500, { cpuMs: null, peakRssKiB: null }));
    expect(window.byCommand(2000)).toEqual([
      { command: 'cc1', count: 100, failures: 0, cpuMs: 4000, withoutCpu: 0, peakRssKiB: 20_099 },
      { command: 'sh', count: 300, failures: 100, cpuMs: 300, withoutCpu: 0, peakRssKiB: 1000 },
      { command: 'sed', count: 1, failures: 0, cpuMs: 0, withoutCpu: 1, peakRssKiB: 0 },
    ]);
    expect(window.total(2000)).toMatchObject({ count: 401, failures: 100, cpuMs: 4300, withoutCpu: 1 });
  });

  it('forgets exits older than the window, and total() can look at a shorter span', () => {
    const window = new ExitWindow(10_000, 1000);
    window.add(sample('old', 500));
    window.add(sample('recent', 9_500));
    expect(window.byCommand(10_000).map((c) => c.command)).toEqual(['old', 'recent'].sort());
    expect(window.byCommand(11_000).map((c) => c.command)).toEqual(['recent']);
    expect(window.total(10_000, 1000)).toMatchObject({ count: 1, cpuMs: 5 }); // the last second only
    expect(window.total(30_000)).toMatchObject({ count: 0, cpuMs: 0 });
  });

  it('puts an exit that arrives late (another CPU) in its own second', () => {
    const window = new ExitWindow(10_000, 1000);
    window.add(sample('a', 3_100));
    window.add(sample('b', 1_900));
    window.add(sample('c', 2_500));
    // Spans are counted in whole buckets (seconds): at 4 s, the last second holds a, the last two a and c.
    expect(window.total(4_000, 1000)).toMatchObject({ count: 1 });
    expect(window.total(4_000, 2000)).toMatchObject({ count: 2 });
    expect(window.total(4_000, 3000)).toMatchObject({ count: 3 });
  });

  it('attributes each exit to its parent and every ancestor', () => {
    const window = new ExitWindow();
    const parents = new Map([
      [300, 200],
      [200, 1],
      [1, 0],
    ]);
    window.add(sample('cc1', 100, { parent: 300, cpuMs: 30 }));
    window.add(sample('ld', 100, { parent: 200, cpuMs: 7, failed: true }));
    const subtree = window.bySubtree(1000, (pid) => parents.get(pid));
    expect(subtree.get(300)).toMatchObject({ count: 1, cpuMs: 30, failures: 0 });
    expect(subtree.get(200)).toMatchObject({ count: 2, cpuMs: 37, failures: 1 });
    expect(subtree.get(1)).toMatchObject({ count: 2, cpuMs: 37 });
    expect(subtree.has(0)).toBe(false);
  });

  it('survives a cycle in the parent chain', () => {
    const window = new ExitWindow();
    window.add(sample('x', 100, { parent: 5 }));
    const subtree = window.bySubtree(1000, (pid) => (pid === 5 ? 6 : 5));
    expect(subtree.get(5)?.count).toBeGreaterThan(0);
  });

  it('bounds the distinct names per second: a storm of random names lands under (other)', () => {
    const window = new ExitWindow();
    for (let i = 0; i < 5000; i++) window.add(sample(`rnd${i}`, 100));
    const rows = window.byCommand(500);
    expect(rows.length).toBe(4097);
    expect(rows.find((r) => r.command === OTHER_COMMANDS)?.count).toBe(5000 - 4096);
  });
});
