import { describe, expect, it } from 'vitest';
import {
  eventsStartWarning,
  eventsUnavailableReason,
  formatExits,
  streamEvents,
} from '../../../src/cli/events-command.js';
import type { AccountedExit } from '../../../src/core/accounting/exit-accountant.js';
import type { EngineStatus, EngineView } from '../../../src/core/engine-api.js';
import type { ExitedProcess, ProcEvent, ProcessInfo } from '../../../src/core/types.js';

// A hand-built EngineView: the command only reads processes, exited, status, onEvents and onAccountedExits.
function fakeEngine(parts: { processes?: ProcessInfo[]; exited?: ExitedProcess[]; status?: Partial<EngineStatus> }) {
  let listener: ((events: readonly ProcEvent[]) => void) | null = null;
  let exitListener: ((exits: readonly AccountedExit[]) => void) | null = null;
  const status = {
    mode: 'netlink',
    pollingReason: null,
    start: { ack: { err: 0, latencyMs: 1 }, rcvbufBytes: 1, rcvbufForced: true, droppedKinds: [] },
    ...parts.status,
  } as EngineStatus;
  const view = {
    processes: new Map((parts.processes ?? []).map((p) => [p.pid, p])),
    exited: parts.exited ?? [],
    lastExit: (pid: number) => (parts.exited ?? []).findLast((e) => e.pid === pid),
    status,
    onEvents(l: (events: readonly ProcEvent[]) => void) {
      listener = l;
      return () => (listener = null);
    },
    onAccountedExits(l: (exits: readonly AccountedExit[]) => void) {
      exitListener = l;
      return () => (exitListener = null);
    },
  } as unknown as EngineView;
  // As the engine does without taskstats: the batch, then its exits at once, unaccounted.
  const emit = (events: ProcEvent[]) => {
    listener?.(events);
    const exits = events.flatMap((event) =>
      event.kind === 'exit' ? [{ event, process: null, accounting: null }] : [],
    );
    if (exits.length > 0) exitListener?.(exits);
  };
  return { view, emit };
}

const exitedSh: ExitedProcess = {
  pid: 42,
  ppid: 7,
  comm: 'sh',
  cmdline: ['sh', '-c', 'exit 4'],
  user: 'root',
  status: { code: 4, signal: null, coreDumped: false },
  startMs: 100,
  exitMs: 103,
  lifetimeMs: 3,
  accounting: null,
};
const exit42: ProcEvent = {
  kind: 'exit',
  pid: 42,
  tgid: 42,
  cpu: 0,
  timeMs: 103,
  exitCode: 4 << 8,
  exitSignal: 17,
  parentPid: 7,
  parentTgid: 7,
};
const threadExit: ProcEvent = { ...exit42, pid: 43 };
const clocks = { monotonicNowMs: () => 200, wallNowMs: () => Date.UTC(2026, 0, 1, 0, 0, 0, 200) };

describe('streamEvents', () => {
  it('writes one chunk per batch, NDJSON, with thread events left out', () => {
    const { view, emit } = fakeEngine({ exited: [exitedSh] });
    const writes: string[] = [];
    streamEvents(view, { json: true, threads: false, write: (c) => writes.push(c), ...clocks });
    emit([exit42, threadExit, exit42]);
    emit([threadExit]);
    expect(writes).toHaveLength(1);
    const lines = (writes[0] ?? '')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      type: 'exit',
      time: '2026-01-01T00:00:00.103Z',
      pid: 42,
      exitCode: 4,
      lifetimeMs: 3,
      comm: 'sh',
    });
  });

  it('includes thread events with --threads, and starts text output with a header', () => {
    const { view, emit } = fakeEngine({});
    const writes: string[] = [];
    streamEvents(view, { json: false, threads: true, write: (c) => writes.push(c), ...clocks });
    emit([threadExit]);
    expect(writes[0]).toMatch(/^TIME +EVENT +PID +PPID +INFO\n$/);
    expect(writes[1]).toMatch(/thr-exit +43 +\d+ {2}exit 4/);
  });

  it('prefers a live table entry over the exited ring (the pid was reused)', () => {
    const live = { pid: 42, ppid: 7, comm: 'newer', cmdline: null, startMs: 101, exitMs: null } as ProcessInfo;
    const { view } = fakeEngine({ processes: [live], exited: [exitedSh] });
    const line = formatExits([{ event: exit42, process: null, accounting: null }], view, {
      json: true,
      threads: false,
      write: () => undefined,
      ...clocks,
    });
    expect(JSON.parse(line)).toMatchObject({ comm: 'newer', lifetimeMs: 2 });
  });

  it('takes an exited process from the ring, not from its tombstone, so an estimated start gives no lifetime', () => {
    const tombstone = { pid: 42, ppid: 7, comm: 'sh', cmdline: null, startMs: 50, exitMs: 103 } as ProcessInfo;
    const unknownStart = { ...exitedSh, startMs: null, lifetimeMs: null };
    const { view } = fakeEngine({ processes: [tombstone], exited: [exitedSh, unknownStart] });
    const line = formatExits([{ event: exit42, process: null, accounting: null }], view, {
      json: true,
      threads: false,
      write: () => undefined,
      ...clocks,
    });
    expect(JSON.parse(line)).toMatchObject({ comm: 'sh', cmdline: ['sh', '-c', 'exit 4'], lifetimeMs: null });
  });
});

describe('events start checks', () => {
  it('refuses polling mode with the engine reason', () => {
    expect(
      eventsUnavailableReason(
        fakeEngine({ status: { mode: 'polling', pollingReason: 'the addon is not built' } }).view,
      ),
    ).toBe('the addon is not built');
    expect(eventsUnavailableReason(fakeEngine({}).view)).toBeNull();
  });

  it('warns when LISTEN was not acknowledged or refused, not when it was', () => {
    const base = { rcvbufBytes: 1, rcvbufForced: true, droppedKinds: [] };
    expect(eventsStartWarning(fakeEngine({}).view)).toBeNull();
    expect(eventsStartWarning(fakeEngine({ status: { start: { ack: null, ...base } } }).view)).toContain(
      'did not acknowledge',
    );
    expect(
      eventsStartWarning(fakeEngine({ status: { start: { ack: { err: 1, latencyMs: 0 }, ...base } } }).view),
    ).toContain('error 1');
  });
});
