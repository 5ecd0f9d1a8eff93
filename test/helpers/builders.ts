// Builders for synthetic connector events and /proc files (stat lines, fixture trees on disk).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommEvent, ExecEvent, ExitEvent, ForkEvent, Pid, UidEvent } from '../../src/core/types.js';

export function fork(pid: Pid, parent: Pid, timeMs: number, tgid: Pid = pid, parentTgid: Pid = parent): ForkEvent {
  return { kind: 'fork', pid, tgid, cpu: 0, timeMs, parentPid: parent, parentTgid };
}

export function exec(
  pid: Pid,
  timeMs: number,
  comm: string | null,
  cmdline: readonly string[] | null = comm === null ? null : [comm],
): ExecEvent {
  return { kind: 'exec', pid, tgid: pid, cpu: 0, timeMs, comm, cmdline };
}

/** An exit with a wait status built from an exit code, or from a signal (with optional core). */
export function exit(
  pid: Pid,
  timeMs: number,
  how: { code?: number; signal?: number; core?: boolean; tgid?: Pid; parent?: Pid } = {},
): ExitEvent {
  const status = how.signal !== undefined ? how.signal | (how.core === true ? 0x80 : 0) : (how.code ?? 0) << 8;
  const parent = how.parent ?? 1;
  return {
    kind: 'exit',
    pid,
    tgid: how.tgid ?? pid,
    cpu: 0,
    timeMs,
    exitCode: status,
    exitSignal: 17,
    parentPid: parent,
    parentTgid: parent,
  };
}

export function comm(pid: Pid, timeMs: number, name: string): CommEvent {
  return { kind: 'comm', pid, tgid: pid, cpu: 0, timeMs, comm: name };
}

export function uid(pid: Pid, timeMs: number, ruid: number): UidEvent {
  return { kind: 'uid', pid, tgid: pid, cpu: 0, timeMs, ruid, euid: ruid };
}

export interface StatFields {
  pid: Pid;
  comm?: string;
  state?: string;
  ppid?: number;
  flags?: number;
  utime?: number;
  stime?: number;
  threads?: number;
  startTicks?: number;
  rssPages?: number;
}

/** A /proc/<pid>/stat line in the kernel's exact 52-field layout. */
export function statLine(f: StatFields): string {
  const fields = [
    f.state ?? 'S',
    f.ppid ?? 1,
    f.pid,
    f.pid,
    0,
    -1,
    f.flags ?? 4194560,
    0,
    0,
    0,
    0,
    f.utime ?? 0,
    f.stime ?? 0,
    0,
    0,
    20,
    0,
    f.threads ?? 1,
    0,
    f.startTicks ?? 100,
    10_000_000,
    f.rssPages ?? 100,
  ];
  const rest = Array.from({ length: 52 - 2 - fields.length }, () => 0);
  return `${f.pid} (${f.comm ?? 'proc'}) ${[...fields, ...rest].join(' ')}\n`;
}

export function statusText(name: string, pid: Pid, ppid: Pid, uid: number, threads = 1): string {
  return `Name:\t${name}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t${pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${ppid}\nTracerPid:\t0\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t0\t0\t0\t0\nThreads:\t${threads}\n`;
}

export interface FixtureProcess extends StatFields {
  uid?: number;
  cmdline?: string;
  /** Leave stat out: the pid "vanished" between readdir and read. */
  noStat?: boolean;
}

/** A temporary /proc tree: one directory per pid plus the host-wide files. Returns its path and a remover. */
export function makeProcTree(
  processes: readonly FixtureProcess[],
  uptimeSeconds = 10_000,
): { root: string; remove: () => void; write: (p: FixtureProcess) => void; drop: (pid: Pid) => void } {
  const root = mkdtempSync(join(tmpdir(), 'cntop-proc-'));
  writeFileSync(
    join(root, 'stat'),
    'cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\ncpu1 50 0 50 400 0 0 0 0 0 0\n',
  );
  writeFileSync(
    join(root, 'meminfo'),
    'MemTotal:        1000000 kB\nMemFree:          500000 kB\nMemAvailable:     600000 kB\nCached:           100000 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n',
  );
  writeFileSync(join(root, 'loadavg'), '0.50 0.40 0.30 1/100 12345\n');
  writeFileSync(join(root, 'uptime'), `${uptimeSeconds.toFixed(2)} 100.00\n`);
  const write = (p: FixtureProcess): void => {
    const dir = join(root, String(p.pid));
    // Rewritten in place, so that a descriptor the reader keeps open sees the new content.
    mkdirSync(dir, { recursive: true });
    if (p.noStat !== true) writeFileSync(join(dir, 'stat'), statLine(p));
    writeFileSync(join(dir, 'status'), statusText(p.comm ?? 'proc', p.pid, p.ppid ?? 1, p.uid ?? 0, p.threads ?? 1));
    writeFileSync(join(dir, 'cmdline'), p.cmdline ?? '');
  };
  for (const p of processes) write(p);
  return {
    root,
    write,
    // Emptied first: a kept descriptor of a deleted file still reads, where procfs would say ESRCH.
    drop: (pid) => {
      writeFileSync(join(root, String(pid), 'stat'), '');
      rmSync(join(root, String(pid)), { recursive: true, force: true });
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
