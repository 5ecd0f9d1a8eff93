// The exit/record join on made-up arrivals: either order, multi-threaded groups, bounded waits,
// records nobody claims, pid reuse, and the bound on held records.
import { describe, expect, it } from 'vitest';
import { ExitJoin, type JoinedExit } from '../../../../src/core/accounting/exit-join.js';
import { accountingOf, type TaskRecord } from '../../../../src/core/accounting/task-record.js';
import { present } from '../../../helpers/present.js';

function task(id: number, fields: Partial<TaskRecord> = {}): TaskRecord {
  return {
    scope: 'task',
    id,
    tgid: id,
    comm: `t${id}`,
    exitStatus: 0,
    runMs: 1,
    userMs: 0,
    systemMs: 0,
    peakRssKiB: 1500,
    readBytes: 0,
    writeBytes: 0,
    minorFaults: 10,
    majorFaults: 0,
    voluntarySwitches: 1,
    involuntarySwitches: 0,
    ...fields,
  };
}
const group = (id: number, runMs: number): TaskRecord => ({
  ...task(id, { runMs }),
  scope: 'group',
  comm: '',
  peakRssKiB: 0,
});

function setUp(options = { maxWaitMs: 100, recordTtlMs: 1000, maxHeldRecords: 4 }) {
  const out: JoinedExit<string>[] = [];
  const join = new ExitJoin<string>((joined) => out.push(joined), options);
  return { join, out };
}

describe('ExitJoin', () => {
  it('joins an exit with a record that came first, at once', () => {
    const { join, out } = setUp();
    join.record(task(10, { comm: 'make' }), 0);
    join.exit(10, 10, false, 'exit-10', 1);
    expect(out).toEqual([{ exit: 'exit-10', task: task(10, { comm: 'make' }), group: null }]);
    expect(join.stats).toEqual({ complete: 1, timedOut: 0, unclaimed: 0 });
    expect(join.nextDeadlineMs()).toBeNull();
  });

  it('holds an exit until its record comes, then emits it', () => {
    const { join, out } = setUp();
    join.exit(10, 10, false, 'exit-10', 0);
    expect(out).toEqual([]);
    expect(join.nextDeadlineMs()).toBe(100);
    join.record(task(10), 5);
    expect(out.map((j) => [j.exit, j.task?.id])).toEqual([['exit-10', 10]]);
    join.expire(1000);
    expect(out).toHaveLength(1); // not emitted twice
  });

  it('lets an exit go on without its record when the wait ends, and never earlier', () => {
    const { join, out } = setUp();
    join.exit(10, 10, false, 'exit-10', 0);
    join.expire(99);
    expect(out).toEqual([]);
    join.expire(100);
    expect(out).toEqual([{ exit: 'exit-10', task: null, group: null }]);
    join.record(task(10), 101); // too late: held as unclaimed, dropped after its TTL
    join.expire(1101);
    expect(join.stats).toEqual({ complete: 0, timedOut: 1, unclaimed: 1 });
  });

  it('waits for the group record of a multi-threaded process, in either order, and takes its CPU', () => {
    const { join, out } = setUp();
    join.exit(20, 20, true, 'exit-20', 0);
    join.record(task(20, { runMs: 2, comm: 'java' }), 1);
    expect(out).toEqual([]); // the group's sum is still missing
    join.record(group(20, 35), 2);
    expect(out).toHaveLength(1);
    const joined = present(out[0], 'the joined exit');
    expect(accountingOf(present(joined.task, 'its task record'), joined.group)).toMatchObject({
      comm: 'java',
      cpuMs: 35,
      peakRssKiB: 1500,
    });

    join.record(group(30, 7), 3);
    join.record(task(30), 3);
    join.exit(30, 30, true, 'exit-30', 4);
    expect(out.map((j) => [j.exit, j.task?.id, j.group?.id])).toEqual([
      ['exit-20', 20, 20],
      ['exit-30', 30, 30],
    ]);
    expect(join.stats.complete).toBe(2);
  });

  it('a single-threaded exit does not take a group record of the same id', () => {
    const { join, out } = setUp();
    join.record(group(40, 9), 0);
    join.record(task(40), 0);
    join.exit(40, 40, false, 'exit-40', 0);
    expect(out[0]?.group).toBeNull();
    join.expire(1000);
    expect(join.stats).toEqual({ complete: 1, timedOut: 0, unclaimed: 1 });
  });

  it('a thread exit joins its own task record (pid), not its leader', () => {
    const { join, out } = setUp();
    join.exit(51, 50, false, 'thread-51', 0);
    join.record(task(50), 1);
    expect(out).toEqual([]);
    join.record(task(51, { comm: 'worker' }), 2);
    expect(out.map((j) => [j.exit, j.task?.comm])).toEqual([['thread-51', 'worker']]);
  });

  it('emits held exits in arrival order when their waits end, and flush() emits the rest', () => {
    const { join, out } = setUp();
    join.exit(1, 1, false, 'a', 0);
    join.exit(2, 2, false, 'b', 10);
    join.exit(3, 3, false, 'c', 20);
    join.record(task(2), 15);
    join.expire(115);
    expect(out.map((j) => j.exit)).toEqual(['b', 'a']); // b completed at 15; a's wait ended at 100, c's not yet
    join.flush();
    expect(out.map((j) => j.exit)).toEqual(['b', 'a', 'c']);
    expect(join.stats).toEqual({ complete: 1, timedOut: 2, unclaimed: 0 });
  });

  it('pid reuse within the wait: the older exit goes on, the record joins the newer one', () => {
    const { join, out } = setUp();
    join.exit(7, 7, false, 'first', 0);
    join.exit(7, 7, false, 'second', 1);
    expect(out).toEqual([{ exit: 'first', task: null, group: null }]);
    join.record(task(7), 2);
    expect(out.map((j) => [j.exit, j.task?.id])).toEqual([
      ['first', undefined],
      ['second', 7],
    ]);
  });

  it('holds at most maxHeldRecords records, dropping the oldest first', () => {
    const { join, out } = setUp();
    for (let id = 100; id < 106; id++) join.record(task(id), 0);
    expect(join.stats.unclaimed).toBe(2);
    join.exit(100, 100, false, 'oldest', 1);
    join.exit(105, 105, false, 'newest', 1);
    expect(out.map((j) => [j.exit, j.task?.id ?? null])).toEqual([['newest', 105]]);
  });
});
