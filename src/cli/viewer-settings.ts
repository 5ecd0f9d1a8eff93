// The viewer's settings as one typed object: defaults, then the saved settings file (cntoprc), then
// the command line, in that order of precedence. Pure: main.ts reads the file and the environment and
// hands the result to the viewer. The column and meter ids are the viewer's own (src/ui/columns.ts,
// src/ui/widgets/header.ts), restated here so that the command line does not load the UI's code.
import type { SavablePreferences, ViewerPreferences } from '../ui/viewer-preferences.js';

import { DEFAULT_COLUMN_IDS, type ColumnId } from '../ui/column-ids.js';

export { COLUMN_IDS, DEFAULT_COLUMN_IDS, type ColumnId } from '../ui/column-ids.js';

const DESCENDING_FIRST: ReadonlySet<ColumnId> = new Set<ColumnId>([
  'virt',
  'res',
  'cpu',
  'mem',
  'time',
  'shr',
  'ioread',
  'iowrite',
  'peak',
  'elapsed',
]);

export function defaultDescending(column: ColumnId): boolean {
  return DESCENDING_FIRST.has(column);
}

/** The header's meters, in the viewer's default order. */
export const METER_IDS = ['cpu', 'exits', 'memory', 'swap', 'tasks', 'load', 'uptime'] as const;
/** Every meter the header offers (src/ui/viewer-preferences.ts ALL_METER_IDS): `cpuavg` is all cores in one bar. */
export const ALL_METER_IDS = ['cpu', 'cpuavg', 'exits', 'memory', 'swap', 'tasks', 'load', 'uptime'] as const;
export type MeterId = (typeof ALL_METER_IDS)[number];

/**
 * htop's sort-column names (htop -s, htoprc's sort_key) and cntop's own ids, upper-cased, mapped to
 * cntop's columns. htop columns cntop lacks (e.g. PPID, NLWP) are not here, so -s rejects them.
 */
const SORT_NAMES: Readonly<Record<string, ColumnId>> = {
  PID: 'pid',
  USER: 'user',
  PRIORITY: 'priority',
  PRI: 'priority',
  NICE: 'nice',
  NI: 'nice',
  M_VIRT: 'virt',
  M_SIZE: 'virt',
  VIRT: 'virt',
  M_RESIDENT: 'res',
  M_RES: 'res',
  RES: 'res',
  RSS: 'res',
  STATE: 'state',
  PERCENT_CPU: 'cpu',
  CPU: 'cpu',
  PERCENT_MEM: 'mem',
  MEM: 'mem',
  TIME: 'time',
  STARTTIME: 'starttime',
  START: 'starttime',
  AGE: 'age',
  ELAPSED: 'elapsed',
  M_SHARE: 'shr',
  SHR: 'shr',
  IO_READ_RATE: 'ioread',
  IO_WRITE_RATE: 'iowrite',
  CGROUP: 'cgroup',
  PEAK: 'peak',
  COMM: 'command',
  COMMAND: 'command',
};

/** The column a sort name (htop's PERCENT_CPU, or cntop's cpu; any case) means, or null. */
export function columnForSortName(name: string): ColumnId | null {
  return SORT_NAMES[name.trim().toUpperCase()] ?? null;
}

/** The htop names -s accepts, for error messages and --help. */
export const HTOP_SORT_NAMES = [
  'PID',
  'USER',
  'PRIORITY',
  'NICE',
  'M_VIRT',
  'M_RESIDENT',
  'M_SHARE',
  'STATE',
  'PERCENT_CPU',
  'PERCENT_MEM',
  'TIME',
  'STARTTIME',
  'ELAPSED',
  'IO_READ_RATE',
  'IO_WRITE_RATE',
  'CGROUP',
  'COMM',
] as const;

/**
 * What the settings file can hold (and the viewer can save): the viewer's own statement of it
 * (src/ui/viewer-preferences.ts), imported as a type only, so that no UI code loads with the command line.
 */
export type SavedSettings = SavablePreferences;

