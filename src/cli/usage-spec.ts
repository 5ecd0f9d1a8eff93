// What cntop's command line is, as data: the one source that `--help` (usage.ts) and the man page
// (man-page.ts) render. Adding a command is one entry in COMMANDS; an option, one entry in its list.
// A unit test checks that every flag options.ts parses is here and that both renderings agree.
import {
  DEFAULT_DELAY_TENTHS,
  DEFAULT_HIGHLIGHT_SECONDS,
  HTOP_SORT_NAMES,
  MAX_DELAY_TENTHS,
  MIN_DELAY_TENTHS,
} from './viewer-settings.js';
import { DEFAULT_MAX_COMMANDS, MAX_MAX_COMMANDS } from '../exporter/command-slots.js';
import { DEFAULT_LISTEN, formatListenAddress } from '../exporter/listen-address.js';
import { RECORDED_SNAPSHOT_OPTIONS, RECORDER_COMMANDS, RECORD_BESIDE_VIEWER } from './record-usage.js';

export interface OptionSpec {
  /** '-d', or absent for a long-only option. */
  readonly short?: string;
  readonly long: string;
  /** Other spellings the parser takes for the same option ('--ascii' for '--no-unicode'). */
  readonly aliases?: readonly string[];
  /**
   * The value's name ('TENTHS'); `optional` when it may be left out (written `[=SECS]`); `example`,
   * a value the parser accepts (the spec test passes it to parseOptions).
   */
  readonly value?: { readonly name: string; readonly example: string; readonly optional?: boolean };
  /** One sentence or a few; renderers wrap it. */
  readonly help: string;
}

export interface CommandSpec {
  /** null: cntop without a command (the viewer). */
  readonly name: string | null;
  /** Words after the name ('query PATH SQL'): how they are written, and an example the parser accepts. */
  readonly words?: readonly { readonly name: string; readonly example: string; readonly optional?: boolean }[];
  readonly summary: string;
  /** Options only this command takes. */
  readonly options: readonly OptionSpec[];
}

export interface Entry {
  readonly term: string;
  readonly help: string;
}

export interface UsageSpec {
  readonly tagline: string;
  readonly commands: readonly CommandSpec[];
  /** Options for every command (htop's). */
  readonly globalOptions: readonly OptionSpec[];
  /** Options for the viewer only; with a command they are a usage error. */
  readonly viewerOptions: readonly OptionSpec[];
  /** -h and -V. */
  readonly infoOptions: readonly OptionSpec[];
  readonly environment: readonly Entry[];
  readonly files: readonly Entry[];
  readonly exitStatus: readonly Entry[];
}

const JSON_FLAG = (what: string): OptionSpec => ({ long: '--json', help: what });

export const COMMANDS: readonly CommandSpec[] = [
  { name: null, summary: 'open the interactive viewer (live process tree, connector panel)', options: [] },
  {
    name: 'events',
    summary: 'stream process events, one human-readable line each (like forkstat)',
    options: [
      JSON_FLAG('NDJSON instead: one JSON object per event, flushed once per batch'),
      { long: '--threads', help: 'include thread events (tasks whose pid differs from their tgid)' },
    ],
  },
  {
    name: 'snapshot',
    summary: 'print the current process tree once (pstree-like) and exit',
    options: [
      JSON_FLAG('JSON instead: a forest of {pid, ppid, user, state, comm, cmdline, threads, children}'),
      ...RECORDED_SNAPSHOT_OPTIONS,
    ],
  },
  {
    name: 'doctor',
    summary: 'check that the connector really delivers events; exit 0 healthy, 1 degraded, 2 blind',
    options: [
      JSON_FLAG('the report as JSON'),
      { long: '--repair', help: "raise the kernel's listener counter by the measured deficit" },
    ],
  },
  {
    name: 'exporter',
    summary: 'serve Prometheus metrics: process starts and ends, connector health',
    options: [
      {
        long: '--listen',
        value: { name: 'ADDR:PORT', example: '127.0.0.1:29100' },
        help: `where to listen (default ${formatListenAddress(DEFAULT_LISTEN)}; [::1]:PORT for IPv6)`,
      },
      {
        long: '--max-commands',
        value: { name: 'N', example: '50' },
        help: `commands with series of their own, the rest as "other" (1-${MAX_MAX_COMMANDS}, default ${DEFAULT_MAX_COMMANDS})`,
      },
    ],
  },
  ...RECORDER_COMMANDS,
];

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    short: '-d',
    long: '--delay',
    value: { name: 'TENTHS', example: '15' },
    help: `refresh interval for CPU/memory sampling, in tenths of a second (${MIN_DELAY_TENTHS}-${MAX_DELAY_TENTHS}, default ${DEFAULT_DELAY_TENTHS}); events are live regardless`,
  },
  {
    short: '-C',
    long: '--no-color',
    aliases: ['--no-colour'],
    help: 'no colours (also when NO_COLOR is set and not empty)',
  },
  {
    short: '-U',
    long: '--no-unicode',
    aliases: ['--ascii'],
    help: 'ASCII tree guides and bars, for terminals without Unicode (also --ascii)',
  },
  { long: '--no-netlink', help: 'do not open the process connector; poll /proc instead (to compare)' },
];

