// The fast NDJSON path (toEventJsonLine, isoTime, escapeRawUnsafe, the cached clock) must give exactly
// the bytes of the object path and of Date, including across its caches' boundaries.
import { describe, expect, it } from 'vitest';
import type { EventContext, ProcessFacts } from '../../../src/cli/event-context.js';
import { formatClock } from '../../../src/core/describe/duration.js';
import { isoTime, toEventJsonLine, toEventRecord, toJsonLine } from '../../../src/cli/event-record.js';
import { escapeRawUnsafe, stringifySafe } from '../../../src/cli/json-safe.js';
import type { ProcEvent } from '../../../src/core/types.js';
import { UNSAFE_IN_JSON_LINE } from '../../helpers/terminal-text.js';

const HOSTILE = 'evil\u001b[2J\u009b31m\u202e\u0007"\\name\u2028\u{1F600}\ud800';
const WALL_OFFSET = Date.UTC(2026, 0, 2, 3, 4, 5, 0) - 1000;
const facts: ProcessFacts = { comm: HOSTILE, cmdline: [HOSTILE, 'arg\nnext', ''], ppid: 1, startMs: 10 };

function contextWith(known: Record<number, ProcessFacts>): EventContext {
  return { wallOffsetMs: WALL_OFFSET, lookup: (tgid) => known[tgid] ?? null };
}

const base = { pid: 200, tgid: 200, cpu: 1, timeMs: 1002.5 };
const every: ProcEvent[] = [
  { kind: 'fork', ...base, parentPid: 100, parentTgid: 100 },
  { kind: 'fork', ...base, pid: 201, parentPid: 100, parentTgid: 100 },
  { kind: 'exec', ...base, comm: HOSTILE, cmdline: [HOSTILE, '-c', 'exit 3'] },
  { kind: 'exec', ...base, comm: null, cmdline: null },
  { kind: 'exit', ...base, exitCode: 3 << 8, exitSignal: 17, parentPid: 100, parentTgid: 100 },
  { kind: 'exit', ...base, exitCode: 11 | 0x80, exitSignal: 17, parentPid: 100, parentTgid: 100 },
  { kind: 'exit', ...base, timeMs: 5, exitCode: 9, exitSignal: 17, parentPid: 0, parentTgid: 0 },
  { kind: 'comm', ...base, comm: HOSTILE },
  { kind: 'uid', ...base, ruid: 1000, euid: 0 },
  { kind: 'gid', ...base, rgid: 100, egid: 0 },
  { kind: 'sid', ...base },
  { kind: 'ptrace', ...base, tracerPid: 300, tracerTgid: 300 },
  { kind: 'ptrace', ...base, tracerPid: 0, tracerTgid: 0 },
  { kind: 'coredump', ...base, parentPid: 100, parentTgid: 100 },
];

describe('toEventJsonLine', () => {
  it.each([
    ['the model knows the process', contextWith({ 100: facts, 200: facts })],
    ['the model never knew it', contextWith({})],
    ['its start is unknown', contextWith({ 200: { ...facts, startMs: null, cmdline: null } })],
  ])('gives the bytes of toJsonLine(toEventRecord()) for every kind when %s', (_, context) => {
    for (const event of every) {
      expect(toEventJsonLine(event, context)).toBe(toJsonLine(toEventRecord(event, context)));
    }
  });

  it('keeps the field order of the schema and leaves no raw control character', () => {
    const line = toEventJsonLine(every[4] as ProcEvent, contextWith({ 200: facts }));
    expect(Object.keys(JSON.parse(line) as object)).toEqual([
      'type',
      'time',
      'pid',
      'tgid',
      'cpu',
      'ppid',
      'parentTgid',
      'exitCode',
      'signal',
      'coreDumped',
      'lifetimeMs',
      'comm',
      'cmdline',
      'cpuMs',
      'userMs',
      'systemMs',
      'peakRssKiB',
      'readBytes',
      'writeBytes',
      'minorFaults',
      'majorFaults',
      'voluntarySwitches',
      'involuntarySwitches',
    ]);
    expect(line).not.toMatch(UNSAFE_IN_JSON_LINE);
    expect(JSON.parse(line)).toMatchObject({ comm: HOSTILE, cmdline: facts.cmdline });
  });

  it('prints each command-line array as it is, also when arrays alternate (the last one is cached)', () => {
    const argvA = ['a', '1'];
    const argvB = ['b', '\u009b'];
    const sequence = [argvA, argvA, argvB, argvA, ['a', '1'], argvB];
    for (const cmdline of sequence) {
      const exec: ProcEvent = { kind: 'exec', ...base, comm: 'x', cmdline };
      expect((JSON.parse(toEventJsonLine(exec, contextWith({}))) as { cmdline: unknown }).cmdline).toEqual(cmdline);
      expect(toEventJsonLine(exec, contextWith({}))).toBe(toJsonLine(toEventRecord(exec, contextWith({}))));
    }
  });

  it('throws on a time Date cannot represent, as the object path does', () => {
    const odd: ProcEvent = {
      kind: 'exit',
      ...base,
      timeMs: Number.NaN,
      exitCode: 0,
      exitSignal: 17,
      parentPid: 1,
      parentTgid: 1,
    };
    const context: EventContext = { wallOffsetMs: 0, lookup: () => facts };
    expect(() => toEventJsonLine(odd, context)).toThrow(RangeError);
    expect(() => toEventRecord(odd, context)).toThrow(RangeError);
  });
});

