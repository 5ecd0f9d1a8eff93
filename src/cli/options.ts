// Turns argv (and the environment) into Options, or a UsageError that main prints with the usage
// before exiting 2. Pure: no I/O, no process globals, so every flag and error is unit-tested.
import { err, ok, type Result } from '../core/types.js';
import { DEFAULT_MAX_COMMANDS, MAX_MAX_COMMANDS } from '../exporter/command-slots.js';
import { DEFAULT_LISTEN, parseListenAddress, type ListenAddress } from '../exporter/listen-address.js';
import {
  DEFAULT_DELAY_TENTHS,
  HTOP_SORT_NAMES,
  MAX_DELAY_TENTHS,
  MAX_HIGHLIGHT_SECONDS,
  MIN_DELAY_TENTHS,
  MIN_HIGHLIGHT_SECONDS,
  columnForSortName,
  type ViewerFlags,
} from './viewer-settings.js';
import {
  RECORDER_VALUE_FLAGS,
  applyRecordFlag,
  buildRecorderCommand,
  buildSnapshotSource,
  takesPositional,
  type RecordedSnapshot,
  type RecorderCommand,
} from './record-options.js';

export { DEFAULT_DELAY_TENTHS, MAX_DELAY_TENTHS, MIN_DELAY_TENTHS };

export type Command =
  | { readonly kind: 'ui' }
  | { readonly kind: 'events'; readonly json: boolean; readonly threads: boolean }
  | { readonly kind: 'snapshot'; readonly json: boolean; readonly recorded?: RecordedSnapshot }
  | { readonly kind: 'doctor'; readonly json: boolean; readonly repair: boolean }
  | { readonly kind: 'exporter'; readonly listen: ListenAddress; readonly maxCommands: number }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | RecorderCommand;

export type CommandKind = Command['kind'];

export interface Options {
  readonly command: Command;
  /** Sampling interval (CPU%, memory, meters); events stay live regardless. */
  readonly refreshMs: number;
  /** False with --no-color or a non-empty NO_COLOR (https://no-color.org). */
  readonly color: boolean;
  /** Plain ASCII tree guides and bars, for terminals without Unicode. */
  readonly ascii: boolean;
  /** False with --no-netlink: never open the connector, poll /proc instead. */
  readonly netlink: boolean;
  /** What the command line said about the viewer (htop's flags); main merges it over the settings file. */
  readonly viewer: ViewerFlags;
  /** The viewer's --record [PATH]: record while it runs ('' = the default path). Absent without it. */
  readonly record?: string;
}

export interface UsageError {
  /** One line, no trailing newline, e.g. "unknown option '--jsn'". */
  readonly message: string;
}

