// What the viewer starts from (the saved settings file under the command line's flags, resolved by
// src/cli/viewer-settings.ts and handed over by main.ts) and what F2 setup can change and save.
// The UI states its own shape so that it never imports the command line's code.
import { DEFAULT_COLUMN_IDS, type ColumnId } from './columns.js';

/** The header's meters, in their default order (widgets/header.ts draws the ones listed). */
export const METER_IDS = ['cpu', 'exits', 'memory', 'swap', 'tasks', 'load', 'uptime'] as const;
/** Every meter F2 setup offers: the defaults and `cpuavg`, all cores in one bar instead of one per core. */
export const ALL_METER_IDS = ['cpu', 'cpuavg', 'exits', 'memory', 'swap', 'tasks', 'load', 'uptime'] as const;
export type MeterId = (typeof ALL_METER_IDS)[number];

/** What F2 setup edits and the settings file keeps. */
export interface SavablePreferences {
  readonly sortColumn: ColumnId;
  readonly sortDescending: boolean;
  readonly tree: boolean;
  /** Shown columns in order; Command is always drawn last whether listed or not. */
  readonly columns: readonly ColumnId[];
  readonly meters: readonly MeterId[];
  readonly refreshMs: number;
  readonly showKernelThreads: boolean;
  readonly highlightChanges: boolean;
  readonly highlightMs: number;
  readonly color: boolean;
  readonly ascii: boolean;
}

export interface ViewerPreferences extends SavablePreferences {
  readonly mouse: boolean;
  /** -u: only this user's processes; -p: only these pids; -F: the filter text at start. */
  readonly user: string | null;
  readonly pids: readonly number[] | null;
  readonly filter: string | null;
  /** --readonly: no signals, no renice, no connector repair. */
  readonly readonly: boolean;
  /** -n: quit after this many refreshes. */
  readonly maxIterations: number | null;
  /** -s given: the tree's siblings sort by the sort column too (else the tree keeps PID order, as htop's). */
  readonly sortTreeToo?: boolean;
  /** A line to show when the viewer opens (the settings file's problems), or null. */
  readonly startMessage?: string | null;
}

export const DEFAULT_PREFERENCES: ViewerPreferences = {
  sortColumn: 'cpu',
  sortDescending: true,
  tree: true,
  columns: DEFAULT_COLUMN_IDS,
  meters: METER_IDS,
  refreshMs: 1500,
  showKernelThreads: false,
  highlightChanges: true,
  highlightMs: 3000,
  color: true,
  ascii: false,
  mouse: true,
  user: null,
  pids: null,
  filter: null,
  readonly: false,
  maxIterations: null,
};
