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
});
