// Types for event-count.mjs (so the TypeScript tests can import it under strict checking).
export interface StormEventCount {
  readonly lines: number;
  readonly badLines: number;
  readonly byType: Record<string, number>;
  readonly storm: { readonly fork: number; readonly exec: number; readonly exit: number };
  readonly unmatched: UnmatchedPids;
}
export interface UnmatchedPids {
  readonly forkWithoutExit: number[];
  readonly exitWithoutFork: number[];
}
export function unmatchedPids(forkPids: Map<number, number>, exitPids: Map<number, number>): UnmatchedPids;
export function countStormEvents(path: string, stormPid: number): Promise<StormEventCount>;
export function forkstatTotal(text: string): number | null;
