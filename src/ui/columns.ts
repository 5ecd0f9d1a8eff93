// The process table's columns: header label, width, alignment, how a value is formatted and how two
// processes compare. Pure; the view-model lays rows out with these, the reducer cycles sort keys over them.
import { signalName } from '../core/exit-status.js';
import type { ProcessInfo } from '../core/types.js';
import { formatAge, formatBytes, formatClock, formatElapsed, formatPercent, formatTimePlus } from './format.js';
import { extrasOf, type ExtraNeed } from './process-extras.js';
import { DEFAULT_COLUMN_IDS, type ColumnId } from './column-ids.js';

export { COLUMN_IDS, DEFAULT_COLUMN_IDS, type ColumnId } from './column-ids.js';

export interface Column {
  readonly id: ColumnId;
  readonly label: string;
  /** Cells; the command column takes whatever is left (its width here is the minimum). */
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Sorting by this column starts descending (biggest first), as htop's P/M/T do. */
  readonly defaultDescending: boolean;
  /** The raw comparable value; the command column compares text. */
  readonly key: (p: ProcessInfo, nowMs: number) => number | string;
  /**
   * The sort key as a non-negative integer below 2^30 (coarser units where needed), so that
   * (key, pid) packs into one double and 10,000 rows sort natively; null for text columns.
   */
  readonly sortInt: ((p: ProcessInfo, nowMs: number) => number) | null;
  /** Cell text for fixed-width columns (the command column is built by the view-model). */
  readonly format: (p: ProcessInfo, nowMs: number) => string;
  /** What it needs read from /proc beyond the engine's sample (process-extras.ts), if anything. */
  readonly needs?: ExtraNeed;
  /** What F2 setup says about it. */
  readonly description: string;
}

const column = (c: Column): Column => c;

