// Recognises the canary child's fork, exec and exit among the events (pure). Events may arrive before
// the child's pid is known (the reader is a separate thread), so everything seen is kept by tgid.
import type { Pid, ProcEvent } from '../types.js';

export type CanaryStage = 'fork' | 'exec' | 'exit';

export class CanaryWatch {
  private pid: Pid | null = null;
  private readonly seenByTgid = new Map<Pid, Map<CanaryStage, number>>();

  /** Events from before the pid is known are buffered, at most this many distinct tgids. */
  constructor(private readonly maxBuffered = 4096) {}

  expect(pid: Pid): void {
    this.pid = pid;
  }

  /** Records the canary-relevant events; receivedMs is when cntop got them (monotonic). */
  feed(events: readonly ProcEvent[], receivedMs: number): void {
    for (const event of events) {
      const stage = stageOf(event);
      if (stage === null) continue;
      if (this.pid !== null && event.tgid !== this.pid) continue;
      let stages = this.seenByTgid.get(event.tgid);
      if (stages === undefined) {
        if (this.seenByTgid.size >= this.maxBuffered) continue;
        stages = new Map();
        this.seenByTgid.set(event.tgid, stages);
      }
      if (!stages.has(stage)) stages.set(stage, receivedMs);
    }
  }

  /** Stages seen for the expected pid, in the order fork, exec, exit. */
  seen(): CanaryStage[] {
    const stages = this.pid === null ? undefined : this.seenByTgid.get(this.pid);
    return (['fork', 'exec', 'exit'] as const).filter((s) => stages?.has(s) === true);
  }

  complete(): boolean {
    return this.seen().length === 3;
  }

  /** When the last of the three arrived, or null while incomplete. */
  completedMs(): number | null {
    const stages = this.pid === null ? undefined : this.seenByTgid.get(this.pid);
    if (stages === undefined || stages.size < 3) return null;
    return Math.max(...stages.values());
  }
}

/** The fork event names the child in pid/tgid; exec and exit name the process itself. */
function stageOf(event: ProcEvent): CanaryStage | null {
  switch (event.kind) {
    case 'fork':
      return event.pid === event.tgid ? 'fork' : null; // a thread creation is not the canary's fork
    case 'exec':
      return 'exec';
    case 'exit':
      return event.pid === event.tgid ? 'exit' : null;
    default:
      return null;
  }
}