const SUBCOMMANDS = ['events', 'snapshot', 'doctor', 'exporter', 'record', 'query', 'report', 'replay'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Flags that belong to one or more subcommands, and which ones. */
const SUBCOMMAND_FLAGS: Readonly<Record<string, readonly Subcommand[]>> = {
  '--json': ['events', 'snapshot', 'doctor', 'query', 'report'],
  '--threads': ['events'],
  '--repair': ['doctor'],
  '--listen': ['exporter'],
  '--max-commands': ['exporter'],
  ...RECORDER_VALUE_FLAGS,
};

/** Subcommand flags that take a value (--listen ADDR:PORT or --listen=ADDR:PORT). */
const SUBCOMMAND_VALUE_FLAGS = ['--listen', '--max-commands', ...Object.keys(RECORDER_VALUE_FLAGS)];

interface Draft {
  subcommand: Subcommand | null;
  flags: Set<string>;
  /** Values of SUBCOMMAND_VALUE_FLAGS, checked once the subcommand is known. */
  values: Map<string, string>;
  help: boolean;
  version: boolean;
  delayTenths: number | null;
  noColor: boolean;
  ascii: boolean;
  noNetlink: boolean;
  /** The viewer-only flags, and the first one given (named when a subcommand rejects them). */
  viewer: { -readonly [K in keyof ViewerFlags]: ViewerFlags[K] };
  viewerOnlyFlag: string | null;
  /** Words after a subcommand that takes them (query PATH SQL, report exits, replay PATH). */
  positionals: string[];
  /** The viewer's --record: '' for the default path. */
  record: string | null;
}

/**
 * Parses the arguments after `node main.js`. Flags may come before or after the subcommand;
 * `-d 15`, `-d15`, `--delay 15` and `--delay=15` are all accepted, as htop accepts them.
 */
export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<Options, UsageError> {
  const draft: Draft = {
    subcommand: null,
    flags: new Set(),
    values: new Map(),
    positionals: [],
    record: null,
    help: false,
    version: false,
    delayTenths: null,
    noColor: false,
    ascii: false,
    noNetlink: false,
    viewer: {},
    viewerOnlyFlag: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    // Bundled short flags without values, as getopt takes them: -tCM is -t -C -M.
    const bundle = /^-[tCMUhV]{2,}$/.test(arg) ? Array.from(arg.slice(1), (c) => `-${c}`) : [arg];
    for (const one of bundle) {
      const step = applyArgument(draft, one, bundle.length > 1 ? undefined : argv[i + 1], env);
      if (!step.ok) return step;
      i += step.value;
    }
  }
  return finish(draft, env);
}

/** Value-taking flags: short and long spelling, what the value is, and where it goes. */
type ValueFlag = readonly [
  short: string,
  long: string,
  apply: (draft: Draft, flag: string, value: string) => UsageError | null,
];

const VALUE_FLAGS: readonly ValueFlag[] = [
  [
    '-u',
    '--user',
    (d, flag, v) => {
      if (v === '') return { message: `option '${flag}' needs a user name` };
      return (viewerOnly(d, flag), (d.viewer.user = v), null);
    },
  ],
  [
    '-p',
    '--pid',
    (d, flag, v) => {
      const pids: number[] = [];
      for (const part of v.split(',')) {
        if (!/^\d+$/.test(part) || Number(part) < 1 || Number(part) > 4194304) {
          return { message: `option '${flag}' wants process ids separated by commas (e.g. 1,42), got '${v}'` };
        }
        pids.push(Number(part));
      }
      // -p may be given more than once, as htop allows; each process is listed once.
      return (viewerOnly(d, flag), (d.viewer.pids = [...new Set([...(d.viewer.pids ?? []), ...pids])]), null);
    },
  ],
  [
    '-s',
    '--sort-key',
    (d, flag, v) => {
      const column = columnForSortName(v);
      if (column === null)
        return { message: `option '${flag}': unknown column '${v}' (one of: ${HTOP_SORT_NAMES.join(', ')})` };
      return (viewerOnly(d, flag), (d.viewer.sortColumn = column), null);
    },
  ],
  [
    '-F',
    '--filter',
    (d, flag, v) => {
      if (v === '') return { message: `option '${flag}' needs a filter text` };
      return (viewerOnly(d, flag), (d.viewer.filter = v), null);
    },
  ],
  [
    '-n',
    '--max-iterations',
    (d, flag, v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1)
        return { message: `option '${flag}' wants a positive whole number of refreshes, got '${v}'` };
      return (viewerOnly(d, flag), (d.viewer.maxIterations = Number(v)), null);
    },
  ],
];

/** Flags without a value that only the viewer understands. */
const VIEWER_SWITCHES: Readonly<Record<string, (d: Draft) => void>> = {
  '-t': (d) => (d.viewer.tree = true),
  '--tree': (d) => (d.viewer.tree = true),
  '-M': (d) => (d.viewer.noMouse = true),
  '--no-mouse': (d) => (d.viewer.noMouse = true),
  '--readonly': (d) => (d.viewer.readonly = true),
};

function viewerOnly(draft: Draft, flag: string): void {
  draft.viewerOnlyFlag ??= flag;
}

function setHighlight(draft: Draft, flag: string, text: string | null): UsageError | null {
  viewerOnly(draft, flag);
  draft.viewer.highlightChanges = true;
  if (text === null) return null;
  if (!/^\d+$/.test(text) || Number(text) < MIN_HIGHLIGHT_SECONDS || Number(text) > MAX_HIGHLIGHT_SECONDS) {
    return {
      message: `option '${flag}' wants ${MIN_HIGHLIGHT_SECONDS}-${MAX_HIGHLIGHT_SECONDS} whole seconds, got '${text}'`,
    };
  }
  draft.viewer.highlightMs = Number(text) * 1000;
  return null;
}

