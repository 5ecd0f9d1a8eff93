import { describe, expect, it } from 'vitest';
import type { EventContext, ProcessFacts } from '../../../src/cli/event-context.js';
import { formatEventLine } from '../../../src/cli/event-line.js';
import { formatClock, formatDuration } from '../../../src/core/describe/duration.js';
import { toEventRecord, toJsonLine } from '../../../src/cli/event-record.js';
import type { ProcEvent } from '../../../src/core/types.js';
import { UNSAFE_FOR_TERMINAL } from '../../helpers/terminal-text.js';

// Monotonic 1000 ms corresponds to 2026-01-02T03:04:05.000Z.
const WALL_AT_1000 = Date.UTC(2026, 0, 2, 3, 4, 5, 0);
const HOSTILE = 'evil\u001b[2J\u009b31m\u202e\u0007name';

function contextWith(facts: Record<number, ProcessFacts>): EventContext {
  return { wallOffsetMs: WALL_AT_1000 - 1000, lookup: (tgid) => facts[tgid] ?? null };
}

const shell: ProcessFacts = { comm: 'bash', cmdline: ['bash', '-l'], ppid: 1, startMs: 10 };
const child: ProcessFacts = { comm: 'sh', cmdline: ['sh', '-c', 'exit 3'], ppid: 100, startMs: 1000 };
const context = contextWith({ 100: shell, 200: child });
const header = { cpu: 1, timeMs: 1002.5 };

const events: Record<ProcEvent['kind'], ProcEvent> = {
  fork: { kind: 'fork', pid: 200, tgid: 200, parentPid: 100, parentTgid: 100, ...header },
  exec: { kind: 'exec', pid: 200, tgid: 200, comm: 'sh', cmdline: ['sh', '-c', 'exit 3'], ...header },
  exit: {
    kind: 'exit',
    pid: 200,
    tgid: 200,
    exitCode: 3 << 8,
    exitSignal: 17,
    parentPid: 100,
    parentTgid: 100,
    ...header,
  },
  comm: { kind: 'comm', pid: 200, tgid: 200, comm: 'renamed', ...header },
  uid: { kind: 'uid', pid: 200, tgid: 200, ruid: 1000, euid: 0, ...header },
  gid: { kind: 'gid', pid: 200, tgid: 200, rgid: 100, egid: 0, ...header },
  sid: { kind: 'sid', pid: 200, tgid: 200, ...header },
  ptrace: { kind: 'ptrace', pid: 200, tgid: 200, tracerPid: 300, tracerTgid: 300, ...header },
  coredump: { kind: 'coredump', pid: 200, tgid: 200, parentPid: 100, parentTgid: 100, ...header },
};

describe('toEventRecord (NDJSON)', () => {
  const common = { time: '2026-01-02T03:04:05.002Z', pid: 200, tgid: 200, cpu: 1 };

  it.each([
    ['fork', { ppid: 100, parentTgid: 100 }],
    ['exec', { ppid: 100, comm: 'sh', cmdline: ['sh', '-c', 'exit 3'] }],
    [
      'exit',
      {
        ppid: 100,
        parentTgid: 100,
        exitCode: 3,
        signal: null,
        coreDumped: false,
        lifetimeMs: 2.5,
        comm: 'sh',
        cmdline: ['sh', '-c', 'exit 3'],
        cpuMs: null,
        userMs: null,
        systemMs: null,
        peakRssKiB: null,
        readBytes: null,
        writeBytes: null,
        minorFaults: null,
        majorFaults: null,
        voluntarySwitches: null,
        involuntarySwitches: null,
      },
    ],
    ['comm', { comm: 'renamed' }],
    ['uid', { ruid: 1000, euid: 0 }],
    ['gid', { rgid: 100, egid: 0 }],
    ['sid', { sid: 200 }],
    ['ptrace', { tracerPid: 300, tracerTgid: 300, attached: true }],
    ['coredump', { ppid: 100, parentTgid: 100, comm: 'sh' }],
  ] as const)('gives a %s event its fields', (kind, fields) => {
    expect(toEventRecord(events[kind], context)).toEqual({ type: kind, ...common, ...fields });
  });

  it('reports a signal death as exitCode null, the signal name and the core flag', () => {
    const killed = { ...events.exit, exitCode: 9 } as ProcEvent;
    expect(toEventRecord(killed, context)).toMatchObject({ exitCode: null, signal: 'SIGKILL', coreDumped: false });
    const segv = { ...events.exit, exitCode: 11 | 0x80 } as ProcEvent;
    expect(toEventRecord(segv, context)).toMatchObject({ exitCode: null, signal: 'SIGSEGV', coreDumped: true });
  });

  it('says null for what the model never knew: lifetime, command, parent', () => {
    const unknown = contextWith({});
    expect(toEventRecord(events.exit, unknown)).toMatchObject({ lifetimeMs: null, comm: null, cmdline: null });
    expect(toEventRecord(events.exec, unknown)).toMatchObject({ ppid: null });
    const gone = { ...events.exec, comm: null, cmdline: null } as ProcEvent;
    expect(toEventRecord(gone, context)).toMatchObject({ comm: null, cmdline: null });
  });

  it('gives no lifetime when the start is unknown or after the exit (pid reuse)', () => {
    const noStart = contextWith({ 200: { ...child, startMs: null } });
    expect(toEventRecord(events.exit, noStart)).toMatchObject({ lifetimeMs: null });
    const later = contextWith({ 200: { ...child, startMs: 5000 } });
    expect(toEventRecord(events.exit, later)).toMatchObject({ lifetimeMs: null });
  });

  it('marks a ptrace detach', () => {
    const detach = { ...events.ptrace, tracerPid: 0, tracerTgid: 0 } as ProcEvent;
    expect(toEventRecord(detach, context)).toMatchObject({ attached: false });
  });

  it('escapes every control character of a hostile comm as \\u, and decodes back to it', () => {
    const hostile = { ...events.comm, comm: HOSTILE } as ProcEvent;
    const line = toJsonLine(toEventRecord(hostile, context));
    expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
    expect(line).toContain('\\u001b[2J\\u009b31m\\u202e\\u0007name');
    expect(JSON.parse(line)).toMatchObject({ comm: HOSTILE });
  });
});

