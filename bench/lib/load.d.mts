// Types for load.mjs (imported by the TypeScript tests).
export interface StormReport {
  readonly mode: 'exit' | 'exec';
  readonly pid: number;
  readonly targetRate: number;
  readonly durationS: number;
  readonly forkingS: number;
  readonly elapsedS: number;
  readonly children: number;
  readonly forkFailures: number;
  readonly reaped: number;
  readonly nonzeroExits: number;
  readonly childrenPerS: number;
  readonly firstPid: number;
  readonly lastPid: number;
}
export function runStorm(options: {
  mode: 'exit' | 'exec';
  durationS: number;
  rate?: number;
  inFlight?: number;
}): Promise<StormReport>;
export function eventsPerChild(mode: 'exit' | 'exec'): number;
export function startIdleSwarm(count: number): Promise<{ pid: number; count: number; stop(): Promise<void> }>;
