// Events per second by kind, over the last whole second.
import { PROC_EVENT_KINDS, type ProcEvent, type ProcEventKind } from './types.js';

function zeroCounts(): Record<ProcEventKind, number> {
  const counts = {} as Record<ProcEventKind, number>;
  for (const kind of PROC_EVENT_KINDS) counts[kind] = 0;
  return counts;
}

export class EventRates {
  private counts = zeroCounts();
  private windowStartMs: number;
  rates: Readonly<Record<ProcEventKind, number>> = zeroCounts();

  constructor(nowMs: number) {
    this.windowStartMs = nowMs;
  }

  count(events: readonly ProcEvent[]): void {
    for (const event of events) this.counts[event.kind]++;
  }

  /** Closes the current window: rates become its counts per second. */
  roll(nowMs: number): void {
    const seconds = (nowMs - this.windowStartMs) / 1000;
    const rates = zeroCounts();
    if (seconds > 0) for (const kind of PROC_EVENT_KINDS) rates[kind] = this.counts[kind] / seconds;
    this.rates = rates;
    this.counts = zeroCounts();
    this.windowStartMs = nowMs;
  }
}
