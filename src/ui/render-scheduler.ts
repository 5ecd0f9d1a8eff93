// Coalesces render requests: however many events arrive, at most one frame is drawn per frame
// interval, and a request made while idle is drawn on the next turn of the event loop (so a fork
// shows within one frame). Independent of the engine's sampling interval.

export class FrameScheduler {
  private timer: NodeJS.Timeout | null = null;
  private lastFrameMs = -Infinity;
  private stopped = false;

  constructor(
    private readonly minIntervalMs: number,
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    if (this.timer !== null || this.stopped) return;
    const wait = Math.max(0, this.lastFrameMs + this.minIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.lastFrameMs = this.now();
      this.draw();
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
