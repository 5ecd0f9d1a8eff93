// The flight recorder's part of the command line: the subcommands record, query, report and replay,
// snapshot's --db/--at, and the viewer's --record [PATH]. options.ts hands over the arguments it does
// not know; this file checks them and builds the commands. Pure, as options.ts.
import { err, ok, type Result } from '../core/types.js';
import { parseDuration, parseInstant, parseSize } from '../record/units.js';

export const RECORDER_SUBCOMMANDS = ['record', 'query', 'report', 'replay'] as const;
export type RecorderSubcommand = (typeof RECORDER_SUBCOMMANDS)[number];

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
  | { readonly kind: 'replay'; readonly db: string | null; readonly at: string | null };

/** `cntop snapshot --db PATH --at TIME`: the tree as a recording holds it at TIME. */
export interface RecordedSnapshot {
  readonly db: string;
  readonly at: string;
}

/** What the recorder's flags and words collected while options.ts walked argv. */
export interface RecorderDraft {
  readonly values: Map<string, string>;
  readonly positionals: string[];
  /** The viewer's --record: '' for the default path. */
  record: string | null;
}

export function newRecorderDraft(): RecorderDraft {
  return { values: new Map(), positionals: [], record: null };
}

type Owner = RecorderSubcommand | 'snapshot';

/** Value flags and the subcommands that take them. */
const VALUE_FLAGS: Readonly<Record<string, readonly Owner[]>> = {
  '--db': ['record', 'report', 'replay', 'snapshot'],
  '--at': ['snapshot', 'replay'],
  '--retain': ['record'],
  '--max-size': ['record'],
  '--sample': ['record'],
  '--since': ['report'],
  '--until': ['report'],
  '--by': ['report'],
};

export function isRecorderSubcommand(word: string): word is RecorderSubcommand {
  return (RECORDER_SUBCOMMANDS as readonly string[]).includes(word);
}

/** How many words a subcommand takes after it: query PATH SQL, report WHAT, replay [PATH]. */
const POSITIONALS: Readonly<Record<RecorderSubcommand, number>> = { record: 0, query: 2, report: 1, replay: 1 };

export function takesPositional(subcommand: string, draft: RecorderDraft): boolean {
  return isRecorderSubcommand(subcommand) && draft.positionals.length < POSITIONALS[subcommand];
}

/**
 * Takes one argument if it is the recorder's: returns how many following arguments it consumed, or
 * null when the argument is not the recorder's. `subcommands` are the words options.ts knows, which
 * --record never takes as its path.
 */
export function applyRecorderArgument(
  draft: RecorderDraft,
  arg: string,
  next: string | undefined,
  subcommands: readonly string[],
): Result<number, { message: string }> | null {
  if (arg === '--record') {
    const takesNext = next !== undefined && !next.startsWith('-') && !subcommands.includes(next);
    draft.record = takesNext ? next : '';
    return ok(takesNext ? 1 : 0);
  }
  if (arg.startsWith('--record=')) {
    const path = arg.slice('--record='.length);
    if (path === '') return err({ message: "option '--record=' needs a path (or give --record alone for the default)" });
    draft.record = path;
    return ok(0);
  }
  const eq = arg.indexOf('=');
  const flag = eq > 0 ? arg.slice(0, eq) : arg;
  if (!(flag in VALUE_FLAGS)) return null;
  if (eq > 0) {
    draft.values.set(flag, arg.slice(eq + 1));
    return ok(0);
  }
  if (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))) return err({ message: `option '${flag}' needs a value` });
  draft.values.set(flag, next);
  return ok(1);
}

/** The first recorder flag the subcommand does not take, as a usage error. */
function checkOwners(subcommand: Owner | null, draft: RecorderDraft): { message: string } | null {
  for (const flag of draft.values.keys()) {
    const owners = VALUE_FLAGS[flag] ?? [];
    if (subcommand === null || !owners.includes(subcommand)) {
      return { message: `option '${flag}' only applies to: ${owners.map((s) => `cntop ${s}`).join(', ')}` };
    }
  }
  return null;
}

