// Verdicts of the listener audit on hand-made tallies (pure logic; the real-kernel path is in
// test/integration/listener-audit.test.ts): what counts as owed, what is excused and why.
import { describe, expect, it } from 'vitest';
import type { AuditRecord, ListenerAudit } from '../../helpers/listener-audit.mjs';
import { formatAudit, judge, owedOf } from '../../helpers/listener-audit-report.mjs';

const GONE_PID = 4_194_000; // above any pid in use here: /proc/<pid> does not exist
const ROOT = 100;

function record(overrides: Partial<AuditRecord>): AuditRecord {
  return {
    pid: GONE_PID,
    chain: [
      { pid: GONE_PID, command: 'node dist/main.js' },
      { pid: ROOT, command: 'vitest' },
    ],
    firstMs: 0,
    lastMs: 0,
    pairs: {},
    ops: {},
    errors: 0,
    overlapped: false,
    lowered: 0,
    raised: 0,
    ...overrides,
  };
}

describe('listener audit verdicts', () => {
  it('a connector LISTEN without IGNORE from a gone process of this run is a leak', () => {
    const r = record({ pairs: { connector: { listen: 1, ignore: 0 } } });
    expect(owedOf(r)).toBe(1);
    expect(judge(r, ROOT)).toEqual({ ours: true, owed: 1, kept: 0, verdict: 'leak' });
  });

  it('balanced pairs are fine; a repair keeping its measure LISTENs is not owed', () => {
    const r = record({ pairs: { connector: { listen: 1, ignore: 1 }, 'health-measure': { listen: 3, ignore: 0 } } });
    expect(judge(r, ROOT)).toEqual({ ours: true, owed: 0, kept: 3, verdict: 'ok' });
  });

  it('an IGNORE booked by compensateLeak settles a leak', () => {
    expect(
      judge(record({ pairs: { connector: { listen: 1, ignore: 0 } }, ops: { compensated: 1 } }), ROOT).verdict,
    ).toBe('ok');
  });

  it('excuses what a drain window may have hidden, and the pid that drained', () => {
    expect(judge(record({ pairs: { connector: { listen: 1, ignore: 0 } }, overlapped: true }), ROOT).verdict).toBe(
      'drained',
    );
    expect(judge(record({ pairs: { 'buggy-measure': { listen: 3, ignore: 0 } }, lowered: 40 }), ROOT).verdict).toBe(
      'drained',
    );
  });

  it('an IGNORE ack without a LISTEN ack is flagged; a live owing process is a stray', () => {
    expect(judge(record({ pairs: { connector: { listen: 0, ignore: 1 } } }), ROOT).verdict).toBe('ignore-no-listen');
    const live = record({
      pid: process.pid,
      chain: [
        { pid: process.pid, command: 'me' },
        { pid: ROOT, command: 'vitest' },
      ],
      pairs: { 'ack-monitor': { listen: 1, ignore: 0 } },
    });
    expect(judge(live, ROOT).verdict).toBe('still-running');
  });

  it('only senders descended from the run fail it; others are listed with ~', () => {
    const outside = record({
      pid: GONE_PID - 1,
      chain: [{ pid: GONE_PID - 1, command: 'forkstat' }],
      pairs: { connector: { listen: 1, ignore: 0 } },
    });
    const ours = record({ pairs: { connector: { listen: 2, ignore: 1 } } });
    const audit: ListenerAudit = {
      records: new Map([
        [outside.pid, outside],
        [ours.pid, ours],
      ]),
      drainWindows: [],
      poll: () => {},
      close: () => {},
    };
    const report = formatAudit(audit, {
      rootPid: ROOT,
      fileOf: (r) => (r === ours ? 'test/x.test.ts' : null),
      selfPid: 1,
    });
    expect(report.bad).toEqual([
      expect.objectContaining({ pid: GONE_PID, verdict: 'leak', owed: 1, file: 'test/x.test.ts' }),
    ]);
    expect(report.text).toContain(`~ pid ${GONE_PID - 1}: connector 1L/0I [leak +1]  forkstat`);
    expect(report.text).toContain(`  pid ${GONE_PID}: connector 2L/1I [leak +1]  test/x.test.ts :: node dist/main.js`);
    expect(report.openDrain).toBe(false);
  });
});
