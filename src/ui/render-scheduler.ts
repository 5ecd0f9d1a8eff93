// Coalesces render requests: however many events arrive, at most one frame is drawn per frame
// interval, and a request made while idle is drawn on the next turn of the event loop (so a key shows
// within one frame). Independent of the engine's sampling interval.
// The UI shares one thread with the engine that applies the events: when a frame is expensive (a
// loaded machine, a huge tree), the gap to the next frame grows to twice its cost, so drawing never
// takes more than about a third of the thread and the event backlog cannot build up behind it.
// Requests for data (connector event batches) may wait longer than requests for input (keys, resize):
// on a machine where builds start a process every few tens of milliseconds, a frame per batch was most
// of the viewer's idle CPU, while a new process shown a fraction of a second later loses nothing (it
// stays listed, highlighted, for seconds).

/** However slow frames get, the screen still updates at least this often. */
const MAX_GAP_MS = 250;

export class FrameScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (this.now() clock); Infinity when none is pending. */
  private dueMs = Infinity;
  private lastFrameMs = -Infinity;
  private gapMs: number;
  private stopped = false;

  constructor(
    private readonly minIntervalMs: number,
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
    /** Least time from one frame to a frame drawn only for data (requestData). */
    private readonly dataIntervalMs: number = minIntervalMs,
  ) {
    this.gapMs = minIntervalMs;
  }

  /** A frame for input: as soon as the frame interval allows. */
  request(): void {
    this.schedule(this.gapMs);
  }

  /** A frame for new data: no sooner than the data interval after the last frame. */
  requestData(): void {
    this.schedule(Math.max(this.gapMs, this.dataIntervalMs));
  }

  /** A frame only when none was drawn for maxAgeMs (none pending either): for once-a-second samples that the next frame shows anyway. */
  requestIfOlderThan(maxAgeMs: number): void {
    if (this.timer !== null || this.now() - this.lastFrameMs < maxAgeMs) return;
    this.request();
  }

  private schedule(gapMs: number): void {
    if (this.stopped) return;
    const now = this.now();
    const due = Math.max(now, this.lastFrameMs + gapMs);
    if (this.timer !== null) {
      if (this.dueMs <= due) return;
      clearTimeout(this.timer);
    }
    this.dueMs = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dueMs = Infinity;
      if (this.stopped) return;
      this.lastFrameMs = this.now();
      this.draw();
      const costMs = this.now() - this.lastFrameMs;
      this.gapMs = Math.max(this.minIntervalMs, Math.min(MAX_GAP_MS, 2 * costMs));
    }, due - now);
  }

  /** The current minimum time between two frames. */
  get intervalMs(): number {
    return this.gapMs;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
