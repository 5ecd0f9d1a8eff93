// The ids of the process table's columns and the default set, as plain data: the command line checks
// -s, -C and the settings file against them without loading the viewer's column code.

/** Every column the process table offers, in the viewer's order (src/ui/columns.ts lays them out). */
export const COLUMN_IDS = [
  'pid',
  'user',
  'priority',
  'nice',
  'virt',
  'res',
  'state',
  'cpu',
  'mem',
  'time',
  'age',
  'shr',
  'ioread',
  'iowrite',
  'peak',
  'starttime',
  'elapsed',
  'cgroup',
  'command',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** The columns shown when the settings do not say: htop's default set, with cntop's AGE; the optional
 *  ones are added in F2 setup. */
export const DEFAULT_COLUMN_IDS: readonly ColumnId[] = [
  'pid',
  'user',
  'priority',
  'nice',
  'virt',
  'res',
  'state',
  'cpu',
  'mem',
  'time',
  'age',
  'command',
];

/** Columns whose sort starts biggest first, as htop's P/M/T do (src/ui/columns.ts defaultDescending). */
