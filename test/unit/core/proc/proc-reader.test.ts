import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultKeptStatFds, ProcReader } from '../../../../src/core/proc/proc-reader.js';
import { scanProcSync } from '../../../../src/core/proc/scan.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/proc', import.meta.url));

describe('ProcReader and scan on the fixture tree', () => {
  const reader = new ProcReader(FIXTURE);

  it('lists only pid directories', () => {
    const pids = reader.listPids();
    expect(pids.ok && [...pids.value].sort((a, b) => a - b)).toEqual([1, 2, 3, 100, 101, 102, 103, 104]);
  });

  it("reports a missing pid as 'gone', a normal value", () => {
    expect(reader.readStat(99999)).toEqual({ ok: false, error: { kind: 'gone' } });
    expect(reader.readStatKept(104)).toEqual({ ok: false, error: { kind: 'gone' } });
  });

  it('scans odd names, a zombie and a kernel thread, and counts the vanished pid', () => {
    const snapshot = scanProcSync(reader, () => 0);
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok) return;
    const { processes, vanished } = snapshot.value;
    expect(vanished).toBe(1);
    expect(processes.get(100)?.stat.comm).toBe('(sd-pam)');
    expect(processes.get(101)?.stat).toMatchObject({ comm: 'a) b (', ppid: 100, numThreads: 3 });
    expect(processes.get(102)?.stat.comm).toBe('new\nline');
    expect(processes.get(102)?.cmdline).toEqual(['nginx: worker process is here']);
    expect(processes.get(103)).toMatchObject({ stat: { state: 'Z' }, cmdline: null, uid: 1000 });
    expect(processes.get(3)).toMatchObject({ stat: { state: 'I', ppid: 2 }, cmdline: null });
    expect(processes.get(1)?.cmdline).toEqual(['/sbin/init', 'splash']);
    reader.close();
  });

  it('re-reads a kept stat descriptor from the start each time, and keeps none after close', () => {
    const reader = new ProcReader(FIXTURE);
    const first = reader.readStatKept(101);
    const second = reader.readStatKept(101);
    expect(first).toEqual(second);
    expect(reader.keptStatFds).toBe(1);
    reader.forgetStat(101);
    expect(reader.keptStatFds).toBe(0);
    reader.close();
    expect(reader.readStatKept(101)).toEqual(first);
    expect(reader.keptStatFds).toBe(0);
  });
});

describe('defaultKeptStatFds', () => {
  const limits = (soft: string): string =>
    `Limit                     Soft Limit           Hard Limit           Units\nMax processes             94000                94000                processes\nMax open files            ${soft}                20000                files\n`;
  it('keeps at most half the soft open-files limit, and never more than 16,384', () => {
    expect(defaultKeptStatFds(limits('1024'))).toBe(512);
    expect(defaultKeptStatFds(limits('20000'))).toBe(10_000);
    expect(defaultKeptStatFds(limits('1048576'))).toBe(16_384);
    expect(defaultKeptStatFds(limits('unlimited'))).toBe(16_384);
  });
  it('falls back to a small number when the limit cannot be read', () => {
    expect(defaultKeptStatFds('garbage')).toBe(512);
  });
});
