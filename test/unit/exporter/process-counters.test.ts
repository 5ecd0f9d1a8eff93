import { describe, expect, it } from 'vitest';
import type { AccountedExit } from '../../../src/core/accounting/exit-accountant.js';
import type { ExitAccounting } from '../../../src/core/accounting/task-record.js';
import { decodeWaitStatus } from '../../../src/core/exit-status.js';
import type { ExitEvent } from '../../../src/core/types.js';
import { ProcessCounters } from '../../../src/exporter/process-counters.js';
import { slotOptions } from '../../../src/exporter/command-slots.js';
import { exec, exit, fork } from '../../helpers/builders.js';

function accounting(comm: string, cpuMs: number): ExitAccounting {
  return {
    comm,
    cpuMs,
    userMs: cpuMs,
    systemMs: 0,
    peakRssKiB: 1000,
    readBytes: 0,
    writeBytes: 0,
    minorFaults: 0,
    majorFaults: 0,
    voluntarySwitches: 0,
    involuntarySwitches: 0,
  };
}

/** An accounted process end as the engine reports it. */
function ended(
  pid: number,
  comm: string,
  how: { code?: number; signal?: number } = {},
  cpuMs: number | null = 4,
  event: ExitEvent | null = exit(pid, 10, how),
): AccountedExit {
  const status = decodeWaitStatus(event?.exitCode ?? 0);
  return {
    event,
    process: {
      pid,
      ppid: 1,
      comm,
      cmdline: [comm, '--password=hunter2'],
      user: 'root',
      status,
      startMs: 0,
      exitMs: 10,
      lifetimeMs: 10,
      accounting: cpuMs === null ? null : accounting(comm, cpuMs),
    },
    accounting: cpuMs === null ? null : accounting(comm, cpuMs),
  };
}

function seriesMap(
  counters: ProcessCounters,
): Map<string, { starts: number; ok: number; failed: number; signaled: number; cpu: number }> {
  return new Map(
    counters.series().map(([command, c]) => [command, { starts: c.starts, ...c.exits, cpu: c.cpuSeconds }]),
  );
}

describe('ProcessCounters', () => {
  it('counts execs as starts and ends by command and outcome, with their CPU in seconds', () => {
    const counters = new ProcessCounters(10);
    counters.countEvents([fork(100, 1, 0), exec(100, 1, 'make'), exec(101, 1, 'cc'), exec(102, 1, 'cc')], 0);
    counters.countExits(
      [ended(100, 'make', { code: 0 }, 8), ended(101, 'cc', { code: 1 }, 4), ended(102, 'cc', { signal: 9 }, null)],
      1,
    );
    expect(seriesMap(counters)).toEqual(
      new Map([
        ['make', { starts: 1, ok: 1, failed: 0, signaled: 0, cpu: 0.008 }],
        ['cc', { starts: 2, ok: 0, failed: 1, signaled: 1, cpu: 0.004 }],
        ['other', { starts: 0, ok: 0, failed: 0, signaled: 0, cpu: 0 }],
      ]),
    );
    expect(counters.eventsByKind).toMatchObject({ fork: 1, exec: 3, exit: 0 });
  });

  it('names an exec read too late (its process was gone) by its exit, and counts it under other if no exit comes', () => {
    const counters = new ProcessCounters(10);
    counters.countEvents([exec(200, 0, null), exec(201, 0, null)], 0);
    expect(seriesMap(counters).get('other')?.starts).toBe(0);
    counters.countExits([ended(200, 'short')], 5);
    expect(seriesMap(counters).get('short')).toMatchObject({ starts: 1, ok: 1 });
    counters.countEvents([], 10_001);
    expect(seriesMap(counters).get('other')?.starts).toBe(1);
  });

  it('leaves out thread exits and ends found by a /proc scan (no exit event), and never counts arguments', () => {
    const counters = new ProcessCounters(10);
    counters.countExits(
      [{ event: exit(301, 0, { tgid: 300 }), process: null, accounting: null }, ended(302, 'gone', {}, 4, null)],
      0,
    );
    const all = [...seriesMap(counters).values()].reduce((sum, c) => sum + c.ok + c.failed + c.signaled, 0);
    expect(all).toBe(0);
    expect(JSON.stringify(counters.series())).not.toContain('hunter2');
  });

  it('sanitizes names, and counts a nameless process and one really named "other" under other', () => {
    const counters = new ProcessCounters(10);
    counters.countEvents([exec(1, 0, 'evil\x1b[2J'), exec(2, 0, 'other'), exec(3, 0, '')], 0);
    expect([...seriesMap(counters).keys()]).toEqual(['evil?[2J', 'other']);
    expect(seriesMap(counters).get('other')?.starts).toBe(1); // '' waits for its exit's name
  });

  it('resumes an evicted command where it stopped, so no series ever goes down or restarts', () => {
    const counters = new ProcessCounters(1, { ...slotOptions(1), halfLifeMs: 1000 });
    let pid = 1000;
    const burst = (comm: string, n: number, nowMs: number): void => {
      for (let i = 0; i < n; i++) {
        counters.countEvents([exec(++pid, nowMs, comm)], nowMs);
        counters.countExits([ended(pid, comm)], nowMs);
      }
    };
    burst('first', 5, 0);
    expect(seriesMap(counters).get('first')).toMatchObject({ starts: 5, ok: 5 });
    burst('second', 20, 10_000); // first has gone quiet: second takes its slot
    expect(seriesMap(counters).has('first')).toBe(false);
    const second = seriesMap(counters).get('second');
    burst('first', 40, 30_000); // and first takes it back, from 5, not from 0
    const first = seriesMap(counters).get('first');
    expect(first?.starts).toBeGreaterThan(5);
    const other = seriesMap(counters).get('other');
    // Every event is counted exactly once: own series, frozen ones and other add up to all of them.
    expect((first?.starts ?? 0) + (second?.starts ?? 0) + (other?.starts ?? 0)).toBe(65);
    expect(counters.slots.evictions).toBe(2);
  });

  it('never lowers any exposed value, over a long random run with few slots', () => {
    const counters = new ProcessCounters(3, { ...slotOptions(3), halfLifeMs: 2000 });
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    let last = seriesMap(counters);
    let pid = 1;
    let total = 0;
    const lowered: string[] = [];
    for (let step = 0; step < 12_000; step++) {
      const nowMs = step * 10;
      // A skewed mix whose favourite changes every 1000 events (5 half-lives), so slots change hands.
      const name = names[(Math.floor(step / 1000) + Math.floor(random() ** 3 * names.length)) % names.length] as string;
      counters.countEvents([exec(++pid, nowMs, name)], nowMs);
      counters.countExits([ended(pid, name, random() < 0.2 ? { code: 2 } : {})], nowMs);
      total++;
      const now = seriesMap(counters);
      for (const [command, was] of last) {
        const is = now.get(command);
        if (is === undefined) continue; // evicted: its series ended
        for (const key of ['starts', 'ok', 'failed', 'signaled', 'cpu'] as const)
          if (is[key] < was[key]) lowered.push(`${command} ${key} at ${step}`);
      }
      last = now;
    }
    expect(lowered).toEqual([]);
    expect(counters.slots.evictions).toBeGreaterThan(10);
    expect(seriesMap(counters).size).toBeLessThanOrEqual(4);
    // Whatever is not exposed now sits in frozen series; exposed + frozen + other == total.
    expect([...seriesMap(counters).values()].reduce((s, c) => s + c.starts, 0)).toBeLessThanOrEqual(total);
  });
});