describe('isoTime', () => {
  it('equals Date.prototype.toISOString, forwards, backwards, across seconds and fractional ms', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 59, 990);
    const times = [
      start,
      start + 0.9,
      start + 9.999,
      start + 10,
      start + 1500.25,
      start - 3000.5,
      start + 10,
      0,
      999.9,
      -1,
      -1000.5,
      1e12 + 0.5,
    ];
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('throws on a time Date cannot represent, as toISOString does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(9e15)).toThrow(RangeError);
  });
});

describe('formatClock', () => {
  it('equals the local time of day from Date, forwards, backwards and across seconds', () => {
    const two = (n: number): string => String(n).padStart(2, '0');
    const reference = (ms: number): string => {
      const d = new Date(ms);
      return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    };
    const start = Date.UTC(2026, 2, 29, 0, 59, 59, 998);
    for (const t of [start, start + 1.7, start + 2, start + 3600_000.4, start - 1, start + 5, 0, -0.5]) {
      expect(formatClock(t)).toBe(reference(t));
    }
  });
});

describe('escapeRawUnsafe', () => {
  it('returns text with nothing to escape unchanged, and escapes every unsafe class each time', () => {
    const plain = '{"comm":"bash","cmdline":["ls","-l","é€"]}';
    expect(escapeRawUnsafe(plain)).toBe(plain);
    const unsafe = JSON.stringify('\u007f\u0085\u009f\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029');
    const escaped = '"\\u007f\\u0085\\u009f\\u061c\\u200e\\u200f\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029"';
    // Twice in a row: a stateful (global) regex test would skip the second one.
    expect(escapeRawUnsafe(unsafe)).toBe(escaped);
    expect(escapeRawUnsafe(unsafe)).toBe(escaped);
    expect(stringifySafe({ s: '\u009b' })).toBe('{"s":"\\u009b"}');
  });
});

describe('exit parent', () => {
  const reapedFirst: ProcEvent = { kind: 'exit', ...base, exitCode: 0, exitSignal: 17, parentPid: 0, parentTgid: 0 };
  it('names the parent the model knew when the kernel reports 0 (the parent reaped the child first)', () => {
    const context = contextWith({ 200: { ...facts, ppid: 4242 } });
    expect(toEventRecord(reapedFirst, context)).toMatchObject({ ppid: 4242, parentTgid: 4242 });
    expect(JSON.parse(toEventJsonLine(reapedFirst, context))).toMatchObject({ ppid: 4242, parentTgid: 4242 });
  });
  it('keeps 0 when the model never knew the process, and the kernel parent whenever it gives one', () => {
    expect(toEventRecord(reapedFirst, contextWith({}))).toMatchObject({ ppid: 0, parentTgid: 0 });
    const named: ProcEvent = { ...reapedFirst, parentPid: 101, parentTgid: 100 };
    expect(toEventRecord(named, contextWith({ 200: { ...facts, ppid: 4242 } }))).toMatchObject({
      ppid: 101,
      parentTgid: 100,
    });
  });
});
