// The process table's columns: header label, width, alignment, how a value is formatted and how two
// processes compare. Pure; the view-model lays rows out with these, the reducer cycles sort keys over them.
import { signalName } from '../core/exit-status.js';
import type { ProcessInfo } from '../core/types.js';
import { formatAge, formatBytes, formatPercent, formatTimePlus } from './format.js';

export type ColumnId = 'pid' | 'user' | 'priority' | 'nice' | 'virt' | 'res' | 'state' | 'cpu' | 'mem' | 'time' | 'age' | 'command';

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
}

const column = (c: Column): Column => c;

export const COLUMNS: readonly Column[] = [
  column({ id: 'pid', sortInt: (p) => p.pid, label: 'PID', width: 7, align: 'right', defaultDescending: false, key: (p) => p.pid, format: (p) => String(p.pid) }),
  column({ id: 'user', sortInt: null, label: 'USER', width: 8, align: 'left', defaultDescending: false, key: (p) => p.user, format: (p) => p.user }),
  column({ id: 'priority', sortInt: (p) => p.priority + 200, label: 'PRI', width: 3, align: 'right', defaultDescending: false, key: (p) => p.priority, format: (p) => (p.priority < -99 ? 'RT' : String(p.priority)) }),
  column({ id: 'nice', sortInt: (p) => p.nice + 20, label: 'NI', width: 3, align: 'right', defaultDescending: false, key: (p) => p.nice, format: (p) => String(p.nice) }),
  column({ id: 'virt', sortInt: (p) => Math.floor(p.virtBytes / 65536), label: 'VIRT', width: 5, align: 'right', defaultDescending: true, key: (p) => p.virtBytes, format: (p) => formatBytes(p.virtBytes) }),
  column({ id: 'res', sortInt: (p) => Math.floor(p.rssBytes / 4096), label: 'RES', width: 5, align: 'right', defaultDescending: true, key: (p) => p.rssBytes, format: (p) => formatBytes(p.rssBytes) }),
  column({ id: 'state', sortInt: null, label: 'S', width: 1, align: 'left', defaultDescending: false, key: (p) => p.state, format: (p) => p.state }),
  column({ id: 'cpu', sortInt: (p) => Math.round(p.cpuPercent * 1000), label: 'CPU%', width: 5, align: 'right', defaultDescending: true, key: (p) => p.cpuPercent, format: (p) => formatPercent(p.cpuPercent) }),
  column({ id: 'mem', sortInt: (p) => Math.round(p.memPercent * 1000), label: 'MEM%', width: 4, align: 'right', defaultDescending: true, key: (p) => p.memPercent, format: (p) => formatPercent(p.memPercent) }),
  column({ id: 'time', sortInt: (p) => Math.floor(p.cpuTimeMs / 10), label: 'TIME+', width: 8, align: 'right', defaultDescending: true, key: (p) => p.cpuTimeMs, format: (p) => formatTimePlus(p.cpuTimeMs) }),
  // Youngest first: the interesting processes in a live viewer are the ones that just appeared.
  column({ id: 'age', sortInt: (p, now) => Math.floor((now - p.startMs) / 10), label: 'AGE', width: 5, align: 'right', defaultDescending: false, key: (p, now) => now - p.startMs, format: (p, now) => formatAge(now - p.startMs) }),
  column({ id: 'command', sortInt: null, label: 'Command', width: 8, align: 'left', defaultDescending: false, key: (p) => p.comm, format: (p) => p.comm }),
];

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
export const EXIT_COLUMN: ShownColumn = { id: 'exit', sortInt: null, label: 'EXIT', width: 6, align: 'left', defaultDescending: false, key: (p) => exitCell(p), format: (p) => exitCell(p) };

/** The Command column keeps at least this many cells while lower-value columns can still make room. */
export const MIN_COMMAND_WIDTH = 30;

/**
 * Which columns give way first when the terminal is narrow (documented in the README): PRI, NI, VIRT,
 * MEM%, AGE, TIME+, USER, EXIT, RES, S, CPU%. PID and Command always stay (htop's TIME+ outlives cntop's AGE).
 */
export const DROP_ORDER: ReadonlyArray<ShownColumn['id']> = ['priority', 'nice', 'virt', 'mem', 'age', 'time', 'user', 'exit', 'res', 'state', 'cpu'];

const byWidth = new Map<number, readonly ShownColumn[]>();

/** The fixed columns (all but Command) shown at `width`: dropped in DROP_ORDER until Command has MIN_COMMAND_WIDTH. */
export function fixedColumnsFor(width: number): readonly ShownColumn[] {
  let cached = byWidth.get(width);
  if (cached !== undefined) return cached;
  const dropped = new Set<ShownColumn['id']>();
  const all: ShownColumn[] = [...COLUMNS.filter((c) => c.id !== 'command'), EXIT_COLUMN];
  const fixed = () => all.filter((c) => !dropped.has(c.id));
  const used = () => fixed().reduce((sum, c) => sum + c.width + 1, 0);
  for (const id of DROP_ORDER) {
    if (width - used() >= MIN_COMMAND_WIDTH) break;
    dropped.add(id);
  }
  cached = fixed();
  if (byWidth.size > 64) byWidth.clear();
  byWidth.set(width, cached);
  return cached;
}

export const COLUMN_IDS: readonly ColumnId[] = COLUMNS.map((c) => c.id);

export function columnById(id: ColumnId): Column {
  const found = COLUMNS.find((c) => c.id === id);
  if (found === undefined) throw new Error(`unknown column ${id}`);
  return found;
}

/** A comparator for the sort column, ties broken by pid so the order is stable between frames. */
export function compareBy(id: ColumnId, descending: boolean, nowMs: number): (a: ProcessInfo, b: ProcessInfo) => number {
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
