// The scan against the real /proc of this machine, checked against ps.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProcReader } from '../../src/core/proc/proc-reader.js';
import { scanProcSync } from '../../src/core/proc/scan.js';

function psPids(): Map<number, number> {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const map = new Map<number, number>();
  for (const line of out.trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    map.set(pid as number, ppid as number);
  }
  return map;
}

/** Seconds since boot, in stat's clock-tick units (USER_HZ = 100). */
const uptimeTicks = (): number => Math.floor(Number.parseFloat(readFileSync('/proc/uptime', 'utf8')) * 100);

describe('scan of the real /proc', () => {
  it('agrees with ps -e for every process alive before and after it', () => {
    const firstTicks = uptimeTicks();
    const before = psPids();
    const reader = new ProcReader('/proc');
    const snapshot = scanProcSync(reader, () => performance.now());
    reader.close();
    const after = psPids();
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok) return;
    const scanned = snapshot.value.processes;
    let compared = 0;
    for (const [pid, ppid] of before) {
      // Alive across the whole comparison with an unchanged parent: the scan must have it, exactly.
      if (after.get(pid) !== ppid) continue;
      expect(scanned.get(pid)?.stat.ppid, `pid ${pid}`).toBe(ppid);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    for (const [pid, process] of scanned) {
      // Anything ps never saw must be younger than the first ps: a process that came and went.
      if (!before.has(pid) && !after.has(pid))
        expect(process.stat.startTicks, `pid ${pid}`).toBeGreaterThanOrEqual(firstTicks - 1);
    }
  });

  it('reads this process exactly: our pid, parent, uid, command line and threads', () => {
    const reader = new ProcReader('/proc');
    const stat = reader.readStat(process.pid);
    const status = reader.readStatus(process.pid);
    const cmdline = reader.readCmdline(process.pid);
    expect(stat.ok && stat.value).toMatchObject({ pid: process.pid, ppid: process.ppid, state: 'R' });
    expect(stat.ok && stat.value.numThreads).toBeGreaterThan(1);
    expect(status.ok && status.value.uid).toBe(process.getuid?.());
    const raw = readFileSync(`/proc/${process.pid}/cmdline`, 'utf8');
    expect(cmdline.ok && cmdline.value).toEqual(raw.slice(0, -1).split('\0'));
    expect(raw).toContain('vitest');
  });

  it('flags kthreadd and its children as kernel threads with no command line', () => {
    const reader = new ProcReader('/proc');
    const snapshot = scanProcSync(reader, () => performance.now());
    reader.close();
    if (!snapshot.ok) throw new Error('scan failed');
    const kthreadd = snapshot.value.processes.get(2);
    expect(kthreadd?.stat.comm).toBe('kthreadd');
    const children = [...snapshot.value.processes.values()].filter((p) => p.stat.ppid === 2);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect(child.stat.flags & 0x00200000).not.toBe(0);
      expect(child.cmdline).toBeNull();
    }
  });

  it("treats a pid that exits as 'gone', through a kept descriptor too", async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['30']);
    const pid = child.pid as number;
    const reader = new ProcReader('/proc');
    expect(reader.readStatKept(pid).ok).toBe(true);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(reader.readStatKept(pid)).toEqual({ ok: false, error: { kind: 'gone' } });
    expect(reader.readCmdline(pid)).toEqual({ ok: false, error: { kind: 'gone' } });
    expect(reader.keptStatFds).toBe(0);
    reader.close();
  });
});
