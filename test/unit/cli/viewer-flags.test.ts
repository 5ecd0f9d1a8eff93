// htop's flags on cntop's command line (issue 12): each flag, their combinations, and every error
// (main turns a UsageError into exit 2 with the usage).
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/cli/options.js';
import type { ViewerFlags } from '../../../src/cli/viewer-settings.js';

function flags(args: string[], env: Record<string, string | undefined> = {}): ViewerFlags {
  const result = parseOptions(args, env);
  if (!result.ok) throw new Error(`expected success for ${args.join(' ')}: ${result.error.message}`);
  expect(result.value.command).toEqual({ kind: 'ui' });
  return result.value.viewer;
}

function usageError(args: string[], env: Record<string, string | undefined> = {}): string {
  const result = parseOptions(args, env);
  if (result.ok) throw new Error(`expected a usage error for ${args.join(' ')}`);
  expect(result.error.message).not.toContain('\n');
  return result.error.message;
}

describe('htop flags, one at a time', () => {
  it.each<[string[], ViewerFlags]>([
    [['-d', '10'], { refreshMs: 1000 }],
    [['-u', 'root'], { user: 'root' }],
    [['-uroot'], { user: 'root' }],
    [['--user', 'www-data'], { user: 'www-data' }],
    [['--user=www-data'], { user: 'www-data' }],
    [['-p', '1'], { pids: [1] }],
    [['-p', '1,42,7'], { pids: [1, 42, 7] }],
    [['--pid=42'], { pids: [42] }],
    [['-p42'], { pids: [42] }],
    [['-p', '1,1,2'], { pids: [1, 2] }],
    [['-p', '1', '-p', '2,1'], { pids: [1, 2] }],
    [['-t'], { tree: true }],
    [['--tree'], { tree: true }],
    [['-s', 'PERCENT_CPU'], { sortColumn: 'cpu' }],
    [['-s', 'PERCENT_MEM'], { sortColumn: 'mem' }],
    [['-s', 'PID'], { sortColumn: 'pid' }],
    [['-s', 'TIME'], { sortColumn: 'time' }],
    [['-s', 'USER'], { sortColumn: 'user' }],
    [['-s', 'COMM'], { sortColumn: 'command' }],
    [['-s', 'M_RESIDENT'], { sortColumn: 'res' }],
    [['-s', 'M_VIRT'], { sortColumn: 'virt' }],
    [['-s', 'STARTTIME'], { sortColumn: 'starttime' }],
    [['-s', 'M_SHARE'], { sortColumn: 'shr' }],
    [['-s', 'NICE'], { sortColumn: 'nice' }],
    [['-s', 'PRIORITY'], { sortColumn: 'priority' }],
    [['-s', 'STATE'], { sortColumn: 'state' }],
    [['-s', 'cpu'], { sortColumn: 'cpu' }],
    [['--sort-key=percent_mem'], { sortColumn: 'mem' }],
    [['-sTIME'], { sortColumn: 'time' }],
    [['-F', 'node'], { filter: 'node' }],
    [['--filter', 'a b'], { filter: 'a b' }],
    [['--filter=make'], { filter: 'make' }],
    [['-Fmake'], { filter: 'make' }],
    [['-C'], { noColor: true }],
    [['--no-color'], { noColor: true }],
    [['-M'], { noMouse: true }],
    [['--no-mouse'], { noMouse: true }],
    [['-U'], { ascii: true }],
    [['--no-unicode'], { ascii: true }],
    [['--ascii'], { ascii: true }],
    [['-H'], { highlightChanges: true }],
    [['-H5'], { highlightChanges: true, highlightMs: 5000 }],
    [['-H', '7'], { highlightChanges: true, highlightMs: 7000 }],
    [['--highlight-changes'], { highlightChanges: true }],
    [['--highlight-changes=10'], { highlightChanges: true, highlightMs: 10_000 }],
    [['--readonly'], { readonly: true }],
    [['-n', '3'], { maxIterations: 3 }],
    [['-n3'], { maxIterations: 3 }],
    [['--max-iterations', '1'], { maxIterations: 1 }],
    [['--max-iterations=100'], { maxIterations: 100 }],
  ])('%j', (args, expected) => {
    expect(flags(args)).toEqual(expected);
  });

  it('-u without a name means the user running cntop ($USER), as in htop', () => {
    expect(flags(['-u'], { USER: 'alice' })).toEqual({ user: 'alice' });
    expect(flags(['-u', '-t'], { USER: 'alice' })).toEqual({ user: 'alice', tree: true });
  });

  it('gives no viewer flags for nothing, so the settings file decides', () => {
    expect(flags([])).toEqual({});
  });
});

