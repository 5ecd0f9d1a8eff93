// The event source core depends on. native/kernel-event-source.ts implements it on the addon;
// tests provide fakes. Core never imports native/.
import type { TaskRecord } from './accounting/task-record.js';
import type { ProcEvent, ProcEventKind, Result } from './types.js';

export interface EventBatch {
  readonly events: readonly ProcEvent[];
  /** ENOBUFS overruns since the previous batch: the kernel dropped an unknown number of messages. */
  readonly overruns: number;
  /** Messages missing from the per-CPU cn_msg.seq sequences since the previous batch. */
  readonly seqGapMessages: number;
  /** Taskstats records of tasks that exited since the previous batch (absent: the source has none). */
  readonly records?: readonly TaskRecord[];
  /** ENOBUFS overruns on the taskstats socket since the previous batch: records were lost. */
  readonly recordOverruns?: number;
}

/** The kernel's per-exit accounting (taskstats) as a source sees it. */
export interface AccountingStatus {
  /** 'on': registered and records are expected; 'off': not asked for, or unavailable (see cause). */
  readonly state: 'on' | 'off';
  /** Why it is off, in words a user can act on; null when on. */
  readonly cause: string | null;
  /** Why it is off, as a kind (health picks the fix from it); absent when on or unknown. */
  readonly reason?: AccountingOffReason;
  readonly records: number;
  /** ENOBUFS overruns: each lost an unknown number of records. */
  readonly overruns: number;
  readonly malformed: number;
}

/**
 * 'no-kernel-support': no CONFIG_TASKSTATS; 'permission': the kernel refused this user; 'network-namespace':
 * not in the initial network namespace; 'namespace': not in the initial user/PID namespaces (or an invalid
 * CPU mask: the kernel says EINVAL for both); 'failed': anything else.
 */
export type AccountingOffReason =
  'not-asked' | 'no-kernel-support' | 'permission' | 'network-namespace' | 'namespace' | 'failed';

export const ACCOUNTING_NOT_ASKED: AccountingStatus = {
  state: 'off',
  cause: 'not asked for',
  reason: 'not-asked',
  records: 0,
  overruns: 0,
  malformed: 0,
};

export type ConnectorError =
  | { readonly kind: 'addon-missing'; readonly detail: string }
  /** socket() said EPROTONOSUPPORT: the kernel has no CONFIG_CONNECTOR / CONFIG_PROC_EVENTS. */
  | { readonly kind: 'unsupported' }
  /** bind/send refused (EPERM/EACCES): not privileged, on a kernel before 6.6 or one that still checks (6.18). */
  | { readonly kind: 'permission-denied'; readonly syscall: string; readonly errno: number }
  /**
   * send refused with ECONNREFUSED: the kernel's connector socket exists only in the initial network
   * namespace, so from any other one there is nobody to send LISTEN to.
   */
  | { readonly kind: 'network-namespace'; readonly syscall: string; readonly errno: number }
  | { readonly kind: 'io'; readonly syscall: string; readonly errno: number; readonly code: string }
  /** Not an OS failure: the user asked for /proc polling (cntop --no-netlink). `reason` is shown as is. */
  | { readonly kind: 'disabled'; readonly reason: string };

/** The 'disabled' reason under --no-netlink, shared by the engine and the doctor. */
export const NO_NETLINK_REASON = 'polling /proc as asked (--no-netlink)';

/** What start() learned about the subscription. No ack is not an error: health diagnoses it. */
export interface StartInfo {
  /** The kernel's answer to our LISTEN, or null when none came within the wait. */
  readonly ack: { readonly err: number; readonly latencyMs: number } | null;
  readonly rcvbufBytes: number;
  /** True when SO_RCVBUFFORCE worked (CAP_NET_ADMIN), so net.core.rmem_max did not cap it. */
  readonly rcvbufForced: boolean;
  /** Kinds a classic-BPF filter drops in the kernel; per-CPU gap counting is off when non-empty. */
  readonly droppedKinds: readonly ProcEventKind[];
}

export interface ConnectorStats {
  readonly eventsByKind: Readonly<Record<ProcEventKind, number>>;
  readonly batches: number;
  readonly overruns: number;
  readonly seqGapMessages: number;
  readonly malformed: number;
  readonly foreign: number;
  readonly acksSeen: number;
  readonly rcvbufBytes: number;
  /** Monotonic ms of the last event received, or null. */
  readonly lastEventMs: number | null;
  readonly listenSent: boolean;
  readonly ignoreSent: boolean;
}

export interface EventSource {
  /** Subscribes (LISTEN) and starts delivering batches. Resolves with what the kernel said, or why it cannot. */
  start(onBatch: (batch: EventBatch) => void): Promise<Result<StartInfo, ConnectorError>>;
  stats(): ConnectorStats;
  /** Taskstats beside the connector, if the source has it (absent: never). */
  accounting?(): AccountingStatus;
  /** Idempotent. Sends the one IGNORE owed for our LISTEN, stops the reader and releases the socket. */
  close(): void;
}
