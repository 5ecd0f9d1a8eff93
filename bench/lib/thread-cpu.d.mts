// Types for thread-cpu.mjs (so the TypeScript tests can import it under strict checking).
export interface ThreadTicks {
  readonly comm: string;
  readonly ticks: number;
}
export interface ThreadCpu {
  readonly name: string;
  readonly cpuS: number;
  readonly threads: number;
}
export function parseTaskStat(text: string): ThreadTicks | null;
export function readThreads(pid: number): Map<number, ThreadTicks>;
export function threadCpuDelta(
  before: Map<number, ThreadTicks>,
  after: Map<number, ThreadTicks>,
  clkTck: number,
  totalS?: number | null,
  mainTid?: number | null,
): ThreadCpu[];
export function formatThreadCpu(rows: readonly ThreadCpu[]): string;
