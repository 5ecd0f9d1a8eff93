// Types for synthetic.mjs (so the TypeScript tests can import it under strict checking).
import type { ProcEvent } from '../../src/core/types.js';
import type { Clock } from '../../src/core/clock.js';
import type { EventSource } from '../../src/core/event-source.js';

export interface SimulatedClock extends Clock {
  advance(ms: number): void;
}
export function simulatedClock(startMs: number): SimulatedClock;
export function lifecycleBatches(options: {
  parentPid: number;
  totalEvents: number;
  batchEvents: number;
  eventsPerSecond: number;
  startMs: number;
}): Generator<ProcEvent[]>;
export function pushSource(): { source: EventSource; push(events: ProcEvent[]): void };
