// The time cursor of `cntop replay` over a ReplayEngine: steps of the recording's sample interval,
// jumps to typed times, rewinds, and plays (one step a second). It satisfies the viewer's TimeCursor
// (src/ui/time-cursor.ts) by shape; record/ never imports the UI.
import { formatDuration } from '../core/describe/duration.js';
import type { ReplayEngine } from './replay-engine.js';
import { formatInstant, parseInstant } from './units.js';

export class ReplayCursor {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly engine: ReplayEngine,
    private readonly stepMs: number,
    private readonly playEveryMs = 1000,
  ) {}

  get playing(): boolean {
    return this.timer !== null;
  }

  label(): string {
    return `replay ${formatInstant(this.engine.atMs).slice(0, 19)} · step ${formatDuration(this.stepMs)} · ${this.playing ? 'playing' : 'paused'}`;
  }

  gap(): string | null {
    if (!this.engine.recorded) return 'not recorded';
    const coverage = this.engine.coverage;
    if (coverage === null || coverage.state === 'healthy') return null;
    return `${coverage.state}${coverage.cause === null ? '' : `: ${coverage.cause}`}`;
  }

  step(direction: 1 | -1): void {
    this.engine.seek(this.engine.atMs + direction * this.stepMs);
  }

  jump(text: string): string | null {
    const at = parseInstant(text, this.engine.span.endMs);
    if (!at.ok) return at.error;
    if (at.value < this.engine.span.startMs || at.value > this.engine.span.endMs) {
      return `${formatInstant(at.value)} is outside the recording (${formatInstant(this.engine.span.startMs)} to ${formatInstant(this.engine.span.endMs)})`;
    }
    this.engine.seek(at.value);
    return null;
  }

  rewind(): void {
    this.engine.seek(this.engine.span.startMs);
  }

  togglePlay(): void {
    if (this.timer !== null) {
      this.stop();
      return;
    }
    this.timer = setInterval(() => {
      if (this.engine.atMs >= this.engine.span.endMs) {
        this.stop();
        return;
      }
      this.step(1);
    }, this.playEveryMs);
    this.timer.unref();
    // The bar says "playing" at once, not a second later.
    this.engine.seek(this.engine.atMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