export const COLUMNS: readonly Column[] = [
  column({
    id: 'pid',
    description: 'process id',
    sortInt: (p) => p.pid,
    label: 'PID',
    width: 7,
    align: 'right',
    defaultDescending: false,
    key: (p) => p.pid,
    format: (p) => String(p.pid),
  }),
  column({
    id: 'user',
    description: 'owner (real uid)',
    sortInt: null,
    label: 'USER',
    width: 8,
    align: 'left',
    defaultDescending: false,
    key: (p) => p.user,
    format: (p) => p.user,
  }),
  column({
    id: 'priority',
    description: 'kernel scheduling priority (RT for real-time)',
    sortInt: (p) => p.priority + 200,
    label: 'PRI',
    width: 3,
    align: 'right',
    defaultDescending: false,
    key: (p) => p.priority,
    format: (p) => (p.priority < -99 ? 'RT' : String(p.priority)),
  }),
  column({
    id: 'nice',
    description: 'nice value',
    sortInt: (p) => p.nice + 20,
    label: 'NI',
    width: 3,
    align: 'right',
    defaultDescending: false,
    key: (p) => p.nice,
    format: (p) => String(p.nice),
  }),
  column({
    id: 'virt',
    description: 'virtual memory size',
    sortInt: (p) => Math.floor(p.virtBytes / 65536),
    label: 'VIRT',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => p.virtBytes,
    format: (p) => formatBytes(p.virtBytes),
  }),
  column({
    id: 'res',
    description: 'resident memory',
    sortInt: (p) => Math.floor(p.rssBytes / 4096),
    label: 'RES',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => p.rssBytes,
    format: (p) => formatBytes(p.rssBytes),
  }),
  column({
    id: 'state',
    description: 'state (R running, S sleeping, D disk, Z zombie, T stopped)',
    sortInt: null,
    label: 'S',
    width: 1,
    align: 'left',
    defaultDescending: false,
    key: (p) => p.state,
    format: (p) => p.state,
  }),
  column({
    id: 'cpu',
    description: 'CPU use over the last interval, % of one core',
    sortInt: (p) => Math.round(p.cpuPercent * 1000),
    label: 'CPU%',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => p.cpuPercent,
    format: (p) => formatPercent(p.cpuPercent),
  }),
  column({
    id: 'mem',
    description: 'resident memory, % of RAM',
    sortInt: (p) => Math.round(p.memPercent * 1000),
    label: 'MEM%',
    width: 4,
    align: 'right',
    defaultDescending: true,
    key: (p) => p.memPercent,
    format: (p) => formatPercent(p.memPercent),
  }),
  column({
    id: 'time',
    description: 'CPU time used, user + system',
    sortInt: (p) => Math.floor(p.cpuTimeMs / 10),
    label: 'TIME+',
    width: 8,
    align: 'right',
    defaultDescending: true,
    key: (p) => p.cpuTimeMs,
    format: (p) => formatTimePlus(p.cpuTimeMs),
  }),
  // Youngest first: the interesting processes in a live viewer are the ones that just appeared.
  column({
    id: 'age',
    description: 'time since it started (cntop)',
    sortInt: (p, now) => Math.floor((now - p.startMs) / 10),
    label: 'AGE',
    width: 5,
    align: 'right',
    defaultDescending: false,
    key: (p, now) => now - p.startMs,
    format: (p, now) => formatAge(now - p.startMs),
  }),
  // Optional columns (F2 setup); the ones that read /proc beyond the engine's sample say what they need.
  column({
    id: 'shr',
    description: 'shared resident memory (statm)',
    needs: 'shr',
    sortInt: (p) => Math.floor(Math.max(0, extrasOf(p.pid).shrBytes ?? 0) / 4096),
    label: 'SHR',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => extrasOf(p.pid).shrBytes ?? -1,
    format: (p) => optionalBytes(extrasOf(p.pid).shrBytes),
  }),
  column({
    id: 'ioread',
    description: 'storage reads per second (exited: average over its life, taskstats)',
    needs: 'io',
    sortInt: (p) => Math.min(2 ** 30 - 1, Math.floor(Math.max(0, extrasOf(p.pid).readRate ?? 0) / 64)),
    label: 'RD/s',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => extrasOf(p.pid).readRate ?? -1,
    format: (p) => optionalBytes(extrasOf(p.pid).readRate),
  }),
  column({
    id: 'iowrite',
    description: 'storage writes per second (exited: average over its life, taskstats)',
    needs: 'io',
    sortInt: (p) => Math.min(2 ** 30 - 1, Math.floor(Math.max(0, extrasOf(p.pid).writeRate ?? 0) / 64)),
    label: 'WR/s',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => extrasOf(p.pid).writeRate ?? -1,
    format: (p) => optionalBytes(extrasOf(p.pid).writeRate),
  }),
  column({
    id: 'peak',
    description: 'peak resident memory (VmHWM; exited: the taskstats record)',
    needs: 'peak',
    sortInt: (p) => Math.min(2 ** 30 - 1, Math.max(0, extrasOf(p.pid).peakKiB ?? 0)),
    label: 'PEAK',
    width: 5,
    align: 'right',
    defaultDescending: true,
    key: (p) => extrasOf(p.pid).peakKiB ?? -1,
    format: (p) => {
      const k = extrasOf(p.pid).peakKiB;
      return k === null ? '-' : formatBytes(k * 1024);
    },
  }),
  column({
    id: 'starttime',
    description: 'wall-clock time it started (htop STARTTIME)',
    sortInt: (p) => Math.max(0, Math.floor(p.startMs / 10)),
    label: 'START',
    width: 8,
    align: 'right',
    defaultDescending: false,
    key: (p) => p.startMs,
    format: (p, now) => formatClock(Date.now() - (now - p.startMs)).slice(0, 8),
  }),
  column({
    id: 'elapsed',
    description: 'time since it started, [[dd-]hh:]mm:ss (htop ELAPSED, ps etime)',
    sortInt: (p, now) => Math.min(2 ** 30 - 1, Math.max(0, Math.floor((now - p.startMs) / 1000))),
    label: 'ELAPSED',
    width: 11,
    align: 'right',
    defaultDescending: true,
    key: (p, now) => now - p.startMs,
    format: (p, now) => formatElapsed(now - p.startMs),
  }),
  column({
    id: 'cgroup',
    description: 'control group (cgroup v2 path)',
    needs: 'cgroup',
    sortInt: null,
    label: 'CGROUP',
    width: 24,
    align: 'left',
    defaultDescending: false,
    key: (p) => extrasOf(p.pid).cgroup ?? '',
    format: (p) => extrasOf(p.pid).cgroup ?? '-',
  }),
  column({
    id: 'command',
    description: 'command line (after the tree guides)',
    sortInt: null,
    label: 'Command',
    width: 8,
    align: 'left',
    defaultDescending: false,
    key: (p) => p.comm,
    format: (p) => p.comm,
  }),
];

