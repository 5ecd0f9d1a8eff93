import { describe, expect, it } from 'vitest';
import { DEFAULT_DELAY_TENTHS, parseOptions, type Options } from '../../../src/cli/options.js';
import { helpText, USAGE_LINE } from '../../../src/cli/usage.js';

const parse = (args: string[], env: Record<string, string | undefined> = {}) => parseOptions(args, env);

function parsed(args: string[], env: Record<string, string | undefined> = {}): Options {
  const result = parse(args, env);
  if (!result.ok) throw new Error(`expected success for ${args.join(' ')}: ${result.error.message}`);
  return result.value;
}

function usageError(args: string[]): string {
  const result = parse(args);
  if (result.ok) throw new Error(`expected a usage error for ${args.join(' ')}`);
  return result.error.message;
}

describe('parseOptions', () => {
  it('opens the UI with defaults when given nothing', () => {
    expect(parsed([])).toEqual({
      command: { kind: 'ui' },
      refreshMs: DEFAULT_DELAY_TENTHS * 100,
      color: true,
      ascii: false,
      netlink: true,
      viewer: {},
    });
  });

  it.each([
    [['events'], { kind: 'events', json: false, threads: false }],
    [['events', '--json'], { kind: 'events', json: true, threads: false }],
    [['--json', 'events', '--threads'], { kind: 'events', json: true, threads: true }],
    [['snapshot'], { kind: 'snapshot', json: false }],
    [['snapshot', '--json'], { kind: 'snapshot', json: true }],
    [['doctor'], { kind: 'doctor', json: false, repair: false }],
    [['doctor', '--repair', '--json'], { kind: 'doctor', json: true, repair: true }],
  ])('parses %j', (args, command) => {
    expect(parsed(args).command).toEqual(command);
  });

  it.each([['-h'], ['--help'], ['events', '--help'], ['doctor', '--repair', '-h']])(
    'asks for help with %j',
    (...args) => {
      expect(parsed(args).command).toEqual({ kind: 'help' });
    },
  );

  it('still reports an unknown option that comes before --help', () => {
    expect(usageError(['--bogus', '--help'])).toBe("unknown option '--bogus'");
  });

  it.each([['-V'], ['--version'], ['snapshot', '-V']])('asks for the version with %j', (...args) => {
    expect(parsed(args).command).toEqual({ kind: 'version' });
  });

  it.each([
    [['-d', '5'], 500],
    [['-d5'], 500],
    [['--delay', '20'], 2000],
    [['--delay=1'], 100],
    [['events', '-d', '600'], 60_000],
  ])('reads the delay in tenths of a second from %j', (args, refreshMs) => {
    expect(parsed(args).refreshMs).toBe(refreshMs);
  });

  it.each([
    [['-d'], "option '-d' needs a value"],
    [['--delay', 'fast'], "wants a whole number of tenths of a second, got 'fast'"],
    [['-d', '1.5'], "got '1.5'"],
    [['-d', '0'], 'must be between 1 and 600'],
    [['--delay=601'], 'must be between 1 and 600'],
    [['-d', '-3'], "got '-3'"],
  ])('rejects the delay in %j', (args, message) => {
    expect(usageError(args)).toContain(message);
  });

  it('turns colour off with --no-color or a non-empty NO_COLOR, not an empty one', () => {
    expect(parsed(['--no-color']).color).toBe(false);
    expect(parsed([], { NO_COLOR: '1' }).color).toBe(false);
    expect(parsed([], { NO_COLOR: '' }).color).toBe(true);
    expect(parsed([], { TERM: 'xterm' }).color).toBe(true);
  });

  it('reads --ascii and --no-netlink anywhere on the line', () => {
    const options = parsed(['snapshot', '--ascii', '--no-netlink']);
    expect(options.ascii).toBe(true);
    expect(options.netlink).toBe(false);
    expect(parsed(['--ascii']).ascii).toBe(true);
  });

  it.each([
    [['--jsn'], "unknown option '--jsn'"],
    [['-x'], "unknown option '-x'"],
    [['evnts'], "unknown command 'evnts'"],
    [['events', 'extra'], "unexpected argument 'extra' after 'events'"],
    [['--json'], "option '--json' only applies to: cntop events, cntop snapshot, cntop doctor"],
    [['snapshot', '--threads'], "option '--threads' only applies to: cntop events"],
    [['events', '--repair'], "option '--repair' only applies to: cntop doctor"],
    [['events', '--no-netlink'], 'events needs the process connector'],
  ])('rejects %j with a one-line message', (args, message) => {
    const text = usageError(args);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });
});

describe('help text', () => {
  it('lists every command and option', () => {
    const help = helpText('9.9.9');
    expect(help).toContain('cntop 9.9.9');
    expect(help).toContain(USAGE_LINE);
    for (const word of [
      'events',
      'snapshot',
      'doctor',
      '--json',
      '--threads',
      '--repair',
      '-d, --delay',
      '-C, --no-color',
      'NO_COLOR',
      '--ascii',
      '-U, --no-unicode',
      '--no-netlink',
      '-u, --user',
      '-p, --pid',
      '-t, --tree',
      '-s, --sort-key',
      'PERCENT_CPU',
      'PERCENT_MEM',
      '-F, --filter',
      '-M, --no-mouse',
      '-H, --highlight-changes[=SECS]',
      '--readonly',
      '-n, --max-iterations',
      'CNTOPRC',
      'XDG_CONFIG_HOME',
      '-h, --help',
      '-V, --version',
    ]) {
      expect(help).toContain(word);
    }
  });
});

describe('help text width', () => {
  it('keeps the option lines within 100 columns (the -s column list is wrapped)', () => {
    const options = helpText('9.9.9').split('Options (htop')[1] ?? '';
    for (const line of options.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
