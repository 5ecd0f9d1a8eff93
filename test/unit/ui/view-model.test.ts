import { describe, expect, it } from 'vitest';
import type { Pid, ProcessInfo } from '../../../src/core/types.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../../src/ui/glyphs.js';
import { orderProcesses } from '../../../src/ui/process-order.js';
import { initialUiState, reduce, type Action, type UiState } from '../../../src/ui/ui-state.js';
import {
  COMMAND_COLUMN_OFFSET,
  headerText,
  rowText,
  scrollTopFor,
  visibleRows,
  type RowContext,
} from '../../../src/ui/view-model.js';
import { fakeProcess } from '../../helpers/fake-engine.js';
import { UNSAFE_FOR_TERMINAL } from '../../helpers/terminal-text.js';

const NOW = 1_000_000;
const ctx: RowContext = {
  nowMs: NOW,
  ascii: false,
  newAfterMs: NOW - 10_000,
  newHighlightMs: 3000,
  glyphs: UNICODE_GLYPHS,
};

function machine(): Map<Pid, ProcessInfo> {
  const list: ProcessInfo[] = [
    fakeProcess({ pid: 1, comm: 'init', cmdline: ['/sbin/init'], startMs: 0, seenMs: 0, cpuPercent: 0.1 }),
    fakeProcess({ pid: 2, comm: 'kthreadd', isKernelThread: true, startMs: 0, seenMs: 0 }),
    fakeProcess({ pid: 3, ppid: 2, comm: 'kworker/0:0', isKernelThread: true, startMs: 0, seenMs: 0 }),
    fakeProcess({ pid: 10, ppid: 1, comm: 'sshd', cmdline: ['sshd'], startMs: 0, seenMs: 0, cpuPercent: 5 }),
    fakeProcess({
      pid: 11,
      ppid: 10,
      comm: 'bash',
      cmdline: ['-bash'],
      user: 'alice',
      startMs: 0,
      seenMs: 0,
      cpuPercent: 1,
    }),
    fakeProcess({
      pid: 12,
      ppid: 11,
      comm: 'vim',
      cmdline: ['vim', 'notes.txt'],
      user: 'alice',
      startMs: 0,
      seenMs: 0,
      cpuPercent: 9,
    }),
    fakeProcess({
      pid: 13,
      ppid: 11,
      comm: 'make',
      cmdline: ['make', '-j2'],
      user: 'alice',
      startMs: 0,
      seenMs: 0,
      cpuPercent: 30,
    }),
    fakeProcess({ pid: 20, ppid: 1, comm: 'cron', cmdline: ['cron'], startMs: 0, seenMs: 0, cpuPercent: 2 }),
  ];
  return new Map(list.map((p) => [p.pid, p]));
}

/** The actions of typing `text` into the input bar, one per code point. */
const typed = (text: string): Action[] => Array.from(text, (ch): Action => ({ type: 'inputChar', ch }));

function lines(processes: Map<Pid, ProcessInfo>, actions: Action[] = [], ascii = false): string[] {
  // Kernel threads shown, as K does: these tests draw the whole tree.
  const state = actions.reduce(reduce, { ...initialUiState(), hideKernelThreads: false });
  const order = orderProcesses({ processes }, state, NOW);
  return visibleRows(
    order,
    processes,
    state,
    -1,
    { top: 0, height: 100, width: 120 },
    { ...ctx, ascii, glyphs: ascii ? ASCII_GLYPHS : UNICODE_GLYPHS },
  ).map((r) => r.text.slice(COMMAND_COLUMN_OFFSET).trimEnd());
}

