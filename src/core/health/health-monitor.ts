// The runtime side of connector health: keeps the facts about the live engine current (loss, drift and
// taskstats records from EngineStatus, a rate-limited canary when the machine is quiet, a checkup when
// the canary fails or the LISTEN went unanswered) and derives the report the UI shows. The kernel is
// reached only through the injected ports (native/health-runtime.ts builds the real ones).
import type { Clock, TimerHandle } from '../clock.js';
import type { EngineView } from '../engine-api.js';
import type { CheckupResult } from './checkup.js';
import { deriveHealth } from './derive-health.js';
import { lostEvents, type AccessFacts, type CanaryOutcome, type HealthFacts } from './health-facts.js';
import type { HealthReport } from './health-types.js';
import { semanticsFromRelease } from './semantics-probe.js';

export interface MonitorPorts {
  readonly clock: Clock;
  readonly release: string;
  readonly access: AccessFacts;
  /** Gate, deficit (undone unless repair), semantics and canary, as of now (cntop's LISTEN is held). */
  readonly checkup: (repair: boolean) => Promise<CheckupResult>;
  readonly canary: () => Promise<CanaryOutcome>;
}

export interface MonitorOptions {
  /** A canary runs only when no event arrived for this long: busy machines prove flow by themselves. */
  readonly quietMs: number;
  /** And at most this often. */
  readonly canaryIntervalMs: number;
  readonly tickMs: number;
}

export const DEFAULT_MONITOR_OPTIONS: MonitorOptions = { quietMs: 3000, canaryIntervalMs: 15_000, tickMs: 1000 };

export class HealthMonitor {
  private checkup: CheckupResult | null = null;
  private canary: CanaryOutcome | null = null;
  private busy: Promise<unknown> | null = null;
  private timer: TimerHandle | null = null;
  private closed = false;
  private seenLost = 0;
  private lastLossMs: number | null = null;
  private seenDrift = 0;
  private lastDriftMs: number | null = null;
  private seenRecords = 0;
  private lastRecordMs: number | null = null;
  private seenRecordOverruns = 0;
  private lastRecordLossMs: number | null = null;

  constructor(
    private readonly engine: EngineView,
    private readonly ports: MonitorPorts,
    private readonly options: MonitorOptions = DEFAULT_MONITOR_OPTIONS,
  ) {}

  /** First checkup at once (it measures the deficit when the LISTEN went unanswered), then ticks. */
  start(): void {
    if (this.engine.status.mode === 'netlink') void this.exclusive(() => this.runCheckup(false));
    this.schedule();
  }

  report(): HealthReport {
    return deriveHealth(this.facts());
  }

