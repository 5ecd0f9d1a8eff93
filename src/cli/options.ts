// Turns argv (and the environment) into Options, or a UsageError that main prints with the usage
// before exiting 2. Pure: no I/O, no process globals, so every flag and error is unit-tested.
import { err, ok, type Result } from '../core/types.js';

export type Command =
  | { readonly kind: 'ui' }
  | { readonly kind: 'events'; readonly json: boolean; readonly threads: boolean }
  | { readonly kind: 'snapshot'; readonly json: boolean }
  | { readonly kind: 'doctor'; readonly json: boolean; readonly repair: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

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
}

export interface UsageError {
  /** One line, no trailing newline, e.g. "unknown option '--jsn'". */
  readonly message: string;
}

/** htop's -d: tenths of a second. The range keeps the UI responsive and /proc scans affordable. */
export const DEFAULT_DELAY_TENTHS = 15;
export const MIN_DELAY_TENTHS = 1;
export const MAX_DELAY_TENTHS = 600;

const SUBCOMMANDS = ['events', 'snapshot', 'doctor'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Flags that belong to one or more subcommands, and which ones. */
const SUBCOMMAND_FLAGS: Readonly<Record<string, readonly Subcommand[]>> = {
  '--json': ['events', 'snapshot', 'doctor'],
  '--threads': ['events'],
  '--repair': ['doctor'],
};

interface Draft {
  subcommand: Subcommand | null;
  flags: Set<string>;
  help: boolean;
  version: boolean;
  delayTenths: number;
  noColor: boolean;
  ascii: boolean;
  noNetlink: boolean;
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
    help: false,
    version: false,
    delayTenths: DEFAULT_DELAY_TENTHS,
    noColor: false,
    ascii: false,
    noNetlink: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const step = applyArgument(draft, arg, argv[i + 1]);
    if (!step.ok) return step;
    i += step.value;
  }
  return finish(draft, env);
}

/** Applies one argument; returns how many following arguments it consumed (0 or 1). */
function applyArgument(draft: Draft, arg: string, next: string | undefined): Result<number, UsageError> {
  if (arg === '-h' || arg === '--help') return (draft.help = true), ok(0);
  if (arg === '-V' || arg === '--version') return (draft.version = true), ok(0);
  if (arg === '--no-color' || arg === '--no-colour') return (draft.noColor = true), ok(0);
  if (arg === '--ascii') return (draft.ascii = true), ok(0);
  if (arg === '--no-netlink') return (draft.noNetlink = true), ok(0);
  if (arg in SUBCOMMAND_FLAGS) return draft.flags.add(arg), ok(0);
  if (arg === '-d' || arg === '--delay') {
    if (next === undefined) return err({ message: `option '${arg}' needs a value (tenths of a second)` });
    return setDelay(draft, arg, next, 1);
  }
  if (arg.startsWith('--delay=')) return setDelay(draft, '--delay', arg.slice('--delay='.length), 0);
  if (/^-d\d/.test(arg)) return setDelay(draft, '-d', arg.slice(2), 0);
  if (arg.startsWith('-') && arg !== '-') return err({ message: `unknown option '${arg}'` });
  if (draft.subcommand !== null) {
    return err({ message: `unexpected argument '${arg}' after '${draft.subcommand}'` });
  }
  if (!isSubcommand(arg)) return err({ message: `unknown command '${arg}'` });
  draft.subcommand = arg;
  return ok(0);
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
  const noColorEnv = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  return ok({
    command: command.value,
    refreshMs: draft.delayTenths * 100,
    color: !(draft.noColor || noColorEnv),
    ascii: draft.ascii,
    netlink: !draft.noNetlink,
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
      if (draft.noNetlink) return err({ message: "events needs the process connector; it cannot be combined with '--no-netlink'" });
      return ok({ kind: 'events', json, threads: draft.flags.has('--threads') });
    case 'snapshot':
      return ok({ kind: 'snapshot', json });
    case 'doctor':
      return ok({ kind: 'doctor', json, repair: draft.flags.has('--repair') });
  }
}