function duration(draft: RecorderDraft, flag: string): Result<number | null, { message: string }> {
  const text = draft.values.get(flag);
  if (text === undefined) return ok(null);
  const parsed = parseDuration(text);
  return parsed.ok ? ok(parsed.value) : err({ message: `option '${flag}': ${parsed.error}` });
}

function instantText(draft: RecorderDraft, flag: string): Result<string | null, { message: string }> {
  const text = draft.values.get(flag);
  if (text === undefined) return ok(null);
  // The syntax is checked now; the instant is taken when the command runs (relative times are from then).
  const parsed = parseInstant(text, 0);
  return parsed.ok ? ok(text) : err({ message: `option '${flag}': ${parsed.error}` });
}

/** Checks the recorder flags given to `snapshot`, and builds its recorded form when --db is there. */
export function buildSnapshotSource(draft: RecorderDraft): Result<RecordedSnapshot | null, { message: string }> {
  const owners = checkOwners('snapshot', draft);
  if (owners !== null) return err(owners);
  const db = draft.values.get('--db');
  const at = instantText(draft, '--at');
  if (!at.ok) return at;
  if (db === undefined && at.value === null) return ok(null);
  if (db === undefined) return err({ message: "snapshot --at reads a recording: give it with --db PATH" });
  if (at.value === null) return err({ message: 'snapshot --db needs --at TIME (e.g. --at 03:12, --at -5m)' });
  return ok({ db, at: at.value });
}

/** Flags of the recorder given with another subcommand (or none): the usage error naming the first. */
export function strayRecorderFlag(subcommand: string | null, draft: RecorderDraft): { message: string } | null {
  if (draft.values.size === 0) return null;
  return checkOwners(subcommand !== null && (isRecorderSubcommand(subcommand) || subcommand === 'snapshot') ? subcommand : null, draft);
}

export function buildRecorderCommand(subcommand: RecorderSubcommand, draft: RecorderDraft, json: boolean): Result<RecorderCommand, { message: string }> {
  const owners = checkOwners(subcommand, draft);
  if (owners !== null) return err(owners);
  const db = draft.values.get('--db') ?? null;
  switch (subcommand) {
    case 'record': {
      const retain = duration(draft, '--retain');
      if (!retain.ok) return retain;
      const sample = duration(draft, '--sample');
      if (!sample.ok) return sample;
      if (sample.value !== null && sample.value < 1000) return err({ message: "option '--sample' must be at least 1s" });
      const sizeText = draft.values.get('--max-size');
      let maxBytes: number | null = null;
      if (sizeText !== undefined) {
        const size = parseSize(sizeText);
        if (!size.ok) return err({ message: `option '--max-size': ${size.error}` });
        maxBytes = size.value;
      }
      return ok({ kind: 'record', db, retainMs: retain.value, maxBytes, sampleMs: sample.value });
    }
    case 'query': {
      const [path, sql] = draft.positionals;
      if (path === undefined || sql === undefined) return err({ message: 'query needs a recording and a statement: cntop query PATH "SELECT …"' });
      return ok({ kind: 'query', db: path, sql, json });
    }
    case 'report': {
      const what = draft.positionals[0];
      if (what !== 'exits') return err({ message: `report needs what to report: 'cntop report exits'${what === undefined ? '' : ` (not '${what}')`}` });
      const by = draft.values.get('--by') ?? 'command';
      if (by !== 'command') return err({ message: `option '--by': only 'command' is known, got '${by}'` });
      const sinceText = draft.values.get('--since') ?? '1h';
      const since = parseDuration(sinceText).ok ? ok(sinceText) : instantText(draft, '--since');
      if (!since.ok) return since;
      const until = instantText(draft, '--until');
      if (!until.ok) return until;
      return ok({ kind: 'report', report: 'exits', db, since: since.value ?? sinceText, until: until.value, by: 'command', json });
    }
    case 'replay': {
      const at = instantText(draft, '--at');
      if (!at.ok) return at;
      const path = draft.positionals[0] ?? db;
      if (draft.positionals[0] !== undefined && db !== null) return err({ message: 'replay takes the recording once: as PATH or as --db PATH' });
      return ok({ kind: 'replay', db: path, at: at.value });
    }
  }
}
