// The storm tally's own surface: result() per storm pid, and exitsOf() for the clues of a missed exit.
import { describe, expect, it } from 'vitest';
import { createStormTally } from '../../../bench/lib/storm-tally.mjs';

describe('createStormTally', () => {
  it('lists every exit noted for a pid, whatever its parent', () => {
    const t = createStormTally();
    t.fork(10, 99, 0);
    t.exit(10, 0, 1);
    t.exit(11, 99, 2);
    t.exit(10, 5, 9000);
    expect(t.exitsOf(10)).toEqual([
      { parent: 0, ms: 1 },
      { parent: 5, ms: 9000 },
    ]);
    expect(t.exitsOf(12)).toEqual([]);
  });

  it('answers for the storm pid it is asked about', () => {
    const t = createStormTally();
    t.fork(10, 99, 0);
    t.exec(10, 1);
    t.exit(10, 99, 2);
    expect(t.result(99).storm).toEqual({ fork: 1, exec: 1, exit: 1 });
    expect(t.result(98).storm).toEqual({ fork: 0, exec: 0, exit: 0 });
  });

  it("counts the storm's exits with and without a record, only when the exit said", () => {
    const t = createStormTally();
    t.fork(10, 99, 0);
    t.fork(11, 99, 0);
    t.fork(12, 99, 0);
    t.exit(10, 99, 1, true);
    t.exit(11, 99, 1, false);
    t.exit(12, 99, 1);
    t.exit(13, 5, 1, false);
    expect(t.result(99).records).toEqual({ withRecord: 1, withoutRecord: 1, unknown: 1 });
    expect(t.result(99).storm.exit).toBe(3);
    expect(t.exitsOf(11)).toEqual([{ parent: 99, ms: 1 }]);
  });
});
