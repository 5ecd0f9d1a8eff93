// cntop events' loss warnings: said when connector events or taskstats records were dropped, with
// running totals, at most once a second, and never when nothing was lost.
import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../src/core/engine-api.js';
import { createLossWarner, describeLoss } from '../../../src/cli/loss-warnings.js';

const status = (overruns: number, seqGapMessages: number, recordOverruns: number) =>
  ({ connector: { overruns, seqGapMessages }, accounting: { overruns: recordOverruns } }) as unknown as EngineStatus;

describe('loss warnings of cntop events', () => {
  it('says nothing while nothing is lost', () => {
    expect(
      describeLoss(
        { overruns: 0, seqGapMessages: 0, recordOverruns: 0 },
        { overruns: 0, seqGapMessages: 0, recordOverruns: 0 },
      ),
    ).toBeNull();
  });

  it('names dropped events and dropped records with their totals', () => {
    const text = describeLoss(
      { overruns: 0, seqGapMessages: 0, recordOverruns: 0 },
      { overruns: 2, seqGapMessages: 17, recordOverruns: 1 },
    );
    expect(text).toMatch(
      /^cntop events: warning: the kernel dropped process events \(2 receive-buffer overruns, 17 messages missing by sequence so far\)/,
    );
    expect(text).toContain('taskstats records were dropped (1 overruns so far)');
  });

  it('reads the counters at most once a second (not per batch), and reports the totals that grew meanwhile', () => {
    let now = 0;
    let reads = 0;
    let current = status(0, 0, 0);
    const lines: string[] = [];
    const check = createLossWarner(
      () => (reads++, current),
      (line) => lines.push(line),
      () => now,
    );
    check();
    check();
    expect(reads).toBe(1);
    expect(lines).toEqual([]);
    current = status(1, 0, 0);
    now = 1000;
    check();
    expect(lines).toHaveLength(1);
    current = status(3, 5, 0);
    now = 1500;
    check();
    expect(lines).toHaveLength(1); // within the second: not even read
    expect(reads).toBe(2);
    now = 2000;
    check();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('3 receive-buffer overruns, 5 messages missing');
    now = 5000;
    check();
    expect(lines).toHaveLength(2); // nothing new
  });
});
