// The observed facts the health verdict is derived from. Gathered by doctor (one shot) or the runtime
// monitor (continuously); nothing here is computed, only recorded.
import type { AccountingStatus } from '../event-source.js';
import type { KernelSemantics } from './health-types.js';
import type { GateState } from './listener-counter.js';

export interface CanaryOutcome {
  /** True when fork, exec and exit of the canary child all arrived within the bound. */
  readonly ok: boolean;
  /** Spawn to the last of the three events, when ok. */
  readonly latencyMs: number | null;
  readonly atMs: number;
  /** Which events arrived, or why the canary could not run. */
  readonly detail: string;
  /** Whether its exit produced a taskstats record; absent (or null) when taskstats was not on to check. */
  readonly record?: CanaryRecordCheck | null;
}

/** The canary's own exit, looked for among the taskstats records: an acked registration proves nothing. */
export interface CanaryRecordCheck {
  readonly arrived: boolean;
  /** Spawn to the record, when it arrived. */
  readonly latencyMs: number | null;
  /** What was seen, in plain words. */
  readonly detail: string;
}

/** The kernel's per-exit accounting (taskstats) beside the connector: its own row in the report. */
export interface TaskstatsFacts {
  /** As the source reports it: on or off (with why), records received, overruns. */
  readonly accounting: AccountingStatus;
  /** When the record count last grew, or null (never, or not tracked). */
  readonly lastRecordMs: number | null;
  /** When the overrun count last grew, or null. */
  readonly lastLossMs: number | null;
}

/** Privilege and namespace facts (see access-facts.ts). null where unknown. */
export interface AccessFacts {
  readonly uid: number;
  /** CAP_NET_ADMIN in the effective set (the kernel checks it for LISTEN before 6.6). */
  readonly netAdmin: boolean | null;
  readonly initPidNs: boolean | null;
  readonly initUserNs: boolean | null;
  readonly evidence: string;
}

export interface RepairFacts {
  readonly repaired: boolean;
  /** LISTENs left on throwaway sockets without IGNORE, to replace the stray IGNOREs. */
  readonly listenersAdded: number;
  /** Measured after the repair (0 when the gate is open with cntop's own LISTEN). */
  readonly deficitAfter: number | null;
}

export interface HealthFacts {
  readonly nowMs: number;
  readonly mode: 'netlink' | 'polling';
  readonly pollingReason: string | null;
  readonly kernel: {
    readonly release: string;
    /** From behaviour when observed, else from the release. */
    readonly semantics: KernelSemantics;
    readonly semanticsEvidence: string;
  };
  /** The kernel's answer to our LISTEN; null when none came within the wait. */
  readonly ack: { readonly err: number; readonly latencyMs: number } | null;
  /** The latest side-effect-free gate probe, or null when none was made. */
  readonly gate: (GateState & { readonly atMs: number }) | null;
  readonly canary: CanaryOutcome | null;
  /** How far below zero the counter stood before cntop's LISTEN; null when unmeasured. */
  readonly deficit: number | null;
  /** Set when the measurement gave up after this many LISTENs. */
  readonly deficitBeyond: number | null;
  readonly repair: RepairFacts | null;
  readonly loss: { readonly overruns: number; readonly seqGapMessages: number; readonly lastLossMs: number | null };
  readonly drift: { readonly missedForks: number; readonly missedExits: number; readonly lastDriftMs: number | null };
  readonly lastEventMs: number | null;
  readonly access: AccessFacts;
  readonly taskstats: TaskstatsFacts;
}

/** Time windows of the verdict: how recent a loss or an event must be to count. */
export interface HealthWindows {
  /** Events seen this recently prove that events flow. */
  readonly flowMs: number;
  /** A loss or drift this recent degrades the verdict. */
  readonly troubleMs: number;
}

export const DEFAULT_WINDOWS: HealthWindows = { flowMs: 10_000, troubleMs: 60_000 };

/** Events the connector knows it lost: an ENOBUFS overrun loses an unknown number, so at least 1 each. */
export function lostEvents(loss: HealthFacts['loss']): number {
  return loss.overruns + loss.seqGapMessages;
}
