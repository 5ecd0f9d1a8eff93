import { describe, expect, it } from 'vitest';
import { ProcessRecord } from '../../../../src/core/model/process-record.js';
import { ProcessTable } from '../../../../src/core/model/process-table.js';
import { comm, exec, exit, fork, uid } from '../../../helpers/builders.js';

function tableWithShell(options: { exitedCapacity?: number; tombstoneMs?: number; maxTombstones?: number } = {}): {
  table: ProcessTable;
  gone: number[];
} {
  const gone: number[] = [];
  const table = new ProcessTable({
    tombstoneMs: options.tombstoneMs ?? 3000,
    exitedCapacity: options.exitedCapacity ?? 100,
    maxTombstones: options.maxTombstones ?? 1000,
    userName: (u) => (u === 1000 ? 'alice' : String(u)),
    onGone: (pid) => gone.push(pid),
  });
  for (const [pid, ppid, name] of [
    [1, 0, 'init'],
    [10, 1, 'bash'],
  ] as const) {
    const record = new ProcessRecord(pid, 0, 0);
    record.ppid = ppid;
    record.comm = name;
    record.cmdline = [name];
    record.uid = 1000;
    record.user = 'alice';
    table.insert(record);
  }
  return { table, gone };
}

describe('ProcessTable', () => {
  it('completes a forked child from its parent at once, then exec renames it', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100)], 100);
    expect(table.live(20)).toMatchObject({ ppid: 10, comm: 'bash', cmdline: ['bash'], user: 'alice', startMs: 100 });
    expect(table.children.of(10)).toEqual([20]);
    table.apply([exec(20, 101, 'ls', ['ls', '-l'])], 101);
    expect(table.live(20)).toMatchObject({ comm: 'ls', cmdline: ['ls', '-l'] });
  });

  it('records fork, exec and exit delivered in one batch in the exited ring', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), exec(20, 100.2, 'true'), exit(20, 101.5, { code: 3, parent: 10 })], 102);
    expect(table.exited.entries()).toEqual([
      {
        pid: 20,
        ppid: 10,
        comm: 'true',
        cmdline: ['true'],
        user: 'alice',
        status: { code: 3, signal: null, coreDumped: false },
        startMs: 100,
        exitMs: 101.5,
        lifetimeMs: 1.5,
        execSeen: true,
        multiThreaded: false,
        accounting: null,
      },
    ]);
    expect(table.processes.get(20)).toMatchObject({ exitMs: 101.5, state: 'X', exitStatus: { code: 3 } });
  });

  it('handles exit and exec delivered before the fork (CPUs interleave)', () => {
    const { table } = tableWithShell();
    table.apply(
      [
        exit(20, 101, { signal: 11, core: true, parent: 10 }),
        exec(20, 100.5, 'crash', ['crash', '--now']),
        fork(20, 10, 100),
      ],
      102,
    );
    expect(table.live(20)).toBeUndefined();
    const [entry] = table.exited.entries();
    expect(entry).toMatchObject({
      pid: 20,
      ppid: 10,
      comm: 'crash',
      cmdline: ['crash', '--now'],
      user: 'alice',
      startMs: 100,
      lifetimeMs: 1,
    });
    expect(entry?.status).toEqual({ code: null, signal: 11, coreDumped: true });
  });

  it("leaves comm unknown, not the parent's, when the exec'd process was gone before its name could be read", () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), exec(20, 100.1, null), exit(20, 100.2, { code: 0, parent: 10 })], 101);
    expect(table.exited.entries()).toMatchObject([{ pid: 20, comm: '', cmdline: null }]);
    // Same facts in the worst order: the late fork must not paint the parent's name over it.
    table.apply([exit(21, 200.2, { code: 0, parent: 10 }), exec(21, 200.1, null), fork(21, 10, 200)], 201);
    expect(table.exited.latest(21)).toMatchObject({ comm: '', cmdline: null, startMs: 200 });
  });

  it('lets an exec that beats its fork start the row, and the fork fix its parent and start', () => {
    const { table } = tableWithShell();
    table.apply([exec(20, 100.5, 'make')], 101);
    expect(table.live(20)).toMatchObject({ comm: 'make', ppid: 0 });
    expect(table.needsDetail.has(20)).toBe(true);
    table.apply([fork(20, 10, 100)], 101);
    expect(table.live(20)).toMatchObject({ comm: 'make', ppid: 10, startMs: 100 });
    expect(table.children.of(10)).toEqual([20]);
    expect(table.children.of(0)).toEqual([1]);
  });

  it('keeps the known parent when an exit event reports parent 0 (the kernel does, sometimes)', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), exit(20, 101, { code: 2, parent: 0 })], 101);
    expect(table.exited.entries()).toMatchObject([{ pid: 20, ppid: 10, status: { code: 2 } }]);
  });

  it('is idempotent: the same fork twice keeps one row, an exit of an unknown pid only lands in the ring', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), fork(20, 10, 100)], 100);
    expect(table.children.of(10)).toEqual([20]);
    table.apply([exit(77, 105, { code: 1, parent: 10 })], 105);
    expect(table.processes.has(77)).toBe(false);
    expect(table.exited.entries()).toMatchObject([
      { pid: 77, ppid: 10, status: { code: 1 }, startMs: null, lifetimeMs: null },
    ]);
    table.apply([exit(77, 105, { code: 1, parent: 10 })], 105);
    expect(table.exited.size).toBe(1);
  });

  it('treats a fork of a pid it thinks alive as pid reuse: the old one ended unseen', () => {
    const { table, gone } = tableWithShell();
    table.apply([fork(20, 10, 100), exec(20, 101, 'old')], 101);
    table.apply([fork(20, 1, 5000)], 5000);
    expect(table.live(20)).toMatchObject({ ppid: 1, comm: 'init', startMs: 5000 });
    expect(table.exited.entries()).toMatchObject([{ pid: 20, comm: 'old', status: { code: null, signal: null } }]);
    expect(gone).toEqual([20]);
  });

  it('ignores a stale exit older than the process now holding the pid', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 5000)], 5000);
    table.apply([exit(20, 100, { code: 0 })], 5001);
    expect(table.live(20)).toBeDefined();
  });

  it('hands orphans to init when their parent exits', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), fork(21, 20, 101), fork(22, 20, 102)], 102);
    table.apply([exit(20, 200, { code: 0, parent: 10 })], 200);
    expect(table.live(21)?.ppid).toBe(1);
    expect(table.live(22)?.ppid).toBe(1);
    expect([...table.children.of(1)].sort()).toEqual([10, 21, 22]);
    expect(table.children.of(20)).toEqual([]);
  });

  it('counts threads on their process without listing them; the process ends with its last task', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), fork(21, 20, 101, 20, 20), fork(22, 20, 102, 20, 20)], 102);
    expect(table.live(20)?.threads).toBe(3);
    expect(table.processes.has(21)).toBe(false);
    table.apply([exit(21, 150, { code: 0, tgid: 20 })], 150);
    expect(table.live(20)?.threads).toBe(2);
    // The leader exits first: the process lives on while a thread runs.
    table.apply([exit(20, 160, { code: 4, parent: 10 })], 160);
    expect(table.live(20)).toBeDefined();
    table.apply([exit(22, 170, { code: 4, tgid: 20 })], 170);
    expect(table.live(20)).toBeUndefined();
    expect(table.exited.entries()).toMatchObject([{ pid: 20, status: { code: 4 }, exitMs: 170 }]);
  });

  it("ends a process whose leader called pthread_exit with its last thread's status", () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), fork(21, 20, 101, 20, 20), fork(22, 20, 102, 20, 20)], 102);
    // Sequence measured on this kernel: leader exits 0 first, then the workers with exit(5)'s status.
    table.apply([exit(20, 150, { code: 0, parent: 10 }), exit(22, 450, { code: 5, tgid: 20 })], 450);
    expect(table.live(20)).toBeDefined();
    table.apply([exit(21, 450.2, { code: 5, tgid: 20 })], 451);
    expect(table.exited.entries()).toMatchObject([{ pid: 20, status: { code: 5, signal: null }, exitMs: 450.2 }]);
  });

  it('applies comm of the leader, ignores thread renames, and maps uid changes to names', () => {
    const { table } = tableWithShell();
    table.apply(
      [fork(20, 10, 100), comm(20, 101, 'worker'), { ...comm(20, 102, 'thread-x'), pid: 23 }, uid(20, 103, 0)],
      103,
    );
    expect(table.live(20)).toMatchObject({ comm: 'worker', uid: 0, user: '0' });
  });

  it('after a rename of the leader, asks for its command line again and keeps the old one meanwhile', () => {
    const { table } = tableWithShell();
    table.apply([fork(20, 10, 100), exec(20, 101, 'node', ['node', '/usr/bin/npx', 'x'])], 101);
    table.needsDetail.clear();
    table.apply([comm(20, 102, 'npm exec x'), { ...comm(20, 103, 'libuv-worker'), pid: 24 }], 103);
    expect(table.live(20)).toMatchObject({ comm: 'npm exec x', cmdline: ['node', '/usr/bin/npx', 'x'] });
    expect([...table.staleCmdline]).toEqual([20]);
    expect([...table.needsDetail]).toEqual([20]);
    table.apply([exit(20, 104, { parent: 10 })], 104);
    expect(table.staleCmdline.size).toBe(0);
  });

  it('marks children of kthreadd as kernel threads until they exec', () => {
    const { table } = tableWithShell();
    table.apply([fork(30, 2, 100)], 100);
    expect(table.live(30)?.isKernelThread).toBe(true);
    table.apply([exec(30, 101, 'modprobe')], 101);
    expect(table.live(30)?.isKernelThread).toBe(false);
  });

  it('keeps tombstones for tombstoneMs, then sweeps them from table and tree', () => {
    const { table } = tableWithShell({ tombstoneMs: 3000 });
    table.apply([fork(20, 10, 100), exit(20, 200, { code: 0, parent: 10 })], 200);
    table.sweep(3199);
    expect(table.processes.get(20)?.exitMs).toBe(200);
    expect(table.children.of(10)).toEqual([20]);
    table.sweep(3200);
    expect(table.processes.has(20)).toBe(false);
    expect(table.children.of(10)).toEqual([]);
    expect(table.exited.size).toBe(1);
  });

  it('lists at most maxTombstones exited rows during a storm, the newest ones, while the ring keeps all', () => {
    const { table } = tableWithShell({ maxTombstones: 10, exitedCapacity: 100 });
    for (let i = 0; i < 30; i++)
      table.apply([fork(1000 + i, 10, i), exit(1000 + i, i + 0.5, { code: 0, parent: 10 })], i + 1);
    const listed = [...table.processes.values()].filter((p) => p.exitMs !== null).map((p) => p.pid);
    expect(listed).toEqual(Array.from({ length: 10 }, (_, i) => 1020 + i));
    expect([...table.children.of(10)].sort()).toEqual(listed);
    expect(table.exited.size).toBe(30);
    table.sweep(10_000);
    expect(table.children.of(10)).toEqual([]);
  });

  it('keeps listing the newest maxTombstones across thousands of exits between two sweeps, and none with 0', () => {
    for (const maxTombstones of [10, 0]) {
      const { table } = tableWithShell({ maxTombstones, exitedCapacity: 100 });
      for (let i = 0; i < 3000; i++)
        table.apply([fork(10_000 + i, 10, i), exit(10_000 + i, i + 0.5, { code: 0, parent: 10 })], i + 1);
      const listed = [...table.processes.values()].filter((p) => p.exitMs !== null).map((p) => p.pid);
      expect(listed).toEqual(Array.from({ length: maxTombstones }, (_, i) => 13_000 - maxTombstones + i));
      expect(table.exited.latest(12_999)).toMatchObject({ pid: 12_999, status: { code: 0 } });
      table.sweep(1_000_000);
      expect([...table.processes.values()].some((p) => p.exitMs !== null)).toBe(false);
    }
  });

  it('bounds the exited ring, oldest first, forgetting evicted pids', () => {
    const { table } = tableWithShell({ exitedCapacity: 50 });
    for (let i = 0; i < 175; i++)
      table.apply([fork(1000 + i, 10, i), exit(1000 + i, i + 0.5, { code: i % 256, parent: 10 })], i + 1);
    const entries = table.exited.entries();
    expect(entries).toHaveLength(50);
    expect(entries[0]?.pid).toBe(1125);
    expect(entries[49]).toMatchObject({ pid: 1174, status: { code: 174 } });
    expect(table.exited.latest(1000)).toBeUndefined();
  });
});
