import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/cli/options.js';

const parse = (args: string[]) => parseOptions(args, {});

function command(args: string[]): unknown {
  const result = parse(args);
  if (!result.ok) throw new Error(`expected success for ${args.join(' ')}: ${result.error.message}`);
  return result.value.command;
}

function usageError(args: string[]): string {
  const result = parse(args);
  if (result.ok) throw new Error(`expected a usage error for ${args.join(' ')}`);
  return result.error.message;
}

describe('the recorder on the command line', () => {
  it.each([
    [['record'], { kind: 'record', db: null, retainMs: null, maxBytes: null, sampleMs: null }],
    [
      ['record', '--db', '/tmp/r.db', '--retain', '7d', '--max-size=1G', '--sample', '5s'],
      { kind: 'record', db: '/tmp/r.db', retainMs: 604_800_000, maxBytes: 1024 ** 3, sampleMs: 5000 },
    ],
    [['query', 'r.db', 'SELECT 1', '--json'], { kind: 'query', db: 'r.db', sql: 'SELECT 1', json: true }],
    [
      ['report', 'exits'],
      { kind: 'report', report: 'exits', db: null, since: '1h', until: null, by: 'command', json: false },
    ],
    [
      ['report', 'exits', '--since', '-2h', '--until', '14:00', '--by', 'command', '--db', 'r.db', '--json'],
      { kind: 'report', report: 'exits', db: 'r.db', since: '-2h', until: '14:00', by: 'command', json: true },
    ],
    [['replay'], { kind: 'replay', db: null, at: null }],
    [['replay', 'r.db', '--at', '03:12'], { kind: 'replay', db: 'r.db', at: '03:12' }],
    [
      ['snapshot', '--db', 'r.db', '--at', '-5m', '--json'],
      { kind: 'snapshot', json: true, recorded: { db: 'r.db', at: '-5m' } },
    ],
    [['snapshot', '--at', '03:12'], { kind: 'snapshot', json: false, recorded: { db: null, at: '03:12' } }],
    [['snapshot', '--db', 'r.db'], { kind: 'snapshot', json: false, recorded: { db: 'r.db', at: null } }],
  ])('parses %j', (args, expected) => expect(command(args)).toEqual(expected));

  it('takes --record with or without a path for the viewer', () => {
    expect(parse(['--record'])).toMatchObject({ ok: true, value: { command: { kind: 'ui' }, record: '' } });
    expect(parse(['--record', '/tmp/v.db', '-t'])).toMatchObject({
      ok: true,
      value: { command: { kind: 'ui' }, record: '/tmp/v.db' },
    });
    expect(parse(['--record=/tmp/v.db'])).toMatchObject({ ok: true, value: { record: '/tmp/v.db' } });
    expect(parse(['-t'])).toMatchObject({ ok: true, value: { command: { kind: 'ui' } } });
    const plain = parse([]);
    expect(plain.ok && plain.value.record).toBeUndefined();
  });

  it.each([
    [['record', '--retain', '30'], "option '--retain': '30' is not a duration"],
    [['record', '--max-size', 'big'], "option '--max-size': 'big' is not a size"],
    [['record', '--sample', '100ms'], "option '--sample' must be at least 1s"],
    [['events', '--db', 'x'], "option '--db' only applies to: cntop record, cntop report, cntop snapshot"],
    [['record', '--db'], "option '--db' needs a value"],
    [['--retain', '1d'], "option '--retain' only applies to: cntop record"],
    [['snapshot', '--db', 'r.db', '--at', 'noon'], "option '--at': 'noon' is not a time"],
    [['query', 'r.db'], 'query needs a recording and a statement'],
    [['query', 'r.db', 'SELECT 1', 'extra'], "unexpected argument 'extra' after 'query'"],
    [['report'], "report needs what to report: 'cntop report exits'"],
    [['report', 'forks'], "(not 'forks')"],
    [['report', 'exits', '--by', 'parent'], "only 'command' is known"],
    [['record', '--record'], "option '--record' only applies to the viewer"],
    [['replay', '--db', 'b.db'], "option '--db' only applies to"],
  ])('refuses %j', (args, message) => expect(usageError(args)).toContain(message));
});
