// Samples the header meters: per-core CPU from /proc/stat deltas, memory and swap, load, uptime,
// and task counts from the model. Also yields MemTotal and the boot offset the row sampler needs.
import type { ProcReader } from './proc/proc-reader.js';
import type { ProcessTable } from './model/process-table.js';
import {
  busyPercent,
  parseCpuTicks,
  parseLoadavg,
  parseMeminfo,
  parseUptimeMs,
  type CpuTicks,
} from './system-stats-parse.js';
import type { SystemStats } from './types.js';

export const EMPTY_SYSTEM_STATS: SystemStats = Object.freeze({
  cpuPercentPerCore: [],
  cpuPercentTotal: 0,
  memTotalBytes: 0,
  memUsedBytes: 0,
  memCacheBytes: 0,
  swapTotalBytes: 0,
  swapUsedBytes: 0,
  loadAverage: [0, 0, 0] as const,
  uptimeMs: 0,
  tasks: { total: 0, running: 0, threads: 0, kernelThreads: 0 },
});

export class SystemSampler {
  private previousCpu: CpuTicks[] = [];
  stats: SystemStats = EMPTY_SYSTEM_STATS;
  /** CLOCK_BOOTTIME - CLOCK_MONOTONIC (suspend time), from the last uptime reading. */
  bootOffsetMs = 0;

  constructor(private readonly reader: ProcReader) {}

  /** Reads uptime only: enough to place stat start times before the first full sample. */
  readBootOffset(nowMs: number): number {
    const uptime = this.reader.readRootFile('uptime');
    if (uptime.ok) this.bootOffsetMs = parseUptimeMs(uptime.value) - nowMs;
    return this.bootOffsetMs;
  }

  sample(table: ProcessTable, nowMs: number): SystemStats {
    const cpu = this.reader.readRootFile('stat');
    const ticks = cpu.ok ? parseCpuTicks(cpu.value) : [];
    const perCore = ticks.slice(1).map((after, i) => busyPercent(this.previousCpu[i + 1], after));
    const total = ticks[0] === undefined ? 0 : busyPercent(this.previousCpu[0], ticks[0]);
    this.previousCpu = ticks;
    const memText = this.reader.readRootFile('meminfo');
    const mem = memText.ok ? parseMeminfo(memText.value) : new Map<string, number>();
    const get = (key: string): number => mem.get(key) ?? 0;
    const load = this.reader.readRootFile('loadavg');
    const uptime = this.reader.readRootFile('uptime');
    const uptimeMs = uptime.ok ? parseUptimeMs(uptime.value) : 0;
    if (uptime.ok) this.bootOffsetMs = uptimeMs - nowMs;
    const memTotal = get('MemTotal');
    this.stats = {
      cpuPercentPerCore: perCore,
      cpuPercentTotal: total,
      memTotalBytes: memTotal,
      memUsedBytes: Math.max(0, memTotal - (mem.get('MemAvailable') ?? get('MemFree'))),
      memCacheBytes: get('Cached') + get('Buffers') + get('SReclaimable'),
      swapTotalBytes: get('SwapTotal'),
      swapUsedBytes: Math.max(0, get('SwapTotal') - get('SwapFree')),
      loadAverage: load.ok ? parseLoadavg(load.value) : [0, 0, 0],
      uptimeMs,
      tasks: countTasks(table),
    };
    return this.stats;
  }
}

/** htop's Tasks meter: processes, running ones, user threads beyond the main one, kernel threads. */
export function countTasks(table: ProcessTable): SystemStats['tasks'] {
  let total = 0;
  let running = 0;
  let threads = 0;
  let kernelThreads = 0;
  for (const record of table.processes.values()) {
    if (record.exitMs !== null) continue;
    if (record.isKernelThread) {
      kernelThreads++;
      continue;
    }
    total++;
    threads += Math.max(0, record.threads - 1);
    if (record.state === 'R') running++;
  }
  return { total, running, threads, kernelThreads };
}
