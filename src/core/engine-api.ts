// The read side of the engine that the UI and the command line consume. The engine (engine.ts)
// implements it; UI tests build fakes of it. Nothing here touches the OS.
import type { AccountedExit } from './accounting/exit-accountant.js';
import type { CommandTotals, ExitTotals } from './accounting/exit-window.js';
import type { AccountingStatus, ConnectorStats, StartInfo } from './event-source.js';
import type { ExitedProcess, Pid, ProcEvent, ProcEventKind, ProcessInfo, SystemStats } from './types.js';

export type EngineMode = 'netlink' | 'polling';

export interface EngineStatus {
  /** 'netlink' while the connector delivers; 'polling' while cntop can only rescan /proc. */
  readonly mode: EngineMode;
  /** Why the engine is polling (plain words, e.g. "the addon is not built: …"), or null. */
  readonly pollingReason: string | null;
  /** What start() learned, or null when the connector could not be opened. */
  readonly start: StartInfo | null;
  /** Counters from the addon, or null in polling mode. */
  readonly connector: ConnectorStats | null;
  /** Full /proc rescans made to resynchronise after loss (ENOBUFS, sequence gaps). */
  readonly resyncs: number;
  readonly lastResyncMs: number | null;
  /** Processes a resync found that the events had not announced, and ones it found gone that had no exit event. */
  readonly missedForks: number;
  readonly missedExits: number;
  /** Events per second by kind over the last second, updated once per second. */
  readonly eventRates: Readonly<Record<ProcEventKind, number>>;
  /** Monotonic ms when the engine started. */
  readonly startedMs: number;
  /** The kernel's per-exit accounting (taskstats): on or off and why, records, loss. */
  readonly accounting: AccountingStatus;
}

export interface EngineView {
  /**
   * Live processes plus recent tombstones (exitMs !== null) that linger a few seconds so the UI can show
   * how they ended. Keyed by pid (tgid).
   */
  readonly processes: ReadonlyMap<Pid, ProcessInfo>;
  /** Children pids per parent pid, maintained incrementally (tombstones included). */
  childrenOf(pid: Pid): readonly Pid[];
  /** Recently exited processes, oldest first, bounded. */
  readonly exited: readonly ExitedProcess[];
  /** The newest entry of `exited` for pid, if the ring still holds one; a lookup, not a scan or a copy. */
  lastExit(pid: Pid): ExitedProcess | undefined;
  readonly system: SystemStats;
  readonly status: EngineStatus;
  /** Called after each batch of events has been applied to the model. Returns an unsubscribe function. */
  onEvents(listener: (events: readonly ProcEvent[]) => void): () => void;
  /** Called after each sampling tick (CPU, memory, system meters) and after each resync. */
  onRefresh(listener: () => void): () => void;
  /**
   * Called with exits once their accounting is joined (or the short wait for it ended): after the batch
   * that completed them, or from a timer. Every process end comes here once; thread exits only with
   * the accountThreads option. Returns an unsubscribe function.
   */
  onAccountedExits(listener: (exits: readonly AccountedExit[]) => void): () => void;
  /** Exited processes over the last minute by command, the most CPU first: where the CPU went. */
  exitsByCommand(): readonly CommandTotals[];
  /** Every exit of the last spanMs (at most a minute), summed: e.g. the CPU the dead used last interval. */
  exitTotals(spanMs: number): ExitTotals;
  /** Exited processes over the last minute by subtree: each counts for its parent and every ancestor still known. */
  exitsBySubtree(): ReadonlyMap<Pid, ExitTotals>;
}

export interface EngineControl extends EngineView {
  /** Changes the sampling interval (CPU%, memory, meters). Events stay live regardless. */
  setRefreshMs(refreshMs: number): void;
  /** Idempotent: stops timers and closes the event source (which sends its IGNORE). */
  close(): void;
  /**
   * Resolves once no periodic pass (sampling, polling scan, resync scan, drift listing) is running.
   * Passes read /proc asynchronously; a caller that moves time by hand waits here instead of guessing.
   */
  idle(): Promise<void>;
}
