// The flight recorder's entries in the usage spec (usage-spec.ts): its commands, snapshot's --db and
// --at, and the viewer's --record. Kept here so that the recorder's part of --help and the man page
// sits beside its options (record-options.ts).
import { DEFAULT_SAMPLE_MS } from '../record/defaults.js';
import type { CommandSpec, OptionSpec } from './usage-spec.js';

const TIME = "TIME is 03:12 (today), 2026-12-06T03:12:05, @UNIXSECONDS, -5m or '5m ago'";
const DEFAULT_DB =
  '$XDG_STATE_HOME/cntop/cntop.db, else ~/.local/state/cntop/cntop.db ($STATE_DIRECTORY/cntop.db under systemd)';

const DB: OptionSpec = {
  long: '--db',
  value: { name: 'PATH', example: 'rec.db' },
  help: `the recording (default ${DEFAULT_DB})`,
};

export const RECORDED_SNAPSHOT_OPTIONS: readonly OptionSpec[] = [
  {
    long: '--db',
    value: { name: 'PATH', example: 'rec.db' },
    help: 'print the tree as a recording holds it instead (default recording with --at alone)',
  },
  {
    long: '--at',
    value: { name: 'TIME', example: '03:12' },
    help: `the instant of the recording to print (default: its end); ${TIME}`,
  },
];

export const RECORDER_COMMANDS: readonly CommandSpec[] = [
  {
    name: 'record',
    summary:
      'record every process (lifetime, parent, execs, exit status, CPU and memory) into an SQLite file until stopped; ' +
      'command lines carry secrets, so the file is created 0600 in a 0700 directory',
    options: [
      DB,
      {
        long: '--retain',
        value: { name: 'DURATION', example: '14d' },
        help: 'delete what is older (e.g. 12h, 14d), a little at a time',
      },
      {
        long: '--max-size',
        value: { name: 'SIZE', example: '2G' },
        help: 'keep the database under SIZE (e.g. 500M, 2G), oldest first',
      },
      {
        long: '--sample',
        value: { name: 'DURATION', example: '10s' },
        help: `how often live processes and the host are sampled (default ${DEFAULT_SAMPLE_MS / 1000}s)`,
      },
    ],
  },
  {
    name: 'query',
    words: [
      { name: 'PATH', example: 'rec.db' },
      { name: 'SQL', example: 'SELECT 1' },
    ],
    summary: 'run one read-only SQL statement over a recording: a table on a terminal, tab-separated in a pipe',
    options: [{ long: '--json', help: 'NDJSON instead: one object per row' }],
  },
  {
    name: 'report',
    words: [{ name: 'exits', example: 'exits' }],
    summary:
      "exits of a window by command (count, failures, CPU of the dead: the Exited tab's by-command figures), crash loops, latest failures",
    options: [
      DB,
      {
        long: '--since',
        value: { name: 'WHEN', example: '1h' },
        help: 'where the window starts: a duration before its end (1h, the default) or a TIME',
      },
      { long: '--until', value: { name: 'TIME', example: 'now' }, help: `where it ends (default now); ${TIME}` },
      {
        long: '--by',
        value: { name: 'KEY', example: 'command' },
        help: 'command: one row per command (the only grouping so far, and the default)',
      },
      { long: '--json', help: 'the report as one JSON document' },
    ],
  },
  {
    name: 'replay',
    words: [{ name: 'PATH', example: 'rec.db', optional: true }],
    summary:
      'the viewer over a recording, at a time cursor: t / T next / previous step, b jump to a time, r rewind, z play / pause',
    options: [
      {
        long: '--at',
        value: { name: 'TIME', example: '03:12' },
        help: 'where the cursor starts (default: the end of the recording)',
      },
    ],
  },
];

export const RECORD_BESIDE_VIEWER: OptionSpec = {
  long: '--record',
  value: { name: 'PATH', example: '/tmp/viewer.db', optional: true },
  help: 'record while the viewer runs (to PATH, else the default recording; see record)',
};
