// The doctor's output from an examination: exit codes, the JSON fields issue 4 names, and text that
// is safe for a terminal.
import { describe, expect, it } from 'vitest';
import { doctorJson, doctorText, exitCodeFor } from '../../../src/cli/doctor-command.js';
import { deriveHealth } from '../../../src/core/health/derive-health.js';
import { ACCOUNTING_NOT_ASKED } from '../../../src/core/event-source.js';
import type { HealthFacts } from '../../../src/core/health/health-facts.js';
import type { Examination } from '../../../src/native/connector-examination.js';
import { present } from '../../helpers/present.js';

const starved: HealthFacts = {
  nowMs: 1000,
  mode: 'netlink',
  pollingReason: null,
  kernel: { release: '6.1.0-56-amd64', semantics: 'global-counter', semanticsEvidence: 'observed' },
  ack: null,
  gate: { open: false, err: null, latencyMs: null, atMs: 900 },
  canary: null,
  deficit: 3,
  deficitBeyond: null,
  repair: null,
  loss: { overruns: 0, seqGapMessages: 0, lastLossMs: null },
  drift: { missedForks: 0, missedExits: 0, lastDriftMs: null },
  lastEventMs: null,
  access: { uid: 0, netAdmin: true, initPidNs: true, initUserNs: true, evidence: 'uid 0\u001b[2J' },
  taskstats: {
    accounting: { state: 'on', cause: null, records: 0, overruns: 0, malformed: 0 },
    lastRecordMs: null,
    lastLossMs: null,
  },
};

function examination(facts: HealthFacts): Examination {
  return {
    report: deriveHealth(facts),
    facts,
    checkup: null,
    counterOps: { listens: 5, ignores: 5, leaked: 0 },
    verdictMs: 12.345,
  };
}

describe('doctor output', () => {
  it('maps healthy/degraded/blind to 0/1/2', () => {
    expect([exitCodeFor('healthy'), exitCodeFor('degraded'), exitCodeFor('blind')]).toEqual([0, 1, 2]);
  });

  it('has every JSON field of the issue, and repaired/deficitAfter only with --repair', () => {
    const plain = doctorJson(examination(starved), false);
    expect(plain).toMatchObject({
      status: 'blind',
      mode: 'netlink',
      kernel: { release: '6.1.0-56-amd64', semantics: 'global-counter' },
      ack: { received: false, err: null, latencyMs: null },
      canary: { ok: null, latencyMs: null },
      deficit: 3,
      lost: 0,
      verdictMs: 12.35,
    });
    expect(plain.cause).toMatch(/3 below zero/);
    expect(plain.fix).toMatch(/--repair/);
    expect('repaired' in plain).toBe(false);
    const repaired = doctorJson(
      examination({ ...starved, repair: { repaired: true, listenersAdded: 3, deficitAfter: 0 } }),
      true,
    );
    expect(repaired).toMatchObject({ repaired: true, deficitAfter: 0 });
  });

  it('has taskstats {status, records, lost, cause, fix}: its own row, which never changes status or the exit code', () => {
    const healthy: HealthFacts = {
      ...starved,
      ack: { err: 0, latencyMs: 0.1 },
      gate: null,
      deficit: 0,
      canary: {
        ok: true,
        latencyMs: 3,
        atMs: 990,
        detail: 'fork, exec and exit of pid 9 arrived',
        record: { arrived: false, latencyMs: null, detail: 'no record for pid 9 1000 ms after its exit event' },
      },
    };
    const silent = doctorJson(examination(healthy), false);
    expect(silent.status).toBe('healthy');
    expect(exitCodeFor(silent.status)).toBe(0);
    expect(Object.keys(silent.taskstats).sort()).toEqual(['cause', 'fix', 'lost', 'records', 'status']);
    expect(silent.taskstats).toMatchObject({ status: 'silent', records: 0, lost: 0 });
    expect(silent.taskstats.cause).toMatch(/canary's exit produced no record/);
    const ok = doctorJson(
      examination({
        ...healthy,
        canary: { ...present(healthy.canary, 'the canary'), record: { arrived: true, latencyMs: 2, detail: 'ok' } },
        taskstats: { ...healthy.taskstats, accounting: { ...healthy.taskstats.accounting, records: 4 } },
      }),
      false,
    );
    expect(ok.taskstats).toEqual({ status: 'ok', records: 4, lost: 0, cause: null, fix: null });
    const polling = doctorJson(
      examination({
        ...starved,
        mode: 'polling',
        pollingReason: 'polling /proc as asked (--no-netlink)',
        gate: null,
        deficit: null,
        taskstats: { accounting: ACCOUNTING_NOT_ASKED, lastRecordMs: null, lastLossMs: null },
      }),
      false,
    );
    expect(polling).toMatchObject({ status: 'degraded', taskstats: { status: 'off', records: 0, lost: 0 } });
    expect(polling.taskstats.fix).toMatch(/without --no-netlink/);
    const text = doctorText(examination(healthy), false);
    expect(text).toMatch(/^taskstats silent, 0 record\(s\), 0 lost$/m);
    expect(text).toMatch(/^ {2}cause {3}the kernel accepted the taskstats registration/m);
    expect(text).toMatch(/^ {2}fix {5}run cntop as root/m);
  });

  it('prints a verdict line first and strips control characters from evidence', () => {
    const text = doctorText(examination(starved), false);
    expect(text.split('\n')[0]).toBe('cntop doctor: BLIND (netlink)');
    expect(text).not.toContain('\u001b');
  });
});
