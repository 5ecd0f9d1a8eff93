// The health verdict as a pure function of observed facts: the latest evidence decides whether events
// flow (healthy/degraded) or not (blind); the first matching cause explains it in plain words.
import { DEFAULT_WINDOWS, lostEvents, type HealthFacts, type HealthWindows } from './health-facts.js';
import type { HealthReport, HealthStatus } from './health-types.js';
import { describeTrouble, type Diagnosis } from './health-causes.js';
import { deriveTaskstatsHealth, taskstatsEvidence } from './taskstats-health.js';

export type FlowVerdict = 'flowing' | 'deaf' | 'unconfirmed';

/**
 * Whether events reach cntop now. The newest piece of evidence wins, so a canary that succeeded after
 * a repair outweighs the closed gate measured before it, and a failed canary outweighs old events.
 */
export function judgeFlow(facts: HealthFacts, windows: HealthWindows): FlowVerdict {
  const evidence: { atMs: number; good: boolean }[] = [];
  if (facts.canary !== null) evidence.push({ atMs: facts.canary.atMs, good: facts.canary.ok });
  if (facts.gate !== null) evidence.push({ atMs: facts.gate.atMs, good: facts.gate.open });
  if (facts.lastEventMs !== null && facts.nowMs - facts.lastEventMs <= windows.flowMs)
    evidence.push({ atMs: facts.lastEventMs, good: true });
  // A successful ack counts as positive evidence older than anything else.
  let positive = facts.ack !== null && facts.ack.err === 0 ? Number.NEGATIVE_INFINITY : null;
  let negative: number | null = null;
  for (const { atMs, good } of evidence) {
    if (good) positive = positive === null ? atMs : Math.max(positive, atMs);
    else negative = negative === null ? atMs : Math.max(negative, atMs);
  }
  if (positive === null && negative === null) return 'unconfirmed';
  if (negative === null) return 'flowing';
  if (positive === null) return 'deaf';
  return positive >= negative ? 'flowing' : 'deaf';
}

export function deriveHealth(facts: HealthFacts, windows: HealthWindows = DEFAULT_WINDOWS): HealthReport {
  const diagnosis = diagnose(facts, windows);
  return {
    status: diagnosis.status,
    mode: facts.mode,
    kernel: { release: facts.kernel.release, semantics: facts.kernel.semantics },
    ack: {
      received: facts.ack !== null,
      err: facts.ack?.err ?? null,
      latencyMs: facts.ack?.latencyMs ?? null,
    },
    canary: {
      ok: facts.canary?.ok ?? null,
      latencyMs: facts.canary?.latencyMs ?? null,
      atMs: facts.canary?.atMs ?? null,
    },
    deficit: facts.deficit,
    lost: lostEvents(facts.loss),
    lastLossMs: facts.loss.lastLossMs,
    cause: diagnosis.cause,
    fix: diagnosis.fix,
    evidence: collectEvidence(facts),
    taskstats: deriveTaskstatsHealth(facts, windows),
  };
}

function diagnose(facts: HealthFacts, windows: HealthWindows): Diagnosis {
  if (facts.mode === 'polling') {
    const trouble = describeTrouble(facts, windows, 'polling');
    return { status: 'degraded', cause: trouble.cause, fix: trouble.fix };
  }
  const flow = judgeFlow(facts, windows);
  const trouble = describeTrouble(facts, windows, flow);
  const status: HealthStatus = flow === 'deaf' ? 'blind' : trouble.cause === null ? 'healthy' : 'degraded';
  return { status, cause: trouble.cause, fix: trouble.fix };
}

function collectEvidence(facts: HealthFacts): string[] {
  const lines: string[] = [];
  lines.push(`kernel ${facts.kernel.release}: ${facts.kernel.semantics} (${facts.kernel.semanticsEvidence})`);
  lines.push(listenLine(facts));
  if (facts.gate !== null)
    lines.push(`gate probe: ${facts.gate.open ? 'open (counter >= 1)' : 'closed (counter < 1)'}`);
  else if (facts.mode === 'netlink' && facts.ack === null && outsideInitialNamespaces(facts.access)) {
    lines.push(
      'gate probe: not possible here (the kernel drops every connector op from outside the initial PID and user namespaces, so the counter cannot be read)',
    );
  }
  if (facts.deficit !== null) lines.push(`deficit: ${facts.deficit} LISTEN(s) short`);
  if (facts.deficitBeyond !== null) lines.push(`deficit: more than ${facts.deficitBeyond} (gave up measuring)`);
  if (facts.repair !== null) lines.push(describeRepair(facts.repair));
  if (facts.canary !== null) lines.push(`canary: ${facts.canary.ok ? 'ok' : 'failed'} (${facts.canary.detail})`);
  lines.push(
    `lost: ${lostEvents(facts.loss)} (overruns ${facts.loss.overruns}, sequence gaps ${facts.loss.seqGapMessages})`,
  );
  lines.push(`drift: ${facts.drift.missedForks} missed fork(s), ${facts.drift.missedExits} missed exit(s)`);
  lines.push(taskstatsEvidence(facts));
  lines.push(`access: ${facts.access.evidence}`);
  return lines;
}

function listenLine(facts: HealthFacts): string {
  // Polling: no subscription of cntop's is in effect, so there is no ack to wait for.
  if (facts.mode === 'polling') return 'LISTEN: none in effect (polling /proc)';
  if (facts.ack === null) return 'LISTEN: no ack';
  return `LISTEN: ack err ${facts.ack.err} after ${facts.ack.latencyMs.toFixed(2)} ms`;
}

function outsideInitialNamespaces(access: HealthFacts['access']): boolean {
  return access.initPidNs === false || access.initUserNs === false;
}

function describeRepair(repair: NonNullable<HealthFacts['repair']>): string {
  if (!repair.repaired && repair.listenersAdded === 0 && repair.deficitAfter === 0)
    return 'repair: not needed (no deficit)';
  return `repair: ${repair.repaired ? 'done' : 'failed'}, ${repair.listenersAdded} listener(s) added, deficit after: ${repair.deficitAfter ?? 'unknown'}`;
}
