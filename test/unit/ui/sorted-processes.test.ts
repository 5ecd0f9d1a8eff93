// The incremental sort against a sort from scratch: after forks, exits, pid reuse, keys changed in place
// without an event, tombstones evicted without an event, and sweeps, the order kept between frames must
// equal the order computed anew, in the tree and in the flat list, for every sort column.
import { describe, expect, it } from 'vitest';
import type { Pid, ProcessInfo } from '../../../src/core/types.js';
import { COLUMN_IDS } from '../../../src/ui/columns.js';
import { orderProcesses } from '../../../src/ui/process-order.js';
import { SortedProcesses } from '../../../src/ui/sorted-processes.js';
import { initialUiState, reduce, type UiState } from '../../../src/ui/ui-state.js';
import { FAKE_PID_BASE, FakeEngine, monotonicNowMs, populate } from '../../helpers/fake-engine.js';

/** A small deterministic PRNG, so a failure replays. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One step of a busy machine; returns the tgids its events announced. */
function step(engine: FakeEngine, rnd: () => number, next: { pid: number }): Pid[] {
  const pids = [...engine.processes.keys()];
  const pick = (): Pid => pids[Math.floor(rnd() * pids.length)] as Pid;
  const announced: Pid[] = [];
  for (let i = 0; i < 5; i++) {
    const pid = next.pid++;
    engine.fork(pick(), pid, `new${pid}`, ['new']);
    announced.push(pid);
  }
  for (let i = 0; i < 3; i++) {
    const pid = pick();
    engine.exit(pid, { code: 0, signal: null, coreDumped: false });
    announced.push(pid);
  }
  // In place, without an event: what a detail read or a reparent does between refreshes.
  const quiet = engine.processes.get(pick()) as Mutable<ProcessInfo>;
  quiet.memPercent = rnd() * 10;
  quiet.rssBytes = Math.floor(rnd() * 2 ** 30);
  const orphan = engine.processes.get(pick()) as Mutable<ProcessInfo>;
  orphan.ppid = FAKE_PID_BASE + 1;
  // A tombstone evicted in a storm: gone from the table, no event names it.
  const tombstone = [...engine.processes.values()].find((p) => p.exitMs !== null && rnd() < 0.5);
  if (tombstone !== undefined) engine.processes.delete(tombstone.pid);
  // Pid reuse: an exited pid comes back as a new process.
  if (tombstone === undefined && rnd() < 0.3) {
    const dead = [...engine.processes.values()].find((p) => p.exitMs !== null);
    if (dead !== undefined) {
      engine.fork(FAKE_PID_BASE + 1, dead.pid, 'reused', ['reused']);
      announced.push(dead.pid);
    }
  }
  return announced;
}

function stateFor(column: (typeof COLUMN_IDS)[number], tree: boolean, descending: boolean): UiState {
  let s = initialUiState();
  if (!tree) s = reduce(s, { type: 'toggleTree' });
  s = reduce(s, { type: 'setSort', key: column });
  if (s.treeView ? s.sortTree.descending !== descending : s.sortFlat.descending !== descending)
    s = reduce(s, { type: 'invertSort' });
  return s;
}

describe('incremental process order', () => {
  for (const column of COLUMN_IDS) {
    for (const tree of [true, false]) {
      it(`equals a fresh sort by ${column} (${tree ? 'tree' : 'flat'}) over 30 busy steps`, () => {
        const engine = new FakeEngine();
        populate(engine, 800);
        const rnd = random(column.length * 31 + (tree ? 1 : 2));
        const state = stateFor(column, tree, rnd() < 0.5);
        const sorter = new SortedProcesses();
        // Later than every start the steps make, so AGE keys stay packable.
        const now = monotonicNowMs() + 3_600_000;
        orderProcesses(engine, state, now, sorter, null);
        const next = { pid: FAKE_PID_BASE + 500_000 };
        for (let i = 0; i < 30; i++) {
          const announced = step(engine, rnd, next);
          if (i % 13 === 12) engine.sweep();
          const kept = orderProcesses(engine, state, now, sorter, i % 13 === 12 ? null : announced);
          const fresh = orderProcesses(engine, state, now);
          expect(kept.pids).toEqual(fresh.pids);
          expect(kept.tree?.parentRow).toEqual(fresh.tree?.parentRow);
          expect(kept.tree?.isLast).toEqual(fresh.tree?.isLast);
        }
        // Numeric columns keep the list between sweeps; text columns always sort anew.
        const sweeps = 2;
        expect(sorter.incrementalUpdates).toBe(
          ['user', 'state', 'command', 'cgroup'].includes(column) ? 0 : 30 - sweeps,
        );
      });
    }
  }

  it('moves a process whose key changed in place without any event', () => {
    const engine = new FakeEngine();
    populate(engine, 200);
    const state = stateFor('cpu', false, true);
    const sorter = new SortedProcesses();
    orderProcesses(engine, state, 0, sorter, null);
    const last = engine.processes.get(orderProcesses(engine, state, 0).pids.at(-1) as Pid) as Mutable<ProcessInfo>;
    last.cpuPercent = 99;
    expect(orderProcesses(engine, state, 0, sorter, []).pids[0]).toBe(last.pid);
  });
});