function optionalBytes(bytes: number | null): string {
  return bytes === null ? '-' : formatBytes(bytes);
}

/**
 * The EXIT cell: empty while the process lives; `exit 3`, `ex 42`, `x255` for a code; the signal without
 * its SIG prefix (`KILL`, `SEGV*` when it dumped core); `?` for an exit seen only by a /proc scan.
 */
export function exitCell(p: ProcessInfo): string {
  if (p.exitMs === null) return '';
  const s = p.exitStatus;
  if (s === null || (s.code === null && s.signal === null)) return '?';
  if (s.signal !== null) return `${signalName(s.signal).replace(/^SIG/, '')}${s.coreDumped ? '*' : ''}`;
  const code = s.code ?? 0;
  return code < 10 ? `exit ${code}` : code < 100 ? `ex ${code}` : `x${code}`;
}

/** A column the list draws: a sortable one, or EXIT (display only: how a lingering exited row ended). */
export interface ShownColumn extends Omit<Column, 'id'> {
  readonly id: ColumnId | 'exit';
}

/** How a lingering exited row ended, in its own short column instead of in front of the command line. */
export const EXIT_COLUMN: ShownColumn = {
  id: 'exit',
  description: 'how a lingering exited row ended',
  sortInt: null,
  label: 'EXIT',
  width: 6,
  align: 'left',
  defaultDescending: false,
  key: (p) => exitCell(p),
  format: (p) => exitCell(p),
};

/** The Command column keeps at least this many cells while lower-value columns can still make room. */
export const MIN_COMMAND_WIDTH = 30;

/**
 * Which columns give way first when the terminal is narrow (documented in the README): PRI, NI, VIRT,
 * MEM%, AGE, TIME+, USER, EXIT, RES, S, CPU%. PID and Command always stay (htop's TIME+ outlives cntop's AGE).
 */
export const DROP_ORDER: ReadonlyArray<ShownColumn['id']> = [
  // Optional columns the user added give way first, widest last-added first.
  'cgroup',
  'elapsed',
  'starttime',
  'iowrite',
  'ioread',
  'shr',
  'peak',
  'priority',
  'nice',
  'virt',
  'mem',
  'age',
  'time',
  'user',
  'exit',
  'res',
  'state',
  'cpu',
];

const byWidth = new Map<string, readonly ShownColumn[]>();

/**
 * The fixed columns (all but Command) shown at `width`, of `ids` in their order, EXIT last: dropped in
 * DROP_ORDER until Command has MIN_COMMAND_WIDTH. Command always comes last and is always there.
 */
export function fixedColumnsFor(width: number, ids: readonly ColumnId[] = DEFAULT_COLUMN_IDS): readonly ShownColumn[] {
  const cacheKey = `${width}:${ids.join(',')}`;
  let cached = byWidth.get(cacheKey);
  if (cached !== undefined) return cached;
  const dropped = new Set<ShownColumn['id']>();
  const all: ShownColumn[] = [...ids.filter((id) => id !== 'command').map(columnById), EXIT_COLUMN];
  const fixed = () => all.filter((c) => !dropped.has(c.id));
  const used = () => fixed().reduce((sum, c) => sum + c.width + 1, 0);
  for (const id of DROP_ORDER) {
    if (width - used() >= MIN_COMMAND_WIDTH) break;
    dropped.add(id);
  }
  cached = fixed();
  if (byWidth.size > 64) byWidth.clear();
  byWidth.set(cacheKey, cached);
  return cached;
}

export function columnById(id: ColumnId): Column {
  const found = COLUMNS.find((c) => c.id === id);
  if (found === undefined) throw new Error(`unknown column ${id}`);
  return found;
}

/** A comparator for the sort column, ties broken by pid so the order is stable between frames. */
export function compareBy(
  id: ColumnId,
  descending: boolean,
  nowMs: number,
): (a: ProcessInfo, b: ProcessInfo) => number {
  const key = columnById(id).key;
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const ka = key(a, nowMs);
    const kb = key(b, nowMs);
    // Plain code-unit order, not localeCompare: it runs ~10^5 times per sort at 10,000 processes.
    const order = ka < kb ? -1 : ka > kb ? 1 : 0;
    return order !== 0 ? sign * order : a.pid - b.pid;
  };
}
