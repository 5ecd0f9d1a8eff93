// The verdict from facts: newest evidence wins, and each unhealthy state names its cause and fix.
import { describe, expect, it } from 'vitest';
import { deriveHealth, judgeFlow } from '../../../src/core/health/derive-health.js';
import { DEFAULT_WINDOWS, type HealthFacts } from '../../../src/core/health/health-facts.js';
import { HEALTHY_FACTS } from '../../helpers/health-facts.js';

const healthy: HealthFacts = HEALTHY_FACTS;

describe('deriveHealth', () => {
  it('is healthy with an ack, a good canary and no loss', () => {
    const report = deriveHealth(healthy);
    expect(report).toMatchObject({
      status: 'healthy',
      cause: null,
      fix: null,
      ack: { received: true, err: 0 },
      canary: { ok: true, latencyMs: 4 },
    });
  });

  it('is blind when starved, with the exact deficit and the generation-specific culprit', () => {
    const old = deriveHealth({
      ...healthy,
      kernel: { release: '6.1.0-56-amd64', semantics: 'global-counter', semanticsEvidence: 'behaviour' },
      ack: null,
      canary: null,
      lastEventMs: null,
      gate: { open: false, err: null, latencyMs: null, atMs: 99_900 },
      deficit: 3,
    });
    expect(old.status).toBe('blind');
    expect(old.deficit).toBe(3);
    expect(old.cause).toMatch(/3 below zero.*IGNORE without a LISTEN/);
    expect(old.fix).toMatch(/--repair.*exactly 3/);
    const recent = deriveHealth({
      ...healthy,
      ack: null,
      canary: null,
      lastEventMs: null,
      gate: { open: false, err: null, latencyMs: null, atMs: 1 },
      deficit: 2,
    });
    expect(recent.cause).toMatch(/invalid op followed by PROC_CN_MCAST_IGNORE/);
  });

  it('is healthy again after a repair whose canary succeeded later than the closed gate', () => {
    const report = deriveHealth({
      ...healthy,
      ack: null,
      gate: { open: true, err: 22, latencyMs: 0.1, atMs: 99_950 },
      deficit: 2,
      repair: { repaired: true, listenersAdded: 2, deficitAfter: 0 },
      canary: { ok: true, latencyMs: 5, atMs: 99_990, detail: 'fork, exec, exit' },
    });
    // cntop's own LISTEN was never acked, but after the repair it is what holds the gate open.
    expect(report).toMatchObject({ status: 'healthy', cause: null });
    expect(report.evidence).toContain('repair: done, 2 listener(s) added, deficit after: 0');
  });

  it('is blind when a canary fails after the last event, though the LISTEN was acked', () => {
    const report = deriveHealth({
      ...healthy,
      lastEventMs: 90_000,
      canary: { ok: false, latencyMs: null, atMs: 99_999, detail: 'nothing arrived in 2000 ms' },
    });
    expect(report.status).toBe('blind');
    expect(report.cause).toMatch(/acknowledged.*no events arrive/);
  });

  it('is degraded by a recent loss and healthy once it is old', () => {
    const lossy = { ...healthy, loss: { overruns: 2, seqGapMessages: 5, lastLossMs: 99_000 } };
    expect(deriveHealth(lossy)).toMatchObject({ status: 'degraded', lost: 7 });
    const old = { ...lossy, loss: { ...lossy.loss, lastLossMs: 100_000 - DEFAULT_WINDOWS.troubleMs - 1 } };
    expect(deriveHealth(old)).toMatchObject({ status: 'healthy', lost: 7 });
  });

  it('is degraded while polling, and says how to get the connector', () => {
    const report = deriveHealth({
      ...healthy,
      mode: 'polling',
      pollingReason: 'the addon is not built: cannot find module',
    });
    expect(report).toMatchObject({ status: 'degraded', mode: 'polling' });
    expect(report.fix).toMatch(/build:addon/);
  });

  it('names the namespace and what to do about it', () => {
    const report = deriveHealth({
      ...healthy,
      ack: null,
      canary: { ok: true, latencyMs: 9, atMs: 99_000, detail: 'ok' },
      deficit: null,
      access: {
        uid: 0,
        netAdmin: true,
        initPidNs: false,
        initUserNs: true,
        evidence: 'PID namespace pid:[1] (not the initial one)',
      },
    });
    expect(report.status).toBe('degraded');
    expect(report.cause).toMatch(/not in the initial PID and user namespaces/);
    expect(report.fix).toMatch(/--pid=host/);
  });

  it('reports drift', () => {
    const report = deriveHealth({ ...healthy, drift: { missedForks: 3, missedExits: 1, lastDriftMs: 99_000 } });
    expect(report).toMatchObject({ status: 'degraded' });
    expect(report.cause).toMatch(/3 process\(es\) appeared and 1 vanished/);
  });
});

describe('judgeFlow', () => {
  it('is unconfirmed with no ack and no evidence at all', () => {
    expect(judgeFlow({ ...healthy, ack: null, canary: null, lastEventMs: null }, DEFAULT_WINDOWS)).toBe('unconfirmed');
  });
  it('lets recent events outweigh an older failed canary', () => {
    const facts = {
      ...healthy,
      canary: { ok: false, latencyMs: null, atMs: 95_000, detail: 'x' },
      lastEventMs: 99_000,
    };
    expect(judgeFlow(facts, DEFAULT_WINDOWS)).toBe('flowing');
  });
});
