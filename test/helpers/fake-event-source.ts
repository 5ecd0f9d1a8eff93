// An EventSource driven by the test: start() answers as configured, emit() delivers a batch
// synchronously, close() is counted. For unit tests of the engine's pure logic only.
import type { TaskRecord } from '../../src/core/accounting/task-record.js';
import {
  ACCOUNTING_NOT_ASKED,
  type AccountingStatus,
  type ConnectorError,
  type ConnectorStats,
  type EventBatch,
  type EventSource,
  type StartInfo,
} from '../../src/core/event-source.js';
import { PROC_EVENT_KINDS, err, ok, type ProcEvent, type ProcEventKind, type Result } from '../../src/core/types.js';

export const HEALTHY_START: StartInfo = {
  ack: { err: 0, latencyMs: 0.1 },
  rcvbufBytes: 1 << 20,
  rcvbufForced: true,
  droppedKinds: [],
};

export class FakeEventSource implements EventSource {
  private onBatch: ((batch: EventBatch) => void) | null = null;
  closeCalls = 0;
  batches = 0;
  /** What accounting() answers: set to an 'on' status to make the engine wait for records. */
  accountingStatus: AccountingStatus = ACCOUNTING_NOT_ASKED;
  /** Runs inside start(), after the subscription: lets a test emit events "during" start-up. */
  duringStart: (() => void) | null = null;

  constructor(private readonly startResult: Result<StartInfo, ConnectorError> = ok(HEALTHY_START)) {}

  static failing(error: ConnectorError): FakeEventSource {
    return new FakeEventSource(err(error));
  }

  start(onBatch: (batch: EventBatch) => void): Promise<Result<StartInfo, ConnectorError>> {
    if (this.startResult.ok) this.onBatch = onBatch;
    this.duringStart?.();
    return Promise.resolve(this.startResult);
  }

  emit(
    events: readonly ProcEvent[],
    loss: { overruns?: number; seqGapMessages?: number } = {},
    records: readonly TaskRecord[] = [],
  ): void {
    if (this.onBatch === null) throw new Error('emit before start');
    this.batches++;
    this.onBatch({
      events,
      overruns: loss.overruns ?? 0,
      seqGapMessages: loss.seqGapMessages ?? 0,
      records,
      recordOverruns: 0,
    });
  }

  accounting(): AccountingStatus {
    return this.accountingStatus;
  }

  stats(): ConnectorStats {
    const eventsByKind = {} as Record<ProcEventKind, number>;
    for (const kind of PROC_EVENT_KINDS) eventsByKind[kind] = 0;
    return {
      eventsByKind,
      batches: this.batches,
      overruns: 0,
      seqGapMessages: 0,
      malformed: 0,
      foreign: 0,
      acksSeen: 1,
      rcvbufBytes: 1 << 20,
      lastEventMs: null,
      listenSent: true,
      ignoreSent: this.closeCalls > 0,
    };
  }

  close(): void {
    this.closeCalls++;
    this.onBatch = null;
  }
}
