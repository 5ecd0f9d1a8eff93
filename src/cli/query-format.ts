// Prints `cntop query` rows: an aligned table on a terminal, tab-separated lines in a pipe, NDJSON
// with --json. Recorded text (command lines above all) may hold anything: every cell is sanitized.
import { sanitizeForTerminal } from '../core/text/sanitize.js';
import { stringifySafe } from './json-safe.js';

/** Widest a table cell gets before it is cut with '+'. */
const MAX_CELL = 80;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A value as text: NULL, numbers as SQLite gives them, blobs as x'…', text sanitized. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `x'${hex(value)}'`;
  if (typeof value === 'string') return sanitizeForTerminal(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // SQLite hands back nothing else; anything unexpected shows as JSON or its type, not "[object Object]".
  return typeof value === 'object' ? sanitizeForTerminal(JSON.stringify(value)) : `(${typeof value})`;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** One JSON object per row, keyed by column (a repeated name gets :2, :3 …). */
export function formatJsonRows(
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  write: (text: string) => void,
): number {
  const keys = uniqueNames(columns);
  let count = 0;
  for (const row of rows) {
    const object: Record<string, unknown> = {};
    keys.forEach((key, i) => (object[key] = jsonValue(row[i])));
    write(`${stringifySafe(object)}\n`);
    count++;
  }
  return count;
}

function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}:${n}`;
  });
}

/** Tab-separated, a header line first; tabs, newlines and backslashes in values escaped (\t, \n, \\). */
export function formatTsvRows(
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  write: (text: string) => void,
): number {
  const escape = (text: string): string =>
    text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  write(`${columns.map((c) => sanitizeForTerminal(escape(c))).join('\t')}\n`);
  let count = 0;
  for (const row of rows) {
    write(`${row.map((v) => (typeof v === 'string' ? sanitizeForTerminal(escape(v)) : cellText(v))).join('\t')}\n`);
    count++;
  }
  return count;
}

function cut(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}+`;
}

/** An aligned table (numbers to the right), each cell at most 80 wide, lines cut at maxWidth; then a row count. */
export function formatTable(
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
  maxWidth: number | undefined,
): string {
  const cells: string[][] = [];
  const numeric = columns.map(() => true);
  for (const row of rows) {
    cells.push(
      row.map((v, i) => {
        if (typeof v !== 'number' && typeof v !== 'bigint' && v !== null) numeric[i] = false;
        return cut(cellText(v), MAX_CELL);
      }),
    );
  }
  const header = columns.map((c) => cut(sanitizeForTerminal(c), MAX_CELL));
  const widths = header.map((h, i) =>
    Math.max(Array.from(h).length, ...cells.map((r) => Array.from(r[i] ?? '').length)),
  );
  const line = (values: readonly string[]): string => {
    const text = values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
    return maxWidth === undefined ? text : cut(text, maxWidth);
  };
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  out.push(`(${cells.length} row${cells.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}