/** Applies one argument; returns how many following arguments it consumed (0 or 1). */
function applyArgument(
  draft: Draft,
  arg: string,
  next: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Result<number, UsageError> {
  if (arg === '-h' || arg === '--help') return ((draft.help = true), ok(0));
  if (arg === '-V' || arg === '--version') return ((draft.version = true), ok(0));
  if (arg === '-C' || arg === '--no-color' || arg === '--no-colour') return ((draft.noColor = true), ok(0));
  if (arg === '-U' || arg === '--no-unicode' || arg === '--ascii') return ((draft.ascii = true), ok(0));
  const sw = VIEWER_SWITCHES[arg];
  if (sw !== undefined) return (viewerOnly(draft, arg), sw(draft), ok(0));
  // htop's -H takes its seconds attached (-H5, --highlight-changes=5); a number right after it is taken too.
  if (arg === '-H' || arg === '--highlight-changes') {
    const takesNext = next !== undefined && /^\d+$/.test(next);
    const e = setHighlight(draft, arg, takesNext ? next : null);
    return e ? err(e) : ok(takesNext ? 1 : 0);
  }
  if (arg.startsWith('--highlight-changes='))
    return done(setHighlight(draft, '--highlight-changes', arg.slice('--highlight-changes='.length)), 0);
  if (/^-H./.test(arg)) return done(setHighlight(draft, '-H', arg.slice(2)), 0);
  for (const [short, long, apply] of VALUE_FLAGS) {
    if (arg === short || arg === long) {
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        // htop's -u without a name means the user running it.
        if (short === '-u' && env['USER'] !== undefined && env['USER'] !== '')
          return done(apply(draft, arg, env['USER']), 0);
        return err({ message: `option '${arg}' needs a value` });
      }
      return done(apply(draft, arg, next), 1);
    }
    if (arg.startsWith(`${long}=`)) return done(apply(draft, long, arg.slice(long.length + 1)), 0);
    if (arg.startsWith(short) && arg.length > 2) return done(apply(draft, short, arg.slice(2)), 0);
  }
  for (const flag of SUBCOMMAND_VALUE_FLAGS) {
    if (arg !== flag && !arg.startsWith(`${flag}=`)) continue;
    const value = arg === flag ? next : arg.slice(flag.length + 1);
    if (value === undefined || value === '') return err({ message: `option '${flag}' needs a value` });
    draft.flags.add(flag);
    draft.values.set(flag, value);
    return ok(arg === flag ? 1 : 0);
  }
  const record = applyRecordFlag(arg, next, SUBCOMMANDS);
  if (record !== null) {
    if (!record.ok) return record;
    viewerOnly(draft, '--record');
    draft.record = record.value.path;
    return ok(record.value.consumed);
  }
  if (arg === '--no-netlink') return ((draft.noNetlink = true), ok(0));
  if (arg in SUBCOMMAND_FLAGS) return (draft.flags.add(arg), ok(0));
  if (arg === '-d' || arg === '--delay') {
    if (next === undefined) return err({ message: `option '${arg}' needs a value (tenths of a second)` });
    return setDelay(draft, arg, next, 1);
  }
  if (arg.startsWith('--delay=')) return setDelay(draft, '--delay', arg.slice('--delay='.length), 0);
  if (/^-d\d/.test(arg)) return setDelay(draft, '-d', arg.slice(2), 0);
  if (arg.startsWith('-') && arg !== '-') return err({ message: `unknown option '${arg}'` });
  if (draft.subcommand !== null) {
    if (takesPositional(draft.subcommand, draft.positionals.length)) return (draft.positionals.push(arg), ok(0));
    return err({ message: `unexpected argument '${arg}' after '${draft.subcommand}'` });
  }
  if (!isSubcommand(arg)) return err({ message: `unknown command '${arg}'` });
  draft.subcommand = arg;
  return ok(0);
}

function done(error: UsageError | null, consumed: number): Result<number, UsageError> {
  return error === null ? ok(consumed) : err(error);
}

