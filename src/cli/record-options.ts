// The flight recorder's part of the command line: the subcommands record, query, report and replay,
// snapshot's --db/--at, and the viewer's --record [PATH]. options.ts collects the value flags (with
// its other subcommands' ones, and checks which subcommand may take each) and the words after the
// subcommand; this file checks the values and builds the commands. Pure, as options.ts.
import { err, ok, type Result } from '../core/types.js';
import { parseDuration, parseInstant, parseSize } from '../record/units.js';

export type RecorderSubcommand = 'record' | 'query' | 'report' | 'replay';

export type RecorderCommand =
  | {
      readonly kind: 'record';
      /** null: the default path (see record/default-path.ts). */
      readonly db: string | null;
      readonly retainMs: number | null;
      readonly maxBytes: number | null;
      readonly sampleMs: number | null;
    }
  | { readonly kind: 'query'; readonly db: string; readonly sql: string; readonly json: boolean }
  | {
      readonly kind: 'report';
      readonly report: 'exits';
      readonly db: string | null;
      /** As typed: a duration before --until ("1h") or an instant; evaluated when the command runs. */
      readonly since: string;
      readonly until: string | null;
      readonly by: 'command';
      readonly json: boolean;
    }
  /** db null: the default recording. */
  | { readonly kind: 'replay'; readonly db: string | null; readonly at: string | null };

/** `cntop snapshot --db PATH --at TIME`: the tree as a recording holds it at TIME. */
export interface RecordedSnapshot {
  /** null: the default recording. */
  readonly db: string | null;
  /** null: the end of the recording. */
  readonly at: string | null;
}

type Owner = RecorderSubcommand | 'snapshot';

/** The recorder's value flags and the subcommands that take them (options.ts checks the owners). */
export const RECORDER_VALUE_FLAGS: Readonly<Record<string, readonly Owner[]>> = {
  '--db': ['record', 'report', 'snapshot'],
  '--at': ['snapshot', 'replay'],
  '--retain': ['record'],
  '--max-size': ['record'],
  '--sample': ['record'],
  '--since': ['report'],
  '--until': ['report'],
  '--by': ['report'],
};

/** How many words a subcommand takes after it: query PATH SQL, report WHAT, replay [PATH]. */
const POSITIONALS: Readonly<Record<string, number>> = { query: 2, report: 1, replay: 1 };

export function takesPositional(subcommand: string, taken: number): boolean {
  return taken < (POSITIONALS[subcommand] ?? 0);
}

/**
 * The viewer's --record [PATH] (or --record=PATH): the path, '' for the default, and how many
 * following arguments it took; null when arg is not --record. A following word that is an option or
 * a subcommand is not taken as its path.
 */
export function applyRecordFlag(
  arg: string,
  next: string | undefined,
  subcommands: readonly string[],
): Result<{ path: string; consumed: number }, { message: string }> | null {
  if (arg === '--record') {
    const takesNext = next !== undefined && !next.startsWith('-') && !subcommands.includes(next);
    return ok({ path: takesNext ? next : '', consumed: takesNext ? 1 : 0 });
  }
  if (!arg.startsWith('--record=')) return null;
  const path = arg.slice('--record='.length);
  if (path === '') return err({ message: "option '--record=' needs a path (or give --record alone for the default)" });
  return ok({ path, consumed: 0 });
}

type Values = ReadonlyMap<string, string>;

function duration(values: Values, flag: string): Result<number | null, { message: string }> {
  const text = values.get(flag);
  if (text === undefined) return ok(null);
  const parsed = parseDuration(text);
  return parsed.ok ? ok(parsed.value) : err({ message: `option '${flag}': ${parsed.error}` });
}

function instantText(values: Values, flag: string): Result<string | null, { message: string }> {
  const text = values.get(flag);
  if (text === undefined) return ok(null);
  // The syntax is checked now; the instant is taken when the command runs (relative times are from then).
  const parsed = parseInstant(text, 0);
  return parsed.ok ? ok(text) : err({ message: `option '${flag}': ${parsed.error}` });
}

/** snapshot's recorded form when --db or --at is given, or null for a live snapshot. */
export function buildSnapshotSource(values: Values): Result<RecordedSnapshot | null, { message: string }> {
  const db = values.get('--db');
  const at = instantText(values, '--at');
  if (!at.ok) return at;
  if (db === undefined && at.value === null) return ok(null);
  return ok({ db: db ?? null, at: at.value });
}

export function buildRecorderCommand(
  subcommand: RecorderSubcommand,
  values: Values,
  positionals: readonly string[],
  json: boolean,
): Result<RecorderCommand, { message: string }> {
  const db = values.get('--db') ?? null;
  switch (subcommand) {
    case 'record': {
      const retain = duration(values, '--retain');
      if (!retain.ok) return retain;
      const sample = duration(values, '--sample');
      if (!sample.ok) return sample;
      if (sample.value !== null && sample.value < 1000)
        return err({ message: "option '--sample' must be at least 1s" });
      const sizeText = values.get('--max-size');
      let maxBytes: number | null = null;
      if (sizeText !== undefined) {
        const size = parseSize(sizeText);
        if (!size.ok) return err({ message: `option '--max-size': ${size.error}` });
        maxBytes = size.value;
      }
      return ok({ kind: 'record', db, retainMs: retain.value, maxBytes, sampleMs: sample.value });
    }
    case 'query': {
      const [path, sql] = positionals;
      if (path === undefined || sql === undefined)
        return err({ message: 'query needs a recording and a statement: cntop query PATH "SELECT …"' });
      return ok({ kind: 'query', db: path, sql, json });
    }
    case 'report': {
      const what = positionals[0];
      if (what !== 'exits')
        return err({
          message: `report needs what to report: 'cntop report exits'${what === undefined ? '' : ` (not '${what}')`}`,
        });
      const by = values.get('--by') ?? 'command';
      if (by !== 'command') return err({ message: `option '--by': only 'command' is known, got '${by}'` });
      const sinceText = values.get('--since') ?? '1h';
      const since = parseDuration(sinceText).ok ? ok(sinceText) : instantText(values, '--since');
      if (!since.ok) return since;
      const until = instantText(values, '--until');
      if (!until.ok) return until;
      return ok({
        kind: 'report',
        report: 'exits',
        db,
        since: since.value ?? sinceText,
        until: until.value,
        by: 'command',
        json,
      });
    }
    case 'replay': {
      const at = instantText(values, '--at');
      if (!at.ok) return at;
      return ok({ kind: 'replay', db: positionals[0] ?? null, at: at.value });
    }
  }
}
