// The header meters, htop-like: CPU per core, memory, swap on the left; tasks, load average, uptime
// and a one-line event-source summary on the right. Draws into a Canvas; no terminal here.
import type { EngineStatus } from '../../core/engine-api.js';
import type { SystemStats } from '../../core/types.js';
import type { Canvas, Rect, Segment, StyleName } from '../canvas.js';
import { formatBytes, formatUptime } from '../format.js';
import { METER_IDS, type MeterId } from '../viewer-preferences.js';

const SIDE_BY_SIDE_CPUS = 4;

/** Figures the header shows beside the engine's system stats. */
export interface HeaderExtras {
  /**
   * CPU burned by the processes that exited during the last interval, percent of one core (htop's
   * process CPU% scale: 2 cores busy = 200%), or null before the first interval.
   */
  readonly exitCpuPercent: number | null;
  /** The meters to draw, in order (F2 setup); all by default. */
  readonly meters?: readonly MeterId[];
}

/** Lines the header needs for this machine: CPUs beyond four go into a grid above the other meters. */
export function headerHeight(system: SystemStats, meters: readonly MeterId[] = METER_IDS): number {
  const cpus = meters.includes('cpu') ? system.cpuPercentPerCore.length : 0;
  const left =
    (cpus <= SIDE_BY_SIDE_CPUS ? cpus : 0) +
    meters.filter((m) => m === 'cpuavg' || m === 'exits' || m === 'memory' || m === 'swap').length;
  // The right column: tasks, load and uptime as chosen, and always the event source's line.
  const right = meters.filter((m) => m === 'tasks' || m === 'load' || m === 'uptime').length + 1;
  return (cpus > SIDE_BY_SIDE_CPUS ? cpuGridRows(cpus) : 0) + Math.max(left, right);
}

function cpuGridRows(cpus: number): number {
  return Math.ceil(cpus / Math.min(4, Math.ceil(cpus / 4)));
}

export function drawHeader(
  canvas: Canvas,
  rect: Rect,
  system: SystemStats,
  status: EngineStatus,
  nowMs: number,
  extras?: HeaderExtras,
): void {
  const meters = extras?.meters ?? METER_IDS;
  const cpus = meters.includes('cpu') ? system.cpuPercentPerCore : [];
  const half = Math.floor(rect.width / 2);
  const meterWidth = Math.max(12, half - 2);
  let y = rect.y;
  const left: Array<() => Segment[]> = [];
  const leftMeters: Partial<Record<MeterId, () => Segment[]>> = {
    cpuavg: () => cpuMeter('Avg', average(system.cpuPercentPerCore), meterWidth),
    exits: () => exitMeter(extras?.exitCpuPercent ?? null, Math.max(1, system.cpuPercentPerCore.length), meterWidth),
    memory: () =>
      meter(
        'Mem',
        [
          [system.memUsedBytes, 'meterLow'],
          [system.memCacheBytes, 'meterMid'],
        ],
        system.memTotalBytes,
        `${formatBytes(system.memUsedBytes)}/${formatBytes(system.memTotalBytes)}`,
        meterWidth,
      ),
    swap: () =>
      meter(
        'Swp',
        [[system.swapUsedBytes, 'meterHigh']],
        system.swapTotalBytes,
        `${formatBytes(system.swapUsedBytes)}/${formatBytes(system.swapTotalBytes)}`,
        meterWidth,
      ),
  };
  if (cpus.length <= SIDE_BY_SIDE_CPUS) {
    cpus.forEach((pct, i) => left.push(() => cpuMeter(String(i).padStart(3), pct, meterWidth)));
  } else {
    const columns = Math.min(4, Math.ceil(cpus.length / 4));
    const rows = cpuGridRows(cpus.length);
    const cellWidth = Math.floor(rect.width / columns) - 1;
    cpus.forEach((pct, i) =>
      canvas.writeSegments(
        rect.x + Math.floor(i / rows) * (cellWidth + 1),
        y + (i % rows),
        cpuMeter(String(i).padStart(3), pct, cellWidth),
        cellWidth,
      ),
    );
    y += rows;
  }
  for (const id of meters) {
    const draw = leftMeters[id];
    if (draw !== undefined) left.push(draw);
  }
  const right = rightColumn(system, status, nowMs, meters);
  const lines = Math.max(left.length, right.length);
  for (let i = 0; i < lines && y + i < rect.y + rect.height; i++) {
    const l = left[i];
    if (l !== undefined) canvas.writeSegments(rect.x + 1, y + i, l(), meterWidth);
    const r = right[i];
    if (r !== undefined) canvas.writeSegments(rect.x + half + 2, y + i, r, rect.width - half - 2);
  }
}