function setDelay(draft: Draft, flag: string, text: string, consumed: number): Result<number, UsageError> {
  if (!/^\d+$/.test(text)) {
    return err({ message: `option '${flag}' wants a whole number of tenths of a second, got '${text}'` });
  }
  const tenths = Number(text);
  if (tenths < MIN_DELAY_TENTHS || tenths > MAX_DELAY_TENTHS) {
    return err({
      message: `option '${flag}' must be between ${MIN_DELAY_TENTHS} and ${MAX_DELAY_TENTHS} tenths of a second, got ${tenths}`,
    });
  }
  draft.delayTenths = tenths;
  return ok(consumed);
}

function isSubcommand(word: string): word is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(word);
}

function finish(draft: Draft, env: Readonly<Record<string, string | undefined>>): Result<Options, UsageError> {
  const command = buildCommand(draft);
  if (!command.ok) return command;
  if (
    command.value.kind !== 'ui' &&
    command.value.kind !== 'help' &&
    command.value.kind !== 'version' &&
    draft.viewerOnlyFlag !== null
  ) {
    return err({ message: `option '${draft.viewerOnlyFlag}' only applies to the viewer (cntop without a command)` });
  }
  const noColorEnv = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const delayTenths = draft.delayTenths ?? DEFAULT_DELAY_TENTHS;
  const viewer: ViewerFlags = {
    ...draft.viewer,
    ...(draft.delayTenths !== null ? { refreshMs: delayTenths * 100 } : {}),
    ...(draft.noColor ? { noColor: true } : {}),
    ...(draft.ascii ? { ascii: true } : {}),
  };
  return ok({
    command: command.value,
    refreshMs: delayTenths * 100,
    color: !(draft.noColor || noColorEnv),
    ascii: draft.ascii,
    netlink: !draft.noNetlink,
    viewer,
    ...(draft.record !== null ? { record: draft.record } : {}),
  });
}

function buildCommand(draft: Draft): Result<Command, UsageError> {
  // --help and --version win over everything else, as in most tools: `cntop events --help` helps.
  if (draft.help) return ok({ kind: 'help' });
  if (draft.version) return ok({ kind: 'version' });
  for (const flag of draft.flags) {
    const allowed = SUBCOMMAND_FLAGS[flag] ?? [];
    if (draft.subcommand === null || !allowed.includes(draft.subcommand)) {
      return err({ message: `option '${flag}' only applies to: ${allowed.map((s) => `cntop ${s}`).join(', ')}` });
    }
  }
  const json = draft.flags.has('--json');
  switch (draft.subcommand) {
    case null:
      return ok({ kind: 'ui' });
    case 'events':
      // Polling cannot see a process that lives between two scans, so an event stream from it would lie.
      if (draft.noNetlink)
        return err({ message: "events needs the process connector; it cannot be combined with '--no-netlink'" });
      return ok({ kind: 'events', json, threads: draft.flags.has('--threads') });
    case 'snapshot': {
      const recorded = buildSnapshotSource(draft.values);
      if (!recorded.ok) return recorded;
      return ok(
        recorded.value === null ? { kind: 'snapshot', json } : { kind: 'snapshot', json, recorded: recorded.value },
      );
    }
    case 'doctor':
      return ok({ kind: 'doctor', json, repair: draft.flags.has('--repair') });
    case 'exporter':
      return buildExporterCommand(draft);
    default:
      return buildRecorderCommand(draft.subcommand, draft.values, draft.positionals, json);
  }
}

function buildExporterCommand(draft: Draft): Result<Command, UsageError> {
  // Its counters count events; polling would miss every process that lives between two scans.
  if (draft.noNetlink)
    return err({ message: "exporter counts process events; it cannot be combined with '--no-netlink'" });
  const listenText = draft.values.get('--listen');
  const listen = listenText === undefined ? ok(DEFAULT_LISTEN) : parseListenAddress(listenText);
  if (!listen.ok) return err({ message: `option '--listen': ${listen.error}` });
  const maxText = draft.values.get('--max-commands') ?? String(DEFAULT_MAX_COMMANDS);
  if (!/^\d+$/.test(maxText) || Number(maxText) < 1 || Number(maxText) > MAX_MAX_COMMANDS) {
    return err({
      message: `option '--max-commands' wants a whole number of commands from 1 to ${MAX_MAX_COMMANDS}, got '${maxText}'`,
    });
  }
  return ok({ kind: 'exporter', listen: listen.value, maxCommands: Number(maxText) });
}
