// What cntop knows about its event source, as the connector panel and `cntop doctor` show it.
// Produced by the health logic (src/core/health/); displayed, never computed, by the UI.

export type HealthStatus = 'healthy' | 'degraded' | 'blind';

/** How the kernel counts listeners, detected from behaviour (see shared CONNECTOR.md). */
export type KernelSemantics = 'global-counter' | 'per-socket' | 'unknown';

export interface HealthReport {
  readonly status: HealthStatus;
  readonly mode: 'netlink' | 'polling';
  readonly kernel: { readonly release: string; readonly semantics: KernelSemantics };
  /** The kernel's answer to cntop's LISTEN. */
  readonly ack: { readonly received: boolean; readonly err: number | null; readonly latencyMs: number | null };
  /** The last canary: a short child whose fork/exec/exit must arrive within a bound. */
  readonly canary: { readonly ok: boolean | null; readonly latencyMs: number | null; readonly atMs: number | null };
  /** How far below 1 the kernel's listener counter stood before cntop subscribed; null when unmeasured. */
  readonly deficit: number | null;
  /** Events known lost (ENOBUFS overruns count at least 1 each, plus per-CPU sequence gaps). */
  readonly lost: number;
  readonly lastLossMs: number | null;
  /** Plain-words cause of anything not healthy, and what the user can do; null when healthy. */
  readonly cause: string | null;
  readonly fix: string | null;
  /** What was observed, one plain line per fact (doctor prints them; the panel may). */
  readonly evidence?: readonly string[];
  /** Taskstats, the per-exit accounting beside the connector: its own verdict, never part of `status`. */
  readonly taskstats: TaskstatsReport;
}

/**
 * 'ok': records arrive (the canary's own exit produced one, or records came in); 'lossy': records arrive
 * but some were lost recently (socket overruns); 'silent': registered, yet the canary's exit produced no
 * record; 'unconfirmed': registered, no record yet and no canary to check; 'off': not running (cause says why).
 */
export type TaskstatsStatus = 'ok' | 'lossy' | 'silent' | 'unconfirmed' | 'off';

export interface TaskstatsReport {
  readonly status: TaskstatsStatus;
  /** Records received since it started. */
  readonly records: number;
  /** Socket overruns: each lost one or more records. */
  readonly lost: number;
  /** Plain words for anything but 'ok', and what to do; null when ok. */
  readonly cause: string | null;
  readonly fix: string | null;
}
