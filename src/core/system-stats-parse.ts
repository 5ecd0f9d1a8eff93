// Pure parsers for the host-wide /proc files behind the header meters:
// /proc/stat (cpu lines), /proc/meminfo, /proc/loadavg, /proc/uptime (proc(5)).

/** Busy and total ticks of one CPU line ("cpu0 user nice system idle iowait irq softirq steal …"). */
export interface CpuTicks {
  readonly busy: number;
  readonly total: number;
}

/** The aggregate "cpu" line first, then cpu0, cpu1, … in order. */
export function parseCpuTicks(text: string): CpuTicks[] {
  const result: CpuTicks[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0);
    // idle (4th) and iowait (5th) are the not-busy time, as top and htop count it.
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    result.push({ busy: total - idle, total });
  }
  return result;
}

/** Busy percentage between two readings of the same CPU. */
export function busyPercent(before: CpuTicks | undefined, after: CpuTicks): number {
  if (before === undefined) return after.total > 0 ? (after.busy / after.total) * 100 : 0;
  const total = after.total - before.total;
  return total > 0 ? Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100)) : 0;
}

/** meminfo keys → bytes ("MemTotal:  16384 kB"). */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const number = Number.parseInt(line.slice(colon + 1), 10);
    if (Number.isFinite(number)) values.set(line.slice(0, colon), line.endsWith('kB') ? number * 1024 : number);
  }
  return values;
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.split(' ').map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}

/** First number of /proc/uptime: seconds since boot (CLOCK_BOOTTIME), in ms. */
export function parseUptimeMs(text: string): number {
  const seconds = Number.parseFloat(text);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}
