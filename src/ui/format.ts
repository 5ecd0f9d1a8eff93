// Pure text formatting for the UI: sizes, durations, htop's TIME+, percentages, padding, and the
// reduction of arbitrary process text to single-width terminal cells. No terminal, no engine.
import { sanitizeForTerminal } from '../core/text/sanitize.js';

const UNITS = ['K', 'M', 'G', 'T', 'P'] as const;

/** Bytes as at most 5 characters, htop-like: "812K", "12.3M", "1.50G". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes / 1024;
  for (let unit = 0; unit < UNITS.length; unit++) {
    const suffix = UNITS[unit] ?? 'P';
    // At most 5 cells: kilobytes stay whole up to 9999K; larger units switch at 1000 so "1000M" never shows.
    if ((unit === 0 ? value < 10_000 : value < 1000) || unit === UNITS.length - 1) {
      if (unit === 0 || value >= 100) return `${Math.round(value)}${suffix}`;
      return `${value.toFixed(value >= 10 ? 1 : 2)}${suffix}`;
    }
    value /= 1024;
  }
  return '?';
}

/** CPU time as htop's TIME+: "0:01.23" (minutes:seconds.hundredths), "3h25:07" past an hour. */
export function formatTimePlus(cpuTimeMs: number): string {
  const totalCs = Math.max(0, Math.floor(cpuTimeMs / 10));
  const totalSeconds = Math.floor(totalCs / 100);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${pad2(minutes)}:${pad2(seconds)}`;
  return `${Math.floor(totalSeconds / 60)}:${pad2(seconds)}.${pad2(totalCs % 100)}`;
}

/** A compact age for the AGE column (at most 5 characters): "0.4s", "42s", "12m05", "3h05m", "3d04h", "12d". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad2(Math.floor(s) % 60)}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${pad2(m % 60)}m`;
  const days = Math.floor(h / 24);
  return days < 10 ? `${days}d${pad2(h % 24)}h` : `${days}d`;
}

// Durations and times of day read the same in the viewer and in cntop events.
export { formatClock, formatDuration } from '../core/describe/duration.js';

export function formatUptime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const clock = `${pad2(Math.floor(total / 3600) % 24)}:${pad2(Math.floor(total / 60) % 60)}:${pad2(total % 60)}`;
  if (days === 0) return clock;
  return `${days} day${days === 1 ? '' : 's'}, ${clock}`;
}

/** Percentage with one decimal while it fits in 5 characters: "0.0", "12.5", "100.0", "1234". */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '?';
  return value >= 999.95 ? String(Math.round(value)) : value.toFixed(1);
}

/** Elapsed time as ps's etime and htop's ELAPSED: "mm:ss", "hh:mm:ss", "dd-hh:mm:ss". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor(total / 3600) % 24;
  const clock = `${pad2(Math.floor(total / 60) % 60)}:${pad2(total % 60)}`;
  if (days > 0) return `${days}-${pad2(hours)}:${clock}`;
  return hours > 0 ? `${pad2(hours)}:${clock}` : clock;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Pads or cuts to exactly `width` characters, text on the left. */
export function fitLeft(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? text.slice(0, width) : text.padEnd(width);
}

/** Pads or cuts to exactly `width` characters, text on the right (numbers). Too long keeps the tail visible as '+'. */
export function fitRight(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length > width) return `${text.slice(0, width - 1)}+`;
  return text.padStart(width);
}

// Characters that do not occupy exactly one terminal cell: combining marks, wide East Asian ranges,
// emoji and anything outside the BMP. Writing them into a cell grid would shift every column after them.
const NOT_SINGLE_CELL =
  /[\p{M}\p{Extended_Pictographic}\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{10000}-\u{10ffff}]/gu;

const NON_ASCII = /[^\u0020-\u007e]/g;

/**
 * Makes process-supplied text safe and cell-exact for the screen: control characters and escape
 * sequences become '?', as do characters that are not one cell wide, and in ASCII mode every non-ASCII
 * character. The result has exactly one character per terminal column.
 */
export function toCellText(text: string, ascii: boolean): string {
  // Every frame passes every visible row's command line through here, and they rarely change: a
  // remembered answer saves the three regular expressions (~40% of composing an idle frame).
  const cache = ascii ? asciiCells : unicodeCells;
  const known = cache.get(text);
  if (known !== undefined) return known;
  const safe = sanitizeForTerminal(text).replace(NOT_SINGLE_CELL, '?');
  const cell = ascii ? safe.replace(NON_ASCII, '?') : safe;
  // Bounded: a storm of distinct names must not grow it without end; starting over costs one miss each.
  if (cache.size >= CELL_CACHE_SIZE) cache.clear();
  cache.set(text, cell);
  return cell;
}

const CELL_CACHE_SIZE = 4096;
const asciiCells = new Map<string, string>();
const unicodeCells = new Map<string, string>();
