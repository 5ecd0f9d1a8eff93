// The saved settings file (cntoprc): `key=value` lines, `#` comments. Parsing and serializing are pure:
// text in, { settings, problems } out. A bad or unknown line is reported with the file and line number
// and its setting keeps its default; nothing here writes, so a bad file is never overwritten unasked.
import {
  COLUMN_IDS,
  DEFAULT_SAVED_SETTINGS,
  MAX_DELAY_TENTHS,
  MAX_HIGHLIGHT_SECONDS,
  ALL_METER_IDS,
  MIN_DELAY_TENTHS,
  MIN_HIGHLIGHT_SECONDS,
  columnForSortName,
  type ColumnId,
  type ConfigProblem,
  type MeterId,
  type SavedSettings,
} from '../viewer-settings.js';

export interface ParsedSettings {
  readonly settings: SavedSettings;
  /** The settings the file set with a valid value. */
  readonly keys: ReadonlySet<keyof SavedSettings>;
  readonly problems: readonly ConfigProblem[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Parser = (value: string, into: Mutable<SavedSettings>) => string | null;

/** The file's keys, in the order serializeSettings writes them, with the setting each one fills. */
const KEYS: ReadonlyArray<readonly [string, keyof SavedSettings, Parser]> = [
  [
    'sort_column',
    'sortColumn',
    (v, s) => {
      const column = columnForSortName(v);
      if (column === null) return `unknown column '${v}' (one of: ${COLUMN_IDS.join(', ')})`;
      s.sortColumn = column;
      return null;
    },
  ],
  [
    'sort_direction',
    'sortDescending',
    (v, s) => {
      if (v !== 'asc' && v !== 'desc') return `'${v}' is not a direction (asc or desc)`;
      s.sortDescending = v === 'desc';
      return null;
    },
  ],
  ['tree', 'tree', (v, s) => bool(v, (b) => (s.tree = b))],
  [
    'columns',
    'columns',
    (v, s) => {
      const list = idList(v, COLUMN_IDS, 'column');
      if (typeof list === 'string') return list;
      if (list.length === 0) return 'no columns listed (at least one is needed)';
      s.columns = list;
      return null;
    },
  ],
  [
    'meters',
    'meters',
    (v, s) => {
      const list = idList(v, ALL_METER_IDS, 'meter');
      if (typeof list === 'string') return list;
      s.meters = list;
      return null;
    },
  ],
  [
    'delay',
    'refreshMs',
    (v, s) => whole(v, MIN_DELAY_TENTHS, MAX_DELAY_TENTHS, 'tenths of a second', (n) => (s.refreshMs = n * 100)),
  ],
  ['show_kernel_threads', 'showKernelThreads', (v, s) => bool(v, (b) => (s.showKernelThreads = b))],
  ['highlight_changes', 'highlightChanges', (v, s) => bool(v, (b) => (s.highlightChanges = b))],
  [
    'highlight_duration',
    'highlightMs',
    (v, s) => whole(v, MIN_HIGHLIGHT_SECONDS, MAX_HIGHLIGHT_SECONDS, 'seconds', (n) => (s.highlightMs = n * 1000)),
  ],
  ['color', 'color', (v, s) => bool(v, (b) => (s.color = b))],
  ['ascii', 'ascii', (v, s) => bool(v, (b) => (s.ascii = b))],
];

export const SETTING_KEYS: readonly string[] = KEYS.map(([key]) => key);

const TRUE = new Set(['yes', 'true', 'on', '1']);
const FALSE = new Set(['no', 'false', 'off', '0']);

function bool(v: string, set: (b: boolean) => void): string | null {
  const word = v.toLowerCase();
  if (TRUE.has(word)) return (set(true), null);
  if (FALSE.has(word)) return (set(false), null);
  return `'${v}' is not yes or no`;
}

function whole(v: string, min: number, max: number, unit: string, set: (n: number) => void): string | null {
  if (!/^\d+$/.test(v)) return `'${v}' is not a whole number of ${unit}`;
  const n = Number(v);
  if (n < min || n > max) return `${n} is outside ${min}-${max} ${unit}`;
  return (set(n), null);
}

function idList<T extends string>(v: string, known: readonly T[], what: string): T[] | string {
  if (v.trim() === '') return [];
  const out: T[] = [];
  for (const raw of v.split(',')) {
    const id = raw.trim().toLowerCase();
    if (!(known as readonly string[]).includes(id))
      return `unknown ${what} '${raw.trim()}' (one of: ${known.join(', ')})`;
    if (out.includes(id as T)) return `${what} '${id}' is listed twice`;
    out.push(id as T);
  }
  return out;
}

/** Parses a cntoprc's text; `file` only names it in the problems. */
export function parseSettings(text: string, file: string): ParsedSettings {
  const settings: Mutable<SavedSettings> = { ...DEFAULT_SAVED_SETTINGS };
  const keys = new Set<keyof SavedSettings>();
  const problems: ConfigProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const problem = (message: string): void => void problems.push({ file, line: index + 1, message });
    const eq = line.indexOf('=');
    if (eq < 0) {
      problem(`'${clip(line)}' is not a key=value line`);
      return;
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const entry = KEYS.find(([k]) => k === key);
    if (entry === undefined) {
      problem(`unknown setting '${clip(key)}' (known: ${SETTING_KEYS.join(', ')})`);
      return;
    }
    const [, field, parse] = entry;
    // A bad value leaves the default, not an earlier line's value: the line the user sees is what counts.
    const draft: Mutable<SavedSettings> = { ...settings };
    const message = parse(value, draft);
    if (message !== null) {
      (settings as Record<string, unknown>)[field] = DEFAULT_SAVED_SETTINGS[field];
      keys.delete(field);
      problem(`${key}: ${message}; using the default (${formatValue(key)})`);
      return;
    }
    (settings as Record<string, unknown>)[field] = draft[field];
    keys.add(field);
  });
  return { settings, keys, problems };
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** The default's text for a key, as the file would hold it. */
function formatValue(key: string): string {
  return valueText(key, DEFAULT_SAVED_SETTINGS);
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function valueText(key: string, s: SavedSettings): string {
  switch (key) {
    case 'sort_column':
      return s.sortColumn;
    case 'sort_direction':
      return s.sortDescending ? 'desc' : 'asc';
    case 'tree':
      return yesNo(s.tree);
    case 'columns':
      return s.columns.join(',');
    case 'meters':
      return s.meters.join(',');
    case 'delay':
      return String(Math.round(s.refreshMs / 100));
    case 'show_kernel_threads':
      return yesNo(s.showKernelThreads);
    case 'highlight_changes':
      return yesNo(s.highlightChanges);
    case 'highlight_duration':
      return String(Math.round(s.highlightMs / 1000));
    case 'color':
      return yesNo(s.color);
    case 'ascii':
      return yesNo(s.ascii);
    default:
      throw new Error(`no such setting ${key}`);
  }
}

/** The file text for these settings: every key, one per line; parseSettings reads it back unchanged. */
export function serializeSettings(settings: SavedSettings): string {
  const lines = ['# cntop settings (see docs/CONFIG.md). Written by cntop; edit freely, one key=value per line.'];
  for (const key of SETTING_KEYS) lines.push(`${key}=${valueText(key, settings)}`);
  return `${lines.join('\n')}\n`;
}

export type { ColumnId, MeterId };
