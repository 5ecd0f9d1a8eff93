// The Ext header meter's figure: CPU that processes which exited since the last refresh used and that
// no CPU% of a living row ever showed. A process sampled alive had its CPU up to its last sample shown
// in its CPU% already, so only what it used after that counts (all of it for one born and gone
// between two samples); counting its whole life would put a 3-second job's 300% into one interval.
import type { ExitedProcess, Pid, ProcessInfo } from '../core/types.js';

export class ExitCpuMeter {
  // Each exit counts once, when its taskstats record has come (up to 0.1 s after the exit itself).
  private readonly counted = new WeakSet<ExitedProcess>();

  /**
   * CPU ms not yet shown, of the exits since `sinceMs` whose record has come. `processes` holds the
   * exited rows that linger, with the CPU time of their last sample.
   */
  take(exited: readonly ExitedProcess[], processes: ReadonlyMap<Pid, ProcessInfo>, sinceMs: number): number {
    let ms = 0;
    for (let i = exited.length - 1; i >= 0; i--) {
      const e = exited[i] as ExitedProcess;
      if (e.exitMs < sinceMs) break;
      if (e.accounting === null || this.counted.has(e)) continue;
      this.counted.add(e);
      const row = processes.get(e.pid);
      const shown = row !== undefined && row.exitMs === e.exitMs ? row.cpuTimeMs : 0;
      ms += Math.max(0, e.accounting.cpuMs - shown);
    }
    return ms;
  }
}
