// Types for storm-tally.mjs (so the TypeScript tests can import it under strict checking).
export const SAME_LIFE_MS: number;
export interface UnmatchedPids {
  readonly forkWithoutExit: number[];
  readonly exitWithoutFork: number[];
}
export interface StormTallyResult {
  readonly storm: { readonly fork: number; readonly exec: number; readonly exit: number };
  readonly exitsWithParentZero: number;
  /** The storm's exits with a taskstats record joined, without one, and that did not say. */
  readonly records: { readonly withRecord: number; readonly withoutRecord: number; readonly unknown: number };
  readonly unmatched: UnmatchedPids;
}
export interface StormTally {
  fork(pid: number, parent: number, ms: number): void;
  exit(pid: number, parent: number, ms: number, accounted?: boolean): void;
  exec(pid: number, ms: number): void;
  result(stormPid: number): StormTallyResult;
  exitsOf(pid: number): { parent: number; ms: number }[];
}
export function createStormTally(): StormTally;
export function unmatchedPids(forkPids: Map<number, number>, exitPids: Map<number, number>): UnmatchedPids;
