import { describe, expect, it } from 'vitest';
import { formatSnapshotJson, formatSnapshotText, SNAPSHOT_HEADER } from '../../../src/cli/snapshot-format.js';
import { buildSnapshotTree, type SnapshotNode } from '../../../src/cli/snapshot-tree.js';
import type { ProcessInfo } from '../../../src/core/types.js';
import { CONTROL_BUT_NEWLINE } from '../../helpers/terminal-text.js';

function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    uid: 0,
    user: 'root',
    state: 'S',
    comm: `p${pid}`,
    cmdline: [`/bin/p${pid}`],
    threads: 1,
    isKernelThread: false,
    priority: 20,
    nice: 0,
    virtBytes: 0,
    rssBytes: 0,
    cpuPercent: 0,
    memPercent: 0,
    cpuTimeMs: 0,
    startMs: 0,
    seenMs: 0,
    exitMs: null,
    exitStatus: null,
    ...extra,
  };
}

const pids = (nodes: readonly SnapshotNode[]): number[] => nodes.map((n) => n.pid);

describe('buildSnapshotTree', () => {
  it('roots the forest at processes whose parent is absent: init, kthreadd and orphans', () => {
    const roots = buildSnapshotTree([
      proc(1, 0),
      proc(2, 0, { cmdline: null, comm: 'kthreadd' }),
      proc(30, 2, { cmdline: null }),
      proc(10, 1),
      proc(11, 10),
      proc(12, 10),
      proc(500, 499),
    ]);
    expect(pids(roots)).toEqual([1, 2, 500]);
    expect(pids(roots[0]?.children ?? [])).toEqual([10]);
    expect(pids(roots[0]?.children[0]?.children ?? [])).toEqual([11, 12]);
    expect(pids(roots[1]?.children ?? [])).toEqual([30]);
  });

  it('sorts children by pid whatever the input order', () => {
    const roots = buildSnapshotTree([proc(9, 1), proc(1, 0), proc(4, 1), proc(7, 1)]);
    expect(pids(roots[0]?.children ?? [])).toEqual([4, 7, 9]);
  });

  it('leaves out tombstones of exited processes', () => {
    const roots = buildSnapshotTree([proc(1, 0), proc(5, 1, { exitMs: 100 }), proc(6, 1)]);
    expect(pids(roots[0]?.children ?? [])).toEqual([6]);
  });

  it('loses no process to a parent cycle in a stale model', () => {
    const roots = buildSnapshotTree([proc(1, 0), proc(20, 21), proc(21, 20), proc(22, 22)]);
    const all: number[] = [];
    const stack = [...roots];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      all.push(n.pid);
      stack.push(...n.children);
    }
    expect(all.sort((a, b) => a - b)).toEqual([1, 20, 21, 22]);
  });

  it('handles a chain 3,000 deep without overflowing the stack', () => {
    const chain = Array.from({ length: 3_000 }, (_, i) => proc(i + 1, i));
    const text = formatSnapshotText(buildSnapshotTree(chain), { ascii: true });
    expect(text.split('\n')).toHaveLength(3_002);
  });
});

describe('formatSnapshotText', () => {
  const roots = buildSnapshotTree([
    proc(1, 0, { cmdline: ['/sbin/init', 'splash'] }),
    proc(10, 1, { user: 'postgres', threads: 4 }),
    proc(11, 10, { state: 'R' }),
    proc(12, 10, { cmdline: [], comm: 'zombie', state: 'Z' }),
    proc(20, 1),
    proc(2, 0, { cmdline: null, comm: 'kthreadd' }),
  ]);

  it('draws pstree-like guides after the pid, user, state and thread columns', () => {
    expect(formatSnapshotText(roots, { ascii: false }).split('\n')).toEqual([
      SNAPSHOT_HEADER,
      '      1 root       S    1 /sbin/init splash',
      '     10 postgres   S    4 ├─ /bin/p10',
      '     11 root       R    1 │  ├─ /bin/p11',
      '     12 root       Z    1 │  └─ [zombie]',
      '     20 root       S    1 └─ /bin/p20',
      '      2 root       S    1 [kthreadd]',
      '',
    ]);
  });

  it('uses plain ASCII guides with --ascii', () => {
    const text = formatSnapshotText(roots, { ascii: true });
    expect(text).toContain('     11 root       R    1 |  |- /bin/p11');
    expect(text).toContain('     20 root       S    1 `- /bin/p20');
    expect(text).not.toMatch(/[^\x20-\x7e\n]/);
  });

  it('clips each line to the terminal width when given one', () => {
    const lines = formatSnapshotText(roots, { ascii: false, maxWidth: 30 }).trimEnd().split('\n');
    expect(lines[1]).toBe('      1 root       S    1 /sb+');
    expect(lines.every((line) => Array.from(line).length <= 30)).toBe(true);
  });

  it('sanitizes comm, command line and user, and truncates long user names', () => {
    const hostile = buildSnapshotTree([
      proc(1, 0, { cmdline: ['x\u001b]0;pwned\u0007', '\u009b2J'], user: 'a-very-long-user\u001b' }),
      proc(2, 0, { cmdline: null, comm: 'k\u001b[31m' }),
    ]);
    const text = formatSnapshotText(hostile, { ascii: false });
    expect(text).not.toMatch(CONTROL_BUT_NEWLINE);
    expect(text).toContain('      1 a-very-lo+ S    1 x?]0;pwned? ?2J');
    expect(text).toContain('[k?[31m]');
  });
});

describe('formatSnapshotJson', () => {
  it('emits nested nodes with the documented fields, and escapes control characters', () => {
    const roots = buildSnapshotTree([proc(1, 0), proc(7, 1, { comm: 'a\u009bb', cmdline: null, threads: 3 })]);
    const text = formatSnapshotJson(roots);
    expect(text).toContain('a\\u009bb');
    expect(JSON.parse(text)).toEqual([
      {
        pid: 1,
        ppid: 0,
        user: 'root',
        state: 'S',
        comm: 'p1',
        cmdline: ['/bin/p1'],
        threads: 1,
        children: [
          { pid: 7, ppid: 1, user: 'root', state: 'S', comm: 'a\u009bb', cmdline: null, threads: 3, children: [] },
        ],
      },
    ]);
  });
});