export const VIEWER_OPTIONS: readonly OptionSpec[] = [
  {
    short: '-u',
    long: '--user',
    value: { name: 'USER', example: 'root', optional: true },
    help: "show only USER's processes (without a name: yours, from $USER)",
  },
  { short: '-p', long: '--pid', value: { name: 'PID[,PID...]', example: '1,2' }, help: 'show only these processes' },
  { short: '-t', long: '--tree', help: 'start in the tree view' },
  {
    short: '-s',
    long: '--sort-key',
    value: { name: 'COLUMN', example: 'PERCENT_CPU' },
    help: `sort the list by COLUMN (htop's names), in its natural direction: ${HTOP_SORT_NAMES.join(', ')} (or cntop's: cpu, mem, ...)`,
  },
  {
    short: '-F',
    long: '--filter',
    value: { name: 'TEXT', example: 'sshd' },
    help: 'start with this filter on the command lines',
  },
  { short: '-M', long: '--no-mouse', help: 'no mouse support' },
  {
    short: '-H',
    long: '--highlight-changes',
    value: { name: 'SECS', example: '5', optional: true },
    help: `highlight new processes for SECS seconds (default ${DEFAULT_HIGHLIGHT_SECONDS})`,
  },
  { long: '--readonly', help: 'no signals, no renice, no connector repair' },
  { short: '-n', long: '--max-iterations', value: { name: 'N', example: '10' }, help: 'quit after N refreshes' },
  RECORD_BESIDE_VIEWER,
];

export const INFO_OPTIONS: readonly OptionSpec[] = [
  { short: '-h', long: '--help', help: 'show this help and exit' },
  { short: '-V', long: '--version', help: 'show the version and exit' },
];

export const USAGE_SPEC: UsageSpec = {
  tagline: "an htop-style process viewer fed live by the kernel's process connector",
  commands: COMMANDS,
  globalOptions: GLOBAL_OPTIONS,
  viewerOptions: VIEWER_OPTIONS,
  infoOptions: INFO_OPTIONS,
  environment: [
    { term: 'CNTOPRC', help: 'the settings file to read instead of the default place' },
    {
      term: 'XDG_CONFIG_HOME',
      help: 'where the settings file is looked for (cntop/cntoprc below it), when an absolute path',
    },
    { term: 'NO_COLOR', help: 'when set and not empty: no colours, as with -C' },
    { term: 'USER', help: 'the user -u shows without a name' },
    { term: 'TERM', help: 'the terminal type; xterm, xterm-256color, screen, tmux, linux and vt100 all work' },
  ],
  files: [
    {
      term: '$CNTOPRC, else $XDG_CONFIG_HOME/cntop/cntoprc, else ~/.config/cntop/cntoprc',
      help: 'key=value lines, format in docs/CONFIG.md; options on the command line override the file',
    },
  ],
  exitStatus: [
    { term: '0', help: 'success (also on q, Ctrl-C, SIGTERM, SIGHUP and a closed output pipe); cntop doctor: healthy' },
    { term: '1', help: 'runtime error (e.g. `events` without a working connector); cntop doctor: degraded' },
    {
      term: '2',
      help: 'usage error (unknown option or command, printed with the usage on stderr); cntop doctor: blind',
    },
  ],
};

/** Every spelling of an option: '-d', '--delay' and the aliases. */
export function spellings(option: OptionSpec): string[] {
  return [...(option.short === undefined ? [] : [option.short]), option.long, ...(option.aliases ?? [])];
}

/** Every option in the spec, commands' included. */
export function allOptions(spec: UsageSpec): OptionSpec[] {
  return [
    ...spec.commands.flatMap((c) => c.options),
    ...spec.globalOptions,
    ...spec.viewerOptions,
    ...spec.infoOptions,
  ];
}

/** `-H, --highlight-changes[=SECS]`, `-d, --delay TENTHS`, `    --no-netlink`. */
export function optionLabel(option: OptionSpec): string {
  const names = option.short === undefined ? `    ${option.long}` : `${option.short}, ${option.long}`;
  if (option.value === undefined) return names;
  return option.value.optional === true ? `${names}[=${option.value.name}]` : `${names} ${option.value.name}`;
}

/** `query PATH SQL`, `replay [PATH]`: the command's name and its words. */
export function commandWithWords(command: CommandSpec): string {
  const words = (command.words ?? []).map((w) => (w.optional === true ? `[${w.name}]` : w.name));
  return [command.name ?? '', ...words].join(' ').trim();
}

/** The usage: one line per command (`usage: cntop [options]`, `       cntop events [--json] ... [options]`). */
export function usageLine(spec: UsageSpec): string {
  return spec.commands
    .map((c) =>
      [
        'cntop',
        ...(c.name === null ? [] : [commandWithWords(c)]),
        ...c.options.map((o) => `[${o.long}${o.value === undefined ? '' : ` ${o.value.name}`}]`),
        '[options]',
      ].join(' '),
    )
    .map((line, i) => `${i === 0 ? 'usage: ' : '       '}${line}`)
    .join('\n');
}
