// Pure parsers for /proc/<pid>/status (the lines the engine uses) and /proc/<pid>/cmdline.
import { err, ok, type Result } from '../types.js';
import type { ParseError } from './parse-stat.js';

/** Fields of /proc/<pid>/status the engine uses (proc_pid_status(5)). */
export interface ProcStatus {
  /** "Name:" (comm; the kernel escapes newlines and backslashes here, unlike in stat). */
  readonly name: string;
  readonly tgid: number;
  readonly ppid: number;
  /** First number of "Uid:" (real uid). */
  readonly uid: number;
  readonly threads: number;
}

function field(text: string, key: string): string | null {
  const at = text.startsWith(`${key}:`) ? 0 : text.indexOf(`\n${key}:`);
  if (at < 0) return null;
  const start = at === 0 ? key.length + 1 : at + key.length + 2;
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end).trim();
}

/** Parses the Name, Tgid, PPid, Uid and Threads lines. Uid is mandatory; the rest default. */
export function parseStatus(text: string): Result<ProcStatus, ParseError> {
  const uidLine = field(text, 'Uid');
  const uid = uidLine === null ? NaN : Number(uidLine.split(/\s+/)[0]);
  if (!Number.isInteger(uid)) return err({ kind: 'malformed', detail: 'status has no Uid line' });
  const numberOf = (key: string, fallback: number): number => {
    const value = Number(field(text, key) ?? fallback);
    return Number.isFinite(value) ? value : fallback;
  };
  return ok({
    name: field(text, 'Name') ?? '',
    tgid: numberOf('Tgid', -1),
    ppid: numberOf('PPid', -1),
    uid,
    threads: numberOf('Threads', 1),
  });
}

/**
 * Splits /proc/<pid>/cmdline into arguments. Normally NUL-terminated arguments; a process that
 * rewrote its argv (setproctitle) may leave one space-separated string with no trailing NUL, which
 * is kept as one argument. Empty (kernel threads, zombies) gives null.
 */
export function parseCmdline(text: string): readonly string[] | null {
  if (text.length === 0) return null;
  const body = text.endsWith('\0') ? text.slice(0, -1) : text;
  return body.split('\0');
}
