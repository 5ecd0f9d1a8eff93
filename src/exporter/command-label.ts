// The value of the `command` label: the process's name (comm, at most 15 bytes), made safe, and never
// its arguments, which carry passwords, tokens and paths. Pure.
import { sanitizeForTerminal } from '../core/text/sanitize.js';

/** The label of every command without a series of its own (beyond the top N, or without a name). */
export const OTHER_COMMAND = 'other';

/**
 * The comm as a label value: control characters, bidi overrides and lone surrogates become '?', as on
 * the terminal (a label is read in dashboards and terminals too). Null for a process without a name.
 */
export function commandLabel(comm: string | null): string | null {
  if (comm === null || comm === '') return null;
  return sanitizeForTerminal(comm);
}
