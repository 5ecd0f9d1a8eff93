// The facts of a healthy host (6.18, root, initial namespaces, a good canary, no loss), for the pure
// health tests to change one thing at a time.
import { ACCOUNTING_NOT_ASKED } from '../../src/core/event-source.js';
import type { HealthFacts } from '../../src/core/health/health-facts.js';

export const HEALTHY_FACTS: HealthFacts = {
  nowMs: 100_000,
  mode: 'netlink',
  pollingReason: null,
  kernel: { release: '6.18.44', semantics: 'per-socket', semanticsEvidence: 'behaviour' },
  ack: { err: 0, latencyMs: 0.2 },
  gate: null,
  canary: { ok: true, latencyMs: 4, atMs: 99_000, detail: 'fork, exec, exit' },
  deficit: 0,
  deficitBeyond: null,
  repair: null,
  loss: { overruns: 0, seqGapMessages: 0, lastLossMs: null },
  drift: { missedForks: 0, missedExits: 0, lastDriftMs: null },
  lastEventMs: 99_500,
  access: { uid: 0, netAdmin: true, initPidNs: true, initUserNs: true, evidence: 'uid 0' },
  taskstats: { accounting: ACCOUNTING_NOT_ASKED, lastRecordMs: null, lastLossMs: null },
};