describe('process order and rows', () => {
  it('draws the tree with guides, siblings by pid', () => {
    expect(lines(machine())).toEqual([
      '/sbin/init',
      '├─ sshd',
      '│  └─ -bash',
      '│     ├─ vim notes.txt',
      '│     └─ make -j2',
      '└─ cron',
      '[kthreadd]',
      '└─ [kworker/0:0]',
    ]);
  });

  it('draws ASCII guides in --ascii mode', () => {
    expect(lines(machine(), [], true).slice(0, 5)).toEqual([
      '/sbin/init',
      '|- sshd',
      '|  `- -bash',
      '|     |- vim notes.txt',
      '|     `- make -j2',
    ]);
  });

  it('sorts siblings by the sort column in the tree view', () => {
    expect(lines(machine(), [{ type: 'setSort', key: 'cpu' }])).toEqual([
      '/sbin/init',
      '├─ sshd',
      '│  └─ -bash',
      '│     ├─ make -j2',
      '│     └─ vim notes.txt',
      '└─ cron',
      '[kthreadd]',
      '└─ [kworker/0:0]',
    ]);
    // Roots are siblings too: init (0.1%) sorts before kthreadd (0%) by CPU%, after it by PID inverted.
    expect(lines(machine(), [{ type: 'setSort', key: 'pid' }, { type: 'invertSort' }])[0]).toBe('[kthreadd]');
  });

  it('sorts the flat list by CPU% descending by default, and inverts', () => {
    expect(lines(machine(), [{ type: 'toggleTree' }]).slice(0, 3)).toEqual(['make -j2', 'vim notes.txt', 'sshd']);
    expect(lines(machine(), [{ type: 'toggleTree' }, { type: 'setSort', key: 'pid' }, { type: 'invertSort' }])[0]).toBe(
      'cron',
    );
  });

  it('keeps the ancestors of filter matches in the tree view, only matches in the flat view', () => {
    const filter: Action[] = [{ type: 'startInput', target: 'filter' }, ...typed('VIM')];
    expect(lines(machine(), filter)).toEqual(['/sbin/init', '└─ sshd', '   └─ -bash', '      └─ vim notes.txt']);
    expect(lines(machine(), [{ type: 'toggleTree' }, ...filter])).toEqual(['vim notes.txt']);
  });

  it('filters on the current name of a process record the engine updated in place (exec after fork)', () => {
    const processes = machine();
    const record = { ...fakeProcess({ pid: 40, ppid: 11, comm: 'bash', cmdline: ['-bash'] }) };
    processes.set(40, record);
    const filter: Action[] = [{ type: 'toggleTree' }, { type: 'startInput', target: 'filter' }, ...typed('newname')];
    expect(lines(processes, filter)).toEqual([]);
    // The real engine mutates its records; readonly in the type, not in the object.
    Object.assign(record, { comm: 'newname', cmdline: ['newname', '--x'] });
    expect(lines(processes, filter)).toEqual(['newname --x']);
  });

  it('hides a collapsed subtree and marks the collapsed row', () => {
    expect(lines(machine(), [{ type: 'setCollapsed', pid: 11, collapsed: true }])).toEqual([
      '/sbin/init',
      '├─ sshd',
      '│  └─+-bash',
      '└─ cron',
      '[kthreadd]',
      '└─ [kworker/0:0]',
    ]);
  });

  it('hides kernel threads with K and narrows to one user with u, re-rooting orphaned subtrees', () => {
    expect(lines(machine(), [{ type: 'toggleKernelThreads' }])).not.toContain('[kthreadd]');
    // By default (K not pressed) they are hidden.
    const state = initialUiState();
    expect(orderProcesses({ processes: machine() }, state, NOW).pids).not.toContain(2);
    expect(lines(machine(), [{ type: 'setUserFilter', user: 'alice' }])).toEqual([
      '-bash',
      '├─ vim notes.txt',
      '└─ make -j2',
    ]);
  });

  it('marks an exited process with its status and an X state', () => {
    const processes = machine();
    processes.set(13, {
      ...(processes.get(13) as ProcessInfo),
      exitMs: NOW - 100,
      state: 'X',
      exitStatus: { code: null, signal: 9, coreDumped: false },
    });
    const state = initialUiState();
    const order = orderProcesses({ processes }, state, NOW);
    const row = visibleRows(order, processes, state, -1, { top: 0, height: 100, width: 120 }, ctx).find(
      (r) => r.pid === 13,
    );
    expect(row?.style).toBe('exited');
    // The status in its own EXIT column, not in front of the command line.
    expect(row?.text).toMatch(/ KILL .*make -j2/);
    expect(row?.text).toMatch(/ X +\d/);
  });

  it('highlights processes that appeared after the first frame, for a few seconds only', () => {
    const processes = machine();
    processes.set(30, fakeProcess({ pid: 30, ppid: 1, comm: 'new', startMs: NOW - 500, seenMs: NOW - 500 }));
    processes.set(31, fakeProcess({ pid: 31, ppid: 1, comm: 'older', startMs: NOW - 5000, seenMs: NOW - 5000 }));
    const state = initialUiState();
    const order = orderProcesses({ processes }, state, NOW);
    const rows = visibleRows(order, processes, state, -1, { top: 0, height: 100, width: 120 }, ctx);
    expect(rows.find((r) => r.pid === 30)?.style).toBe('new');
    expect(rows.find((r) => r.pid === 31)?.style).toBe('normal');
    expect(rows.find((r) => r.pid === 1)?.style).toBe('normal');
  });

  it('renders only the rows in the viewport, each exactly as wide as the list', () => {
    const processes = new Map<Pid, ProcessInfo>();
    for (let pid = 1; pid <= 10_000; pid++)
      processes.set(pid, fakeProcess({ pid, ppid: pid === 1 ? 0 : 1 + ((pid * 7) % (pid - 1)), comm: `p${pid}` }));
    const state: UiState = initialUiState();
    const order = orderProcesses({ processes }, state, NOW);
    expect(order.pids).toHaveLength(10_000);
    expect(new Set(order.pids).size).toBe(10_000);
    const rows = visibleRows(order, processes, state, 5000, { top: 4990, height: 20, width: 90 }, ctx);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.text.length === 90)).toBe(true);
    expect(rows[10]?.style).toBe('selected');
  });

  it('never lets a process name reach the terminal with its escape sequences', () => {
    const p = fakeProcess({ pid: 66, comm: 'x', cmdline: ['\x1b[2J\x1b]0;pwned\x07', 'arg\u202eevil'] });
    const text = rowText(p, '', false, 120, ctx);
    expect(text).not.toMatch(UNSAFE_FOR_TERMINAL);
    expect(text).toContain('?[2J?]0;pwned? arg?evil');
  });

  it('marks the sort column in the header', () => {
    const flat = reduce(initialUiState(), { type: 'toggleTree' });
    expect(headerText(flat, 100, false)).toMatch(/CPU%▽/);
    expect(headerText(reduce(flat, { type: 'invertSort' }), 100, true)).toMatch(/CPU%\^/);
  });

  it('scrolls as little as possible to keep the selection visible', () => {
    expect(scrollTopFor(5, 0, 10, 100)).toBe(0);
    expect(scrollTopFor(12, 0, 10, 100)).toBe(3);
    expect(scrollTopFor(2, 3, 10, 100)).toBe(2);
    expect(scrollTopFor(99, 95, 10, 100)).toBe(90);
    expect(scrollTopFor(3, 50, 10, 5)).toBe(0);
  });

  it('keeps the Command column at least 30 cells at 80 columns, dropping PRI, NI, VIRT, MEM%, AGE first', () => {
    const state = initialUiState();
    const header = headerText(state, 80, false);
    for (const kept of ['PID', 'USER', 'RES', 'S', 'CPU%', 'TIME+', 'EXIT', 'Command']) expect(header).toContain(kept);
    for (const dropped of ['PRI', 'NI', 'VIRT', 'MEM%', 'AGE']) expect(header).not.toContain(dropped);
    expect(80 - header.indexOf('Command')).toBeGreaterThanOrEqual(30);
    const p = fakeProcess({
      pid: 7,
      comm: 'cc1',
      cmdline: ['cc1', 'x'.repeat(100)],
      exitMs: NOW - 10,
      state: 'X',
      exitStatus: { code: 3, signal: null, coreDumped: false },
    });
    const row = rowText(p, '', false, 80, ctx);
    expect(row).toHaveLength(80);
    expect(row.indexOf('cc1 xxx')).toBe(header.indexOf('Command'));
    expect(row).toMatch(/ exit 3 cc1 x/);
    // Wide enough: every column.
    expect(headerText(state, 120, false)).toMatch(/PRI +NI +VIRT .*MEM% +TIME\+/);
  });

  it('scrolls the Command column left with Right (commandScroll), the other columns stay', () => {
    const p = fakeProcess({ pid: 8, comm: 'java', cmdline: ['java', '-cp', 'a.jar', 'Main'] });
    expect(rowText(p, '', false, 120, ctx, 8).slice(COMMAND_COLUMN_OFFSET)).toMatch(/^ a\.jar Main/);
  });

  it('folds the exited children of a parent beyond three into one summary row, so living processes stay on screen', () => {
    const processes = machine();
    for (let i = 0; i < 10; i++) {
      const pid = 100 + i;
      processes.set(
        pid,
        fakeProcess({
          pid,
          ppid: 13,
          comm: 'cc1',
          cmdline: ['cc1', `f${i}.c`],
          startMs: 0,
          seenMs: 0,
          exitMs: NOW - 3000 + i * 100,
          state: 'X',
          exitStatus:
            i % 4 === 0 ? { code: 1, signal: null, coreDumped: false } : { code: 0, signal: null, coreDumped: false },
        }),
      );
    }
    processes.set(
      200,
      fakeProcess({ pid: 200, ppid: 13, comm: 'ld', cmdline: ['ld', '-o', 'app'], startMs: 0, seenMs: 0 }),
    );
    const shown = lines(processes);
    const under = shown.slice(shown.indexOf('│     └─ make -j2') + 1, shown.indexOf('└─ cron') + 1);
    expect(under).toEqual([
      '│        ├─ cc1 f0.c',
      '│        ├─ cc1 f1.c',
      '│        ├─ cc1 f2.c',
      '│        ├─ ld -o app',
      '│        └─ … 7 more exited (2 failed) in 600ms',
      '└─ cron',
    ]);
    const order = orderProcesses({ processes }, initialUiState(), NOW);
    expect(order.pids).toContain(-13);
    expect(order.folds?.get(-13)).toMatchObject({ parent: 13, count: 7, failed: 2 });
  });
});
