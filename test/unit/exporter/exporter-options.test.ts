import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/cli/options.js';
import { helpText, USAGE_LINE } from '../../../src/cli/usage.js';

describe('cntop exporter options', () => {
  it.each([
    [['exporter'], { kind: 'exporter', listen: { host: '127.0.0.1', port: 29100 }, maxCommands: 50 }],
    [
      ['exporter', '--listen', '[::1]:9999', '--max-commands', '7'],
      { kind: 'exporter', listen: { host: '::1', port: 9999 }, maxCommands: 7 },
    ],
    [
      ['--listen=0.0.0.0:29100', 'exporter', '--max-commands=1000'],
      { kind: 'exporter', listen: { host: '0.0.0.0', port: 29100 }, maxCommands: 1000 },
    ],
  ])('parses %j', (args, command) => {
    const parsed = parseOptions(args, {});
    expect(parsed.ok && parsed.value.command).toEqual(command);
  });

  it.each([
    [['exporter', '--listen'], "option '--listen' needs a value"],
    [['exporter', '--max-commands', '1001'], "wants a whole number of commands from 1 to 1000, got '1001'"],
    [['exporter', '--max-commands', 'ten'], "got 'ten'"],
    [['doctor', '--max-commands', '5'], "option '--max-commands' only applies to: cntop exporter"],
    [['exporter', '--json'], "option '--json' only applies to: cntop events, cntop snapshot, cntop doctor"],
    [['exporter', '--tree'], "option '--tree' only applies to the viewer"],
    [['exporter', '--no-netlink'], "cannot be combined with '--no-netlink'"],
  ])('refuses %j', (args, message) => {
    const parsed = parseOptions(args, {});
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(message);
  });

  it('is in the usage line and the help', () => {
    expect(USAGE_LINE).toContain('exporter [--listen ADDR:PORT] [--max-commands N]');
    expect(helpText('0')).toMatch(/exporter .*\n\s+--listen ADDR:PORT .*default 127\.0\.0\.1:29100/);
  });
});
