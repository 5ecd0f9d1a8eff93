// The Exited screen's rows: every exit the engine's ring holds, filtered (pid, name, command line and
// status: `SEGV`, `exit 3`, `failed`), held back while paused, sorted; or one row per command with the
// last minute's totals ("where did the CPU go"). Pure: no canvas, no terminal.
import type { CommandTotals } from '../../../core/accounting/exit-window.js';
import { commandText } from '../../../core/describe/event-description.js';
import { describeExitStatus } from '../../../core/exit-status.js';
import type { ExitedProcess } from '../../../core/types.js';
import type { ExitedView } from '../../ui-state.js';

/** Neither code nor signal: the exit was seen by a /proc scan, not by an event (polling, a resync). */
export function exitUnknown(e: ExitedProcess): boolean {
  return e.status.code === null && e.status.signal === null;
}

export function exitFailed(e: ExitedProcess): boolean {
  return !exitUnknown(e) && (e.status.signal !== null || e.status.code !== 0);
}

/** The STATUS cell: short, so the command keeps its room ("exit 3", "SIGSEGV core", "?"). */
export function statusText(e: ExitedProcess): string {
  if (exitUnknown(e)) return '?';
  return describeExitStatus(e.status).replace(' (core dumped)', ' core');
}

/** The name the exit is known by: its command line, else the kernel's name for it (taskstats), else its comm. */
export function exitCommand(e: ExitedProcess): string {
  const text = commandText({ comm: e.comm, cmdline: e.cmdline, startMs: e.startMs });
  if (text === '[unknown]' && e.accounting !== null && e.accounting.comm !== '') return `[${e.accounting.comm}]`;
  return text;
}

// The engine completes a ring entry in place when a late event arrives: a cached text is reused only
// while the fields it was built from are unchanged.
const haystacks = new WeakMap<
  ExitedProcess,
  { comm: string; cmdline: readonly string[] | null; accounted: boolean; status: ExitedProcess['status']; text: string }
>();

function haystack(e: ExitedProcess): string {
  const cached = haystacks.get(e);
  if (
    cached !== undefined &&
    cached.comm === e.comm &&
    cached.cmdline === e.cmdline &&
    cached.accounted === (e.accounting !== null) &&
    cached.status === e.status
  )
    return cached.text;
  const status = exitUnknown(e) ? 'unknown' : `${describeExitStatus(e.status)} ${exitFailed(e) ? 'failed' : 'ok'}`;
  const text = `${e.pid} ${e.comm} ${e.accounting?.comm ?? ''} ${e.cmdline?.join(' ') ?? ''} ${status}`.toLowerCase();
  haystacks.set(e, { comm: e.comm, cmdline: e.cmdline, accounted: e.accounting !== null, status: e.status, text });
  return text;
}

/** What the filter looks in: pid, name, command line and the status in words (failed / ok). */
export function exitMatches(e: ExitedProcess, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return haystack(e).includes(needle);
}

/** A number to sort on for each key (command and status compare as text). */
function sortValue(e: ExitedProcess, key: ExitedView['sort']): number | string {
  switch (key) {
    case 'time':
      return e.exitMs;
    case 'lifetime':
      return e.lifetimeMs ?? -1;
    case 'cpu':
      return e.accounting?.cpuMs ?? -1;
    case 'rss':
      return e.accounting?.peakRssKiB ?? -1;
    case 'status':
      return `${exitFailed(e) ? 0 : 1}${statusText(e)}`;
    case 'command':
      return exitCommand(e);
  }
}

let memo: {
  exited: readonly ExitedProcess[];
  length: number;
  last: ExitedProcess | undefined;
  view: ExitedView;
  filter: string;
  pausedAtMs: number | undefined;
  rows: ExitedProcess[];
} | null = null;

/**
 * exitedRows, kept while nothing it depends on changed: the engine hands out the same ring array until
 * an exit comes or an entry is completed, and frames come far more often than that on a quiet machine.
 */
export function exitedRowsCached(
  exited: readonly ExitedProcess[],
  view: ExitedView,
  filter: string,
  pausedAtMs: number | undefined,
): ExitedProcess[] {
  const m = memo;
  // Length and last entry too: an array grown in place (a test's fake engine) is a change.
  if (
    m !== null &&
    m.exited === exited &&
    m.length === exited.length &&
    m.last === exited[exited.length - 1] &&
    m.view === view &&
    m.filter === filter &&
    m.pausedAtMs === pausedAtMs
  )
    return m.rows;
  const rows = exitedRows(exited, view, filter, pausedAtMs);
  memo = { exited, length: exited.length, last: exited[exited.length - 1], view, filter, pausedAtMs, rows };
  return rows;
}

/** The exits to list, in order: `exited` is the engine's ring (oldest first). */
export function exitedRows(
  exited: readonly ExitedProcess[],
  view: ExitedView,
  filter: string,
  pausedAtMs: number | undefined,
): ExitedProcess[] {
  const rows: ExitedProcess[] = [];
  for (const e of exited) {
    if (pausedAtMs !== undefined && e.exitMs > pausedAtMs) continue;
    if (exitMatches(e, filter)) rows.push(e);
  }
  const sign = view.descending ? -1 : 1;
  if (view.sort === 'time') return view.descending ? rows.reverse() : rows;
  const keyed = rows.map((e) => ({ e, k: sortValue(e, view.sort) }));
  keyed.sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : b.e.exitMs - a.e.exitMs));
  return keyed.map((x) => x.e);
}

export interface CommandRow extends CommandTotals {
  readonly exitsPerSecond: number;
  /** CPU of one core the command's exits used over the window, percent (htop's CPU% scale). */
  readonly cpuPercent: number;
}

/** One row per command over a window of `windowMs`, filtered by name and sorted. */
export function commandRows(
  totals: readonly CommandTotals[],
  windowMs: number,
  view: ExitedView,
  filter: string,
): CommandRow[] {
  const span = Math.max(1000, windowMs);
  const needle = filter.trim().toLowerCase();
  const rows = totals
    .filter((t) => needle === '' || t.command.toLowerCase().includes(needle) || (needle === 'failed' && t.failures > 0))
    .map((t) => ({ ...t, exitsPerSecond: (t.count * 1000) / span, cpuPercent: (t.cpuMs / span) * 100 }));
  const value = (r: CommandRow): number | string => {
    switch (view.sort) {
      case 'cpu':
        return r.cpuMs;
      case 'rss':
        return r.peakRssKiB;
      case 'status':
        return r.failures;
      case 'command':
        return r.command;
      default:
        return r.count;
    }
  };
  const sign = view.descending ? -1 : 1;
  return rows.sort((a, b) => {
    const ka = value(a);
    const kb = value(b);
    return ka < kb ? -sign : ka > kb ? sign : a.command < b.command ? -1 : 1;
  });
}
