// `cntop replay`: an engine over a recording instead of the kernel. It implements EngineControl at a
// time cursor, so the viewer draws the process tree as it was at that instant, the exits of the
// minute before it (Exited, by command through the same ExitWindow), the host meters of the nearest
// sample, and what the coverage said. Moving the cursor (seek) tells the viewer as a refresh would.
// Times it hands out are the cursor's session's monotonic ms, as the live engine's are.
import { EMPTY_SYSTEM_STATS } from '../core/system-stats.js';
import { exitSampleOf } from '../core/accounting/exit-accountant.js';
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import { ExitWindow, type CommandTotals, type ExitTotals } from '../core/accounting/exit-window.js';
import type { EngineControl, EngineStatus } from '../core/engine-api.js';
import { ACCOUNTING_NOT_ASKED } from '../core/event-source.js';
import {
  PROC_EVENT_KINDS,
  type ExitedProcess,
  type Pid,
  type ProcEvent,
  type ProcEventKind,
  type ProcessInfo,
  type SystemStats,
} from '../core/types.js';
import type { CoverageRow, RecordingReader, SessionRow } from './recording-reader.js';

/** How far back the Exited screen lists exits from the cursor. */
export const REPLAY_EXITED_MS = 5 * 60_000;
const MAX_EXITED = 30_000;
const WINDOW_MS = 60_000;

function zeroRates(): Record<ProcEventKind, number> {
  return Object.fromEntries(PROC_EVENT_KINDS.map((k) => [k, 0])) as Record<ProcEventKind, number>;
}

export interface ReplaySpan {
  /** First and last recorded instants (wall ms). */
  readonly startMs: number;
  readonly endMs: number;
}

export class ReplayEngine implements EngineControl {
  private cursorMs: number;
  private session: SessionRow | null = null;
  private coverageAt: CoverageRow | null = null;
  /** Processes shown alive at the cursor whose end the recording knows only late (their exit event was lost). */
  private uncertainAt = 0;
  private procs = new Map<Pid, ProcessInfo>();
  private children = new Map<Pid, Pid[]>();
  private exits: ExitedProcess[] = [];
  private lastExits = new Map<Pid, ExitedProcess>();
  private window = new ExitWindow(WINDOW_MS);
  private host: SystemStats = EMPTY_SYSTEM_STATS;
  private rates = zeroRates();
  private readonly eventListeners = new Set<(events: readonly ProcEvent[]) => void>();
  private readonly refreshListeners = new Set<() => void>();
  private readonly exitListeners = new Set<(exits: readonly AccountedExit[]) => void>();
  readonly span: ReplaySpan;

  constructor(
    private readonly reader: RecordingReader,
    atMs?: number,
  ) {
    const sessions = reader.sessions();
    const first = sessions[0];
    const last = sessions[sessions.length - 1];
    const retained = reader.retainedFromMs();
    this.span = { startMs: Math.max(first?.startedMs ?? 0, retained ?? 0), endMs: last?.endedMs ?? 0 };
    this.cursorMs = atMs ?? this.span.endMs;
    this.load();
  }

  /** The cursor, wall-clock ms. */
  get atMs(): number {
    return this.cursorMs;
  }

  /** The monotonic ms of the cursor on its session's clock (what the viewer's clock reads). */
  get monoMs(): number {
    return this.cursorMs - (this.session?.monoOffsetMs ?? 0);
  }

  /** The recording's coverage at the cursor: null where nothing was recorded. */
  get coverage(): CoverageRow | null {
    return this.coverageAt;
  }

  /** Whether a session covers the cursor. */
  get recorded(): boolean {
    return this.session !== null;
  }

  /** Coverage rows that are not healthy, and the unrecorded stretches between sessions, within the span. */
  gaps(): { readonly startMs: number; readonly endMs: number; readonly state: string }[] {
    const gaps: { startMs: number; endMs: number; state: string }[] = [];
    const sessions = this.reader.sessions();
    for (let i = 1; i < sessions.length; i++) {
      const before = sessions[i - 1] as SessionRow;
      const after = sessions[i] as SessionRow;
      if (after.startedMs > before.endedMs)
        gaps.push({ startMs: before.endedMs, endMs: after.startedMs, state: 'not recorded' });
    }
    for (const row of this.reader.coverage(this.span.startMs, this.span.endMs))
      if (row.state !== 'healthy') gaps.push({ startMs: row.startMs, endMs: row.endMs, state: row.state });
    return gaps.sort((a, b) => a.startMs - b.startMs);
  }

