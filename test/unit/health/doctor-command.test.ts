// The doctor's output from an examination: exit codes, the JSON fields issue 4 names, and text that
// is safe for a terminal.
import { describe, expect, it } from 'vitest';
import { doctorJson, doctorText, exitCodeFor } from '../../../src/cli/doctor-command.js';
import { deriveHealth } from '../../../src/core/health/derive-health.js';
import type { HealthFacts } from '../../../src/core/health/health-facts.js';
import type { Examination } from '../../../src/native/connector-examination.js';

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
};

function examination(facts: HealthFacts): Examination {
  return { report: deriveHealth(facts), facts, checkup: null, counterOps: { listens: 5, ignores: 5, leaked: 0 }, verdictMs: 12.345 };
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
    const repaired = doctorJson(examination({ ...starved, repair: { repaired: true, listenersAdded: 3, deficitAfter: 0 } }), true);
    expect(repaired).toMatchObject({ repaired: true, deficitAfter: 0 });
  });

  it('prints a verdict line first and strips control characters from evidence', () => {
    const text = doctorText(examination(starved), false);
    expect(text.split('\n')[0]).toBe('cntop doctor: BLIND (netlink)');
    expect(text).not.toContain('\u001b');
  });
});
