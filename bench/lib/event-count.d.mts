// Types for event-count.mjs (so the TypeScript tests can import it under strict checking).
import type { StormTallyResult } from './storm-tally.mjs';
export interface StormEventCount extends StormTallyResult {
  readonly lines: number;
  readonly badLines: number;
  readonly byType: Record<string, number>;
}
export function countStormEvents(path: string, stormPid: number): Promise<StormEventCount>;
export function forkstatTotal(text: string): number | null;
export function countLines(path: string): number;
export function forkstatForks(text: string): { forks: number; nobufs: number };