describe('formatEventLine (text)', () => {
  const at = formatClock(WALL_AT_1000 + 2.5);

  it('shows time, kind, pid, parent and what happened for every kind', () => {
    const lines = Object.values(events).map((event) => formatEventLine(event, context));
    expect(lines).toEqual([
      `${at} fork         200     100  child of bash -l`,
      `${at} exec         200     100  sh -c exit 3`,
      `${at} exit         200     100  exit 3 after 2.50ms  sh -c exit 3`,
      `${at} comm         200     100  renamed to renamed`,
      `${at} uid          200     100  uid 1000 euid 0  sh -c exit 3`,
      `${at} gid          200     100  gid 100 egid 0  sh -c exit 3`,
      `${at} sid          200     100  new session 200  sh -c exit 3`,
      `${at} ptrace       200     100  traced by 300  sh -c exit 3`,
      `${at} coredump     200     100  core dump started  sh -c exit 3`,
    ]);
  });

  it('names signals and core dumps, and marks thread events', () => {
    const segv = { ...events.exit, exitCode: 11 | 0x80 } as ProcEvent;
    expect(formatEventLine(segv, context)).toContain('SIGSEGV (core dumped) after 2.50ms');
    const thread = { ...events.fork, pid: 201 } as ProcEvent;
    expect(formatEventLine(thread, context)).toContain('clone        201     100  thread of 200  bash -l');
  });

  it('says when a process was gone before its command line could be read', () => {
    const gone = { ...events.exec, cmdline: null } as ProcEvent;
    expect(formatEventLine(gone, contextWith({}))).toContain(
      '     200       -  [sh] (gone before its command line was read)',
    );
  });

  it('sanitizes every process-supplied string', () => {
    const hostileFacts: ProcessFacts = { comm: HOSTILE, cmdline: [HOSTILE, 'arg\nnext'], ppid: 1, startMs: 0 };
    const hostileContext = contextWith({ 100: hostileFacts, 200: hostileFacts });
    const hostileEvents: ProcEvent[] = [
      ...Object.values(events),
      { ...events.exec, comm: HOSTILE, cmdline: [HOSTILE] } as ProcEvent,
      { ...events.exec, comm: HOSTILE, cmdline: null } as ProcEvent,
      { ...events.comm, comm: HOSTILE } as ProcEvent,
    ];
    for (const event of hostileEvents) {
      const line = formatEventLine(event, hostileContext);
      expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
    }
    expect(formatEventLine(hostileEvents.at(-1) as ProcEvent, hostileContext)).toContain(
      'renamed to evil?[2J?31m??name',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0.42, '0.42ms'],
    [3.214, '3.21ms'],
    [812.4, '812ms'],
    [1234, '1.234s'],
    [123_000, '2m03s'],
    [5 * 3600_000 + 7 * 60_000, '5h07m'],
    [3 * 86_400_000 + 4 * 3600_000, '3d04h'],
    [-1, '?'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
