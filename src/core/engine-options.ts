// What startEngine accepts, its defaults, and the plain-words reason shown when the connector
// cannot be used and the engine falls back to polling /proc.
import { systemClock, type Clock } from './clock.js';
import type { AccountedExit } from './accounting/exit-accountant.js';
import type { ConnectorError, EventSource } from './event-source.js';
import type { ProcEvent, Result } from './types.js';

export interface EngineOptions {
  /** The connector, or why it could not be opened (then the engine polls /proc). */
  readonly source: Result<EventSource, ConnectorError>;
  /** Sampling interval for CPU%, memory and meters (and the scan interval in polling mode). */
  readonly refreshMs: number;
  /** Read every process's stat each refreshMs in netlink mode (CPU%, memory, state), and the system
   *  meters. Default true. `cntop events` shows none of it: at 10,000 processes the reads would cost
   *  it ~0.15 CPU-seconds per second for nothing. Without them, the drift check alone finds processes
   *  that vanished without an exit event. */
  readonly sampleProcesses?: boolean;
  /** Root of procfs; tests point it at fixture trees. Default '/proc'. */
  readonly procRoot?: string;
  /** Default: the real monotonic clock. */
  readonly clock?: Clock;
  /** How long exited processes stay listed. Default 3000. */
  readonly tombstoneMs?: number;
  /** Capacity of the exited ring. Default 2000. */
  readonly exitedCapacity?: number;
  /** Most exited processes listed at once as tombstones; a fork storm would otherwise list
   *  thousands (3 s × 5,000 exits/s). The exited ring keeps them all. Default 1000. */
  readonly maxTombstones?: number;
  /** Default '/etc/passwd'. */
  readonly passwdPath?: string;
  /** Interval of the cheap pid-list drift check in netlink mode; 0 disables. Default 10000. */
  readonly driftCheckMs?: number;
  /** Delay that coalesces bursts of loss into one resync. Default 200. */
  readonly resyncDebounceMs?: number;
  /** How long after a scan an event may still be in flight (native batching); discrepancies younger
   *  than this are re-checked before they count as missed. Default 250. */
  readonly graceMs?: number;
  /** Bytes per page for RSS. Default 4096. */
  readonly pageBytes?: number;
  /** A listener registered before the subscription, so it also receives the batches buffered
   *  during the seed scan (engine.onEvents() registers only after startEngine resolves). */
  readonly onEvents?: ((events: readonly ProcEvent[]) => void) | null;
  /** As onEvents, for accounted exits (EngineView.onAccountedExits). */
  readonly onAccountedExits?: ((exits: readonly AccountedExit[]) => void) | null;
  /** Also join and report thread exits with their own records (cntop events --threads). Default false. */
  readonly accountThreads?: boolean;
}

export type ResolvedOptions = Required<EngineOptions>;

export function resolveOptions(options: EngineOptions): ResolvedOptions {
  return {
    source: options.source,
    clock: options.clock ?? systemClock(),
    refreshMs: options.refreshMs,
    sampleProcesses: options.sampleProcesses ?? true,
    procRoot: options.procRoot ?? '/proc',
    tombstoneMs: options.tombstoneMs ?? 3000,
    exitedCapacity: options.exitedCapacity ?? 2000,
    maxTombstones: options.maxTombstones ?? 1000,
    passwdPath: options.passwdPath ?? '/etc/passwd',
    driftCheckMs: options.driftCheckMs ?? 10_000,
    resyncDebounceMs: options.resyncDebounceMs ?? 200,
    graceMs: options.graceMs ?? 250,
    pageBytes: options.pageBytes ?? 4096,
    onAccountedExits: options.onAccountedExits ?? null,
    accountThreads: options.accountThreads ?? false,
    onEvents: options.onEvents ?? null,
  };
}

/** Why the connector is unusable, in words a user can act on (one home: core/describe/connector-error.ts). */
export { describeConnectorError } from './describe/connector-error.js';
