// Frame time at 10,000 processes through the real blessed screen (its diff and SGR output included),
// written to an in-memory tty stream. Prints the figures; asserts the 16 ms budget on the median.
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/app.js';
import { SYSTEM_CLOCK } from '../../../src/ui/clock.js';
import { UNICODE_GLYPHS } from '../../../src/ui/glyphs.js';
import { openTerminal } from '../../../src/ui/terminal.js';
import { FAKE_PID_BASE, FakeEngine, populate } from '../../helpers/fake-engine.js';

class FakeTty extends Writable {
  isTTY = true;
  columns = 200;
  rows = 60;
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

function stats(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

const engine = new FakeEngine();
populate(engine, 10_000);
const output = new FakeTty();
const input = new PassThrough();
let onKey: ((ch: string | undefined, key: { name: string; full: string }) => void) | null = null;
const app = new App({
  engine,
  openTerminal: (handlers) => {
    onKey = (ch, key) => handlers.onKey(ch, key);
    return openTerminal({ color: true, unicode: true }, handlers, { input, output });
  },
  system: { sendSignal: () => undefined, getPriority: () => 0, setPriority: () => undefined },
  clock: SYSTEM_CLOCK, glyphs: UNICODE_GLYPHS, ascii: false, health: undefined, repair: undefined,
  requestExit: () => undefined, frameMs: 0,
});
afterAll(() => app.stop());

/** Wall time per frame, as the App records it around order + compose + paint (blessed's diff and write). */
async function frames(count: number, step: (i: number) => void): Promise<number[]> {
  const start = app.frameTimesMs.length;
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const before = app.frameTimesMs.length;
    step(i);
    // One frame per step: wait for it (the scheduler spaces frames to twice their cost).
    for (let waited = 0; app.frameTimesMs.length === before && waited < 500; waited++) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const used = process.cpuUsage(cpu);
  const drawn = app.frameTimesMs.length - start;
  // CPU time is less disturbed by other load on the machine than wall time.
  console.log(`  CPU per frame (step included): ${((used.user + used.system) / 1000 / Math.max(1, drawn)).toFixed(2)} ms over ${drawn} frames`);
  return app.frameTimesMs.slice(start);
}

describe('frame time at 10,000 processes (200x60, tree view, real blessed output)', () => {
  app.start();

  it('scrolls with cached order well inside a 16 ms frame', async () => {
    const times = await frames(200, (i) => onKey?.(undefined, i % 20 === 0 ? { name: 'pagedown', full: 'pagedown' } : { name: 'down', full: 'down' }));
    const s = stats(times);
    console.log(`scroll frames: n=${times.length} p50=${s.p50.toFixed(2)} ms p95=${s.p95.toFixed(2)} ms max=${s.max.toFixed(2)} ms`);
    expect(times.length).toBeGreaterThanOrEqual(190);
    expect(s.p50).toBeLessThan(16);
  });

  it('redraws after every event batch (order rebuilt: tree + sort of 10,000) inside a 16 ms frame', async () => {
    const times = await frames(100, (i) => engine.fork(FAKE_PID_BASE + 11, FAKE_PID_BASE + 50_000 + i, `storm${i}`, ['storm']));
    const s = stats(times);
    console.log(`event frames: n=${times.length} p50=${s.p50.toFixed(2)} ms p95=${s.p95.toFixed(2)} ms max=${s.max.toFixed(2)} ms; ${output.bytes} bytes written in all`);
    expect(times.length).toBeGreaterThanOrEqual(95);
    expect(s.p50).toBeLessThan(16);
  });

  it('re-sorts the flat list by CPU% after a refresh inside a 16 ms frame', async () => {
    onKey?.(undefined, { name: 'f5', full: 'f5' });
    const times = await frames(60, () => engine.refresh());
    const s = stats(times);
    console.log(`flat refresh frames: n=${times.length} p50=${s.p50.toFixed(2)} ms p95=${s.p95.toFixed(2)} ms max=${s.max.toFixed(2)} ms`);
    expect(s.p50).toBeLessThan(16);
  });
});