/** "Ext[||     37.5%]": CPU of the processes that exited in the last interval; the bar spans all cores. */
function exitMeter(percent: number | null, cores: number, width: number): Segment[] {
  if (percent === null) return meter('Ext', [], 100, 'exits: -', width);
  const style: StyleName = percent >= 80 * cores ? 'meterHigh' : percent >= 50 * cores ? 'meterMid' : 'meterLow';
  return meter('Ext', [[percent, style]], 100 * cores, `exits ${percent.toFixed(1)}%`, width);
}

function cpuMeter(label: string, percent: number, width: number): Segment[] {
  const style: StyleName = percent >= 80 ? 'meterHigh' : percent >= 50 ? 'meterMid' : 'meterLow';
  return meter(label, [[percent, style]], 100, `${percent.toFixed(1)}%`, width);
}

/** All cores in one bar (htop's CPU average meter): 100% = every core busy. */
function average(perCore: readonly number[]): number {
  return perCore.length === 0 ? 0 : perCore.reduce((sum, p) => sum + p, 0) / perCore.length;
}

/** "Mem[|||||||      3.00G/8.00G]": bar parts in their styles, the value right-aligned inside over the bar. */
export function meter(
  label: string,
  parts: ReadonlyArray<readonly [number, StyleName]>,
  total: number,
  value: string,
  width: number,
): Segment[] {
  const inner = Math.max(0, width - label.length - 2);
  const chars = new Array<string>(inner).fill(' ');
  const styles = new Array<StyleName>(inner).fill('text');
  let used = 0;
  for (const [amount, style] of parts) {
    const n = total > 0 ? Math.min(inner - used, Math.round((Math.max(0, amount) / total) * inner)) : 0;
    for (let i = used; i < used + n; i++) {
      chars[i] = '|';
      styles[i] = style;
    }
    used += Math.max(0, n);
  }
  if (value.length <= inner) {
    for (let i = 0; i < value.length; i++) {
      chars[inner - value.length + i] = value[i] as string;
      styles[inner - value.length + i] = 'dim';
    }
  }
  return [
    { text: label, style: 'label' },
    { text: '[', style: 'value' },
    ...runs(chars, styles),
    { text: ']', style: 'value' },
  ];
}

/** Groups neighbouring cells of the same style into segments. */
function runs(chars: readonly string[], styles: readonly StyleName[]): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= chars.length; i++) {
    if (i === chars.length || styles[i] !== styles[start]) {
      out.push({ text: chars.slice(start, i).join(''), style: styles[start] ?? 'text' });
      start = i;
    }
  }
  return out;
}

function rightColumn(
  system: SystemStats,
  status: EngineStatus,
  nowMs: number,
  meters: readonly MeterId[],
): Segment[][] {
  const t = system.tasks;
  const [l1, l5, l15] = system.loadAverage;
  const lastEvent = status.connector?.lastEventMs ?? null;
  const source: Segment[] =
    status.mode === 'netlink'
      ? [
          { text: 'Events: ', style: 'label' },
          { text: 'live netlink', style: 'good' },
          { text: lastEvent === null ? ', none yet' : `, last ${formatAgo(nowMs - lastEvent)} ago`, style: 'value' },
        ]
      : [
          { text: 'Events: ', style: 'label' },
          { text: 'POLLING', style: 'bad' },
          { text: ' (Connector tab: why)', style: 'value' },
        ];
  const lines: Partial<Record<MeterId, Segment[]>> = {
    tasks: [
      { text: 'Tasks: ', style: 'label' },
      { text: `${t.total}, ${t.threads} thr, ${t.kernelThreads} kthr; ${t.running} running`, style: 'value' },
    ],
    load: [
      { text: 'Load average: ', style: 'label' },
      { text: `${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`, style: 'value' },
    ],
    uptime: [
      { text: 'Uptime: ', style: 'label' },
      { text: formatUptime(system.uptimeMs), style: 'value' },
    ],
  };
  // Where events come from is not a meter one may remove: it says whether cntop is blind.
  return [...meters.map((id) => lines[id]).filter((l): l is Segment[] => l !== undefined), source];
}

function formatAgo(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m`;
}