/** htop's -d unit: tenths of a second. The range keeps the UI responsive and /proc scans affordable. */
export const DEFAULT_DELAY_TENTHS = 15;
export const MIN_DELAY_TENTHS = 1;
export const MAX_DELAY_TENTHS = 600;
/** -H and highlight_duration, in whole seconds. */
export const DEFAULT_HIGHLIGHT_SECONDS = 3;
export const MIN_HIGHLIGHT_SECONDS = 1;
export const MAX_HIGHLIGHT_SECONDS = 3600;

/** Today's viewer behaviour, so that a missing file changes nothing. */
export const DEFAULT_SAVED_SETTINGS: SavedSettings = {
  sortColumn: 'cpu',
  sortDescending: true,
  tree: true,
  columns: DEFAULT_COLUMN_IDS,
  meters: METER_IDS,
  refreshMs: DEFAULT_DELAY_TENTHS * 100,
  // Hidden by default since the viewer's issue 11 change (K shows them), as htop.
  showKernelThreads: false,
  highlightChanges: true,
  highlightMs: DEFAULT_HIGHLIGHT_SECONDS * 1000,
  color: true,
  ascii: false,
};

/** One problem in a settings file: which file, which line (0 when about the whole file), what. */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** What the command line said about the viewer; absent fields leave the file's (or default) value. */
export interface ViewerFlags {
  readonly sortColumn?: ColumnId;
  readonly tree?: true;
  readonly refreshMs?: number;
  readonly noColor?: true;
  readonly ascii?: true;
  readonly noMouse?: true;
  /** -H: highlight on; seconds given or not. */
  readonly highlightChanges?: true;
  readonly highlightMs?: number;
  readonly user?: string;
  readonly pids?: readonly number[];
  readonly filter?: string;
  readonly readonly?: true;
  readonly maxIterations?: number;
}

/** Everything the viewer is to apply, resolved: what the viewer takes, and where it came from. */
export interface ViewerSettings extends ViewerPreferences {
  /** -s given: the tree's siblings are sorted by that column too (`cntop -t -s PERCENT_CPU`). */
  readonly sortTreeToo: boolean;
  /** The settings file read (or that would be read), and where the viewer saves; null when none can be named. */
  readonly configPath: string | null;
  /** What was wrong in the settings file; each affected setting has its default. */
  readonly problems: readonly ConfigProblem[];
}

export interface ResolveInput {
  readonly saved: SavedSettings;
  /** The keys the file actually set (so that a file's color=yes overrides NO_COLOR, as no-color.org asks). */
  readonly savedKeys: ReadonlySet<keyof SavedSettings>;
  readonly flags: ViewerFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly configPath: string | null;
  readonly problems: readonly ConfigProblem[];
}

/** Defaults < settings file < NO_COLOR (unless the file says color) < command line. */
export function resolveViewerSettings(input: ResolveInput): ViewerSettings {
  const { saved, savedKeys, flags, env } = input;
  const noColorEnv = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const fileColor = savedKeys.has('color') ? saved.color : !noColorEnv;
  const sortColumn = flags.sortColumn ?? saved.sortColumn;
  return {
    sortColumn,
    // -s names a column; its direction is the column's natural one, as htop's -s does.
    sortDescending: flags.sortColumn !== undefined ? defaultDescending(flags.sortColumn) : saved.sortDescending,
    // htop's -s sorts the flat list; -t asks for the tree.
    tree: flags.tree ?? (flags.sortColumn !== undefined ? false : saved.tree),
    columns: saved.columns,
    meters: saved.meters,
    refreshMs: flags.refreshMs ?? saved.refreshMs,
    showKernelThreads: saved.showKernelThreads,
    highlightChanges: flags.highlightChanges ?? saved.highlightChanges,
    highlightMs: flags.highlightMs ?? saved.highlightMs,
    color: flags.noColor ? false : fileColor,
    ascii: flags.ascii ?? saved.ascii,
    mouse: !flags.noMouse,
    user: flags.user ?? null,
    pids: flags.pids ?? null,
    filter: flags.filter ?? null,
    readonly: flags.readonly ?? false,
    maxIterations: flags.maxIterations ?? null,
    sortTreeToo: flags.sortColumn !== undefined,
    configPath: input.configPath,
    problems: input.problems,
  };
}