  /** Moves the cursor (clamped to the recording) and tells the viewer. */
  seek(atMs: number): void {
    this.cursorMs = Math.min(this.span.endMs, Math.max(this.span.startMs, Math.round(atMs)));
    this.load();
    for (const listener of this.refreshListeners) listener();
  }

  private load(): void {
    const at = this.cursorMs;
    const instant = this.reader.processesAt(at);
    this.session = instant.ok ? instant.value.session : null;
    this.coverageAt = instant.ok ? instant.value.coverage : null;
    this.uncertainAt = instant.ok ? instant.value.endUncertain.length : 0;
    const offset = this.session?.monoOffsetMs ?? 0;
    this.procs = new Map();
    this.children = new Map();
    if (instant.ok) {
      for (const p of instant.value.processes) this.procs.set(p.pid, p);
      for (const p of instant.value.processes) {
        if (p.ppid === p.pid) continue;
        let list = this.children.get(p.ppid);
        if (list === undefined) this.children.set(p.ppid, (list = []));
        list.push(p.pid);
      }
    }
    const recorded = this.reader.exitsBetween(at - REPLAY_EXITED_MS, at);
    this.exits = recorded.slice(-MAX_EXITED).map((e) => ({
      pid: e.pid,
      ppid: e.ppid,
      comm: e.comm,
      cmdline: e.cmdline,
      user: e.user,
      status: e.status,
      startMs: e.startMs === null ? null : e.startMs - offset,
      exitMs: e.exitMs - offset,
      lifetimeMs: e.lifetimeMs,
      accounting: e.accounting,
    }));
    this.lastExits = new Map(this.exits.map((e) => [e.pid, e]));
    this.window = new ExitWindow(WINDOW_MS);
    for (const e of this.exits)
      if (e.exitMs > this.monoMs - WINDOW_MS - 1000) this.window.add(exitSampleOf(e, e.accounting));
    const host = this.reader.hostAt(at);
    this.host = host?.system ?? EMPTY_SYSTEM_STATS;
    this.rates = {
      ...zeroRates(),
      ...(host === null ? {} : { fork: host.forksPerS, exec: host.execsPerS, exit: host.exitsPerS }),
    };
  }

  // ---- EngineView ----
  get processes(): ReadonlyMap<Pid, ProcessInfo> {
    return this.procs;
  }
  childrenOf(pid: Pid): readonly Pid[] {
    return this.children.get(pid) ?? [];
  }
  get exited(): readonly ExitedProcess[] {
    return this.exits;
  }
  lastExit(pid: Pid): ExitedProcess | undefined {
    return this.lastExits.get(pid);
  }
  get system(): SystemStats {
    return this.host;
  }
  get status(): EngineStatus {
    const blind = this.coverageAt === null || this.coverageAt.state === 'blind';
    return {
      mode: blind ? 'polling' : 'netlink',
      pollingReason:
        this.coverageAt === null
          ? 'not recorded at this time'
          : blind
            ? `recorded blind: ${this.coverageAt.cause ?? 'no connector'}`
            : null,
      start: null,
      connector: null,
      resyncs: 0,
      lastResyncMs: null,
      missedForks: 0,
      // Shown alive here, but each may have ended before the cursor: its exit event was lost.
      missedExits: this.uncertainAt,
      eventRates: this.rates,
      startedMs: (this.session?.startedMs ?? this.cursorMs) - (this.session?.monoOffsetMs ?? 0),
      accounting: ACCOUNTING_NOT_ASKED,
    };
  }
  onEvents(listener: (events: readonly ProcEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }
  onRefresh(listener: () => void): () => void {
    this.refreshListeners.add(listener);
    return () => this.refreshListeners.delete(listener);
  }
  onAccountedExits(listener: (exits: readonly AccountedExit[]) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }
  exitsByCommand(): readonly CommandTotals[] {
    return this.window.byCommand(this.monoMs);
  }
  exitTotals(spanMs: number): ExitTotals {
    return this.window.total(this.monoMs, spanMs);
  }
  exitsBySubtree(): ReadonlyMap<Pid, ExitTotals> {
    return this.window.bySubtree(this.monoMs, (pid) => this.procs.get(pid)?.ppid);
  }

  // ---- EngineControl ----
  setRefreshMs(): void {
    // A recording's samples are where they are.
  }
  close(): void {
    this.eventListeners.clear();
    this.refreshListeners.clear();
    this.exitListeners.clear();
  }
  idle(): Promise<void> {
    return Promise.resolve();
  }
}