  /** What the UI's R does. Resolves with a plain-words before/after account; never rejects. */
  async repair(): Promise<string> {
    if (this.engine.status.mode !== 'netlink')
      return 'Nothing to repair: cntop is polling /proc, it holds no LISTEN of its own.';
    if (this.ports.access.initPidNs === false || this.ports.access.initUserNs === false) {
      return 'Cannot repair from here: outside the initial namespaces the kernel drops every LISTEN.';
    }
    if (this.busy !== null) await this.busy.catch(() => undefined);
    const result = await this.exclusive(() => this.runCheckup(true));
    return result === null ? 'The check could not run (see the connector panel).' : describeRepair(result);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.ports.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private facts(): HealthFacts {
    const status = this.engine.status;
    const nowMs = this.ports.clock.nowMs();
    this.trackTroubles(nowMs);
    const observed = this.checkup?.semantics;
    const canary = latest(this.canary, this.checkup?.canary ?? null);
    return {
      nowMs,
      mode: status.mode,
      pollingReason: status.pollingReason,
      kernel:
        observed !== undefined && observed !== null && observed.semantics !== 'unknown'
          ? {
              release: this.ports.release,
              semantics: observed.semantics,
              semanticsEvidence: `observed: ${observed.evidence}`,
            }
          : {
              release: this.ports.release,
              semantics: semanticsFromRelease(this.ports.release),
              semanticsEvidence: 'from the release',
            },
      ack: status.start?.ack ?? null,
      gate: this.checkup?.gate ?? null,
      canary,
      deficit: this.checkup?.deficit ?? null,
      deficitBeyond: this.checkup?.deficitBeyond ?? null,
      repair: this.checkup?.repair ?? null,
      loss: {
        overruns: status.connector?.overruns ?? 0,
        seqGapMessages: status.connector?.seqGapMessages ?? 0,
        lastLossMs: this.lastLossMs,
      },
      drift: { missedForks: status.missedForks, missedExits: status.missedExits, lastDriftMs: this.lastDriftMs },
      lastEventMs: status.connector?.lastEventMs ?? null,
      access: this.ports.access,
      taskstats: { accounting: status.accounting, lastRecordMs: this.lastRecordMs, lastLossMs: this.lastRecordLossMs },
    };
  }

  /** Loss and drift counters only grow; remember when they last grew. */
  private trackTroubles(nowMs: number): void {
    const status = this.engine.status;
    const lost = lostEvents({
      overruns: status.connector?.overruns ?? 0,
      seqGapMessages: status.connector?.seqGapMessages ?? 0,
      lastLossMs: null,
    });
    if (lost > this.seenLost) this.lastLossMs = nowMs;
    this.seenLost = lost;
    const drift = status.missedForks + status.missedExits;
    if (drift > this.seenDrift) this.lastDriftMs = nowMs;
    this.seenDrift = drift;
    // Taskstats: records that keep coming prove flow; overruns lose records.
    const { records, overruns } = status.accounting;
    if (records > this.seenRecords) this.lastRecordMs = nowMs;
    this.seenRecords = records;
    if (overruns > this.seenRecordOverruns) this.lastRecordLossMs = nowMs;
    this.seenRecordOverruns = overruns;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.ports.clock.setTimer(() => this.tick(), this.options.tickMs);
  }

  private tick(): void {
    this.timer = null;
    if (this.closed) return;
    const nowMs = this.ports.clock.nowMs();
    this.trackTroubles(nowMs);
    if (this.busy === null && this.canaryDue(nowMs)) void this.exclusive(() => this.runCanary());
    this.schedule();
  }

  private canaryDue(nowMs: number): boolean {
    const status = this.engine.status;
    if (status.mode !== 'netlink') return false;
    const lastEvent = status.connector?.lastEventMs ?? null;
    if (lastEvent !== null && nowMs - lastEvent < this.options.quietMs) return false;
    const lastCanary = latest(this.canary, this.checkup?.canary ?? null)?.atMs ?? null;
    return lastCanary === null || nowMs - lastCanary >= this.options.canaryIntervalMs;
  }

  private async runCanary(): Promise<void> {
    const outcome = await this.ports.canary();
    if (this.closed) return;
    this.canary = outcome;
    // A deaf listener: find out why (gate, deficit) right away, without repairing.
    if (!outcome.ok) await this.runCheckup(false);
  }

  private async runCheckup(repair: boolean): Promise<CheckupResult> {
    const result = await this.ports.checkup(repair);
    if (!this.closed) this.checkup = result;
    return result;
  }

  /** One kernel conversation at a time: probes must not interleave their LISTENs and IGNOREs. */
  private async exclusive<T>(work: () => Promise<T>): Promise<T | null> {
    const running = work();
    this.busy = running;
    try {
      return await running;
    } catch {
      return null; // expected failures are values inside CheckupResult; a throw here is a bug elsewhere
    } finally {
      if (this.busy === running) this.busy = null;
    }
  }
}

function latest(a: CanaryOutcome | null, b: CanaryOutcome | null): CanaryOutcome | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.atMs >= b.atMs ? a : b;
}

export function describeRepair(result: CheckupResult): string {
  const repair = result.repair;
  if (result.deficit === 0) return 'Nothing to repair: the listener gate is open (the counter is not below zero).';
  if (result.deficit === null) {
    const beyond = result.deficitBeyond === null ? '' : ` (more than ${result.deficitBeyond} short; gave up)`;
    return `Could not measure the deficit${beyond}; nothing was changed. ${result.problems.join('; ')}`.trim();
  }
  if (repair === null || !repair.repaired) {
    return `Deficit ${result.deficit} measured, but the gate did not open after adding ${repair?.listenersAdded ?? 0} listener(s): another program changed the counter meanwhile.`;
  }
  const canary =
    result.canary?.ok === true
      ? `events flow again (canary in ${result.canary.latencyMs?.toFixed(0) ?? '?'} ms)`
      : 'the canary did not confirm events yet';
  return `Before: the counter stood ${result.deficit} below zero. Added ${repair.listenersAdded} listener(s) on throwaway sockets. After: deficit ${repair.deficitAfter ?? '?'}, ${canary}.`;
}
