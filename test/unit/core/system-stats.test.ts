import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessRecord } from '../../../src/core/model/process-record.js';
import { ProcessTable } from '../../../src/core/model/process-table.js';
import { ProcReader } from '../../../src/core/proc/proc-reader.js';
import { SystemSampler } from '../../../src/core/system-stats.js';
import {
  busyPercent,
  parseCpuTicks,
  parseLoadavg,
  parseMeminfo,
  parseUptimeMs,
} from '../../../src/core/system-stats-parse.js';
import { parsePasswd } from '../../../src/core/users.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/proc', import.meta.url));

describe('host-wide parsers', () => {
  it('counts idle and iowait as not busy, per CPU line, aggregate first', () => {
    const ticks = parseCpuTicks('cpu  10 0 10 70 10 0 0 0 0 0\ncpu0 5 0 5 35 5 0 0 0 0 0\nintr 1 2\n');
    expect(ticks).toEqual([
      { busy: 20, total: 100 },
      { busy: 10, total: 50 },
    ]);
    expect(busyPercent({ busy: 20, total: 100 }, { busy: 70, total: 200 })).toBe(50);
    expect(busyPercent({ busy: 20, total: 100 }, { busy: 20, total: 100 })).toBe(0);
  });
  it('reads meminfo in bytes, loadavg and uptime', () => {
    expect(parseMeminfo('MemTotal:  100 kB\nHugePages_Total:  3\n')).toEqual(
      new Map([
        ['MemTotal', 102_400],
        ['HugePages_Total', 3],
      ]),
    );
    expect(parseLoadavg('0.52 0.58 0.59 2/131 4567\n')).toEqual([0.52, 0.58, 0.59]);
    expect(parseUptimeMs('12345.67 9999.00\n')).toBeCloseTo(12_345_670, 3);
  });
  it('maps uids to the first name in passwd, skipping broken lines', () => {
    const names = parsePasswd(
      'root:x:0:0:root:/root:/bin/bash\nbroken\nalice:x:1000:1000::/home/alice:/bin/sh\ndup:x:0:0::/:/bin/sh\n',
    );
    expect(names).toEqual(
      new Map([
        [0, 'root'],
        [1000, 'alice'],
      ]),
    );
  });
});

describe('SystemSampler on a fixture /proc', () => {
  const root = mkdtempSync(join(tmpdir(), 'cntop-sys-'));
  cpSync(FIXTURE, root, { recursive: true });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('computes per-core busy % between two samples, memory, swap, load, uptime and task counts', () => {
    const table = new ProcessTable({ tombstoneMs: 3000, exitedCapacity: 10, userName: String });
    for (const [pid, kernel, state, threads] of [
      [1, false, 'S', 1],
      [2, true, 'S', 1],
      [3, true, 'I', 1],
      [100, false, 'R', 3],
    ] as const) {
      const record = new ProcessRecord(pid, 0, 0);
      record.isKernelThread = kernel;
      record.state = state;
      record.threads = threads;
      table.insert(record);
    }
    const sampler = new SystemSampler(new ProcReader(root));
    sampler.sample(table, 50_000);
    // cpu0 spends 100 more busy ticks and 100 more idle ones; cpu1 stays idle.
    writeFileSync(
      join(root, 'stat'),
      'cpu  1100 0 500 8100 100 0 0 0 0 0\ncpu0 600 0 250 4050 50 0 0 0 0 0\ncpu1 500 0 250 4050 50 0 0 0 0 0\n',
    );
    const stats = sampler.sample(table, 51_000);
    expect(stats.cpuPercentPerCore).toEqual([(100 / 150) * 100, 0]);
    expect(stats.cpuPercentTotal).toBeCloseTo((100 / 200) * 100, 5);
    expect(stats).toMatchObject({
      memTotalBytes: 2_048_000 * 1024,
      memUsedBytes: (2_048_000 - 1_024_000) * 1024,
      memCacheBytes: (300_000 + 10_000 + 20_000) * 1024,
      swapTotalBytes: 1_000_000 * 1024,
      swapUsedBytes: 250_000 * 1024,
      loadAverage: [0.52, 0.58, 0.59],
      uptimeMs: 100_000,
      tasks: { total: 2, running: 1, threads: 2, kernelThreads: 2 },
    });
    expect(sampler.bootOffsetMs).toBe(100_000 - 51_000);
  });
});