describe('htop flags together', () => {
  it('reads a full htop-style line', () => {
    expect(
      flags([
        '-d',
        '10',
        '-u',
        'root',
        '-p',
        '1,2',
        '-t',
        '-s',
        'PERCENT_MEM',
        '-F',
        'sshd',
        '-C',
        '-M',
        '-U',
        '-H3',
        '--readonly',
        '-n',
        '5',
      ]),
    ).toEqual({
      refreshMs: 1000,
      user: 'root',
      pids: [1, 2],
      tree: true,
      sortColumn: 'mem',
      filter: 'sshd',
      noColor: true,
      noMouse: true,
      ascii: true,
      highlightChanges: true,
      highlightMs: 3000,
      readonly: true,
      maxIterations: 5,
    });
  });

  it('takes bundled short switches, as getopt does', () => {
    expect(flags(['-tCMU'])).toEqual({ tree: true, noColor: true, noMouse: true, ascii: true });
  });

  it('lets the last of a repeated flag win', () => {
    expect(flags(['-s', 'PID', '-s', 'TIME'])).toEqual({ sortColumn: 'time' });
    expect(flags(['-d', '5', '--delay=20'])).toEqual({ refreshMs: 2000 });
  });

  it('keeps colour and ascii flags in the old Options fields too', () => {
    const result = parseOptions(['-C', '-U', '-d', '3'], {});
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ color: false, ascii: true, refreshMs: 300 });
  });

  it('lets -C, -U and -d go with the subcommands, as before', () => {
    const result = parseOptions(['snapshot', '-U', '-C'], {});
    expect(result.ok && result.value.command).toEqual({ kind: 'snapshot', json: false });
  });
});

describe('htop flag errors (exit 2 with the usage)', () => {
  it.each([
    [['-u'], "option '-u' needs a value"],
    [['--user='], "option '--user' needs a user name"],
    [['-p'], "option '-p' needs a value"],
    [['-p', 'abc'], "option '-p' wants process ids separated by commas (e.g. 1,42), got 'abc'"],
    [['-p', '1,,2'], "got '1,,2'"],
    [['-p', '0'], "got '0'"],
    [['-p', '-5'], "option '-p' needs a value"],
    [['--pid=1.5'], "option '--pid' wants process ids"],
    [['-s'], "option '-s' needs a value"],
    [
      ['-s', 'PPID'],
      "option '-s': unknown column 'PPID' (one of: PID, USER, PRIORITY, NICE, M_VIRT, M_RESIDENT, M_SHARE, STATE, PERCENT_CPU, PERCENT_MEM, TIME, STARTTIME, ELAPSED, IO_READ_RATE, IO_WRITE_RATE, CGROUP, COMM)",
    ],
    [['--sort-key=bogus'], "option '--sort-key': unknown column 'bogus'"],
    [['-F'], "option '-F' needs a value"],
    [['--filter='], "option '--filter' needs a filter text"],
    [['-H0'], "option '-H' wants 1-3600 whole seconds, got '0'"],
    [['--highlight-changes=soon'], "got 'soon'"],
    [['-n'], "option '-n' needs a value"],
    [['-n', '0'], "option '-n' wants a positive whole number of refreshes, got '0'"],
    [['--max-iterations=x'], "got 'x'"],
    [['--tree=yes'], "unknown option '--tree=yes'"],
    [['-tX'], "unknown option '-tX'"],
    [['-x'], "unknown option '-x'"],
    [['--readonl'], "unknown option '--readonl'"],
  ])('%j', (args, message) => {
    expect(usageError(args)).toContain(message);
  });

  it.each([
    [['snapshot', '-t'], '-t'],
    [['events', '-u', 'root'], '-u'],
    [['doctor', '--readonly'], '--readonly'],
    [['events', '-s', 'PID'], '-s'],
    [['-p', '1', 'snapshot'], '-p'],
    [['snapshot', '-M'], '-M'],
    [['events', '-n', '2'], '-n'],
    [['events', '-F', 'x'], '-F'],
    [['snapshot', '-H'], '-H'],
  ])('rejects the viewer-only flag in %j', (args, flag) => {
    expect(usageError(args)).toBe(`option '${flag}' only applies to the viewer (cntop without a command)`);
  });

  it('still helps when a viewer flag comes with --help', () => {
    const result = parseOptions(['events', '-t', '--help'], {});
    expect(result.ok && result.value.command).toEqual({ kind: 'help' });
  });
});
