// Coalesces render requests: however many events arrive, at most one frame is drawn per frame
// interval, and a request made while idle is drawn on the next turn of the event loop (so a fork
// shows within one frame). Independent of the engine's sampling interval.
// The UI shares one thread with the engine that applies the events: when a frame is expensive (a
// loaded machine, a huge tree), the gap to the next frame grows to twice its cost, so drawing never
// takes more than about a third of the thread and the event backlog cannot build up behind it.

/** However slow frames get, the screen still updates at least this often. */
const MAX_GAP_MS = 250;

export class FrameScheduler {
  private timer: NodeJS.Timeout | null = null;
  private lastFrameMs = -Infinity;
  private gapMs: number;
  private stopped = false;

  constructor(
    private readonly minIntervalMs: number,
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.gapMs = minIntervalMs;
  }

  request(): void {
    if (this.timer !== null || this.stopped) return;
    const wait = Math.max(0, this.lastFrameMs + this.gapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.lastFrameMs = this.now();
      this.draw();
      const costMs = this.now() - this.lastFrameMs;
      this.gapMs = Math.max(this.minIntervalMs, Math.min(MAX_GAP_MS, 2 * costMs));
    }, wait);
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
