// Frames at 10,000 processes through the real blessed screen (written to an in-memory tty): the rows on
// screen are the right slice of the order computed from scratch, while scrolling and while event
// bursts arrive (the order is then updated incrementally). Behaviour only: how fast frames are is
// measured by the benchmarks (bench/cases/frame-time.mjs) and test/e2e/fixtures/frame-storm.ts.
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pid } from '../../../src/core/types.js';
import { App } from '../../../src/ui/app.js';
import type { Canvas } from '../../../src/ui/canvas.js';
import { SYSTEM_CLOCK } from '../../../src/ui/clock.js';
import { UNICODE_GLYPHS } from '../../../src/ui/glyphs.js';
import { orderProcesses } from '../../../src/ui/process-order.js';
import { openTerminal } from '../../../src/ui/terminal.js';
import { FAKE_PID_BASE, FakeEngine, populate } from '../../helpers/fake-engine.js';
import { NullTty } from '../../helpers/null-tty.js';

const engine = new FakeEngine();
populate(engine, 10_000);
let lastCanvas: Canvas | null = null;
let press: (name: string) => void = () => undefined;
const app = new App({
  engine,
  openTerminal: (handlers) => {
    press = (name) => handlers.onKey(name.length === 1 ? name : undefined, { name, full: name });
    const real = openTerminal({ color: true, unicode: true }, handlers, {
      input: new PassThrough(),
      output: new NullTty(200, 60),
    });
    return {
      get width() {
        return real.width;
      },
      get height() {
        return real.height;
      },
      paint(canvas, charts) {
        lastCanvas = canvas;
        real.paint(canvas, charts);
      },
      destroy() {
        real.destroy();
      },
    };
  },
  system: { sendSignal: () => undefined, getPriority: () => 0, setPriority: () => undefined },
  clock: SYSTEM_CLOCK,
  glyphs: UNICODE_GLYPHS,
  ascii: false,
  health: undefined,
  repair: undefined,
  requestExit: () => undefined,
  frameMs: 0,
});
afterAll(() => app.stop());

/** Runs `step`, then waits for the frame it caused. */
async function frameAfter(step: () => void): Promise<void> {
  const before = app.frameTimings.length;
  step();
  for (let waited = 0; app.frameTimings.length === before && waited < 5000; waited++)
    await new Promise((resolve) => setTimeout(resolve, 1));
  expect(app.frameTimings.length).toBeGreaterThan(before);
}

/**
 * Pids of the rows on screen, top to bottom (a process row starts with its right-aligned pid); a
 * summary row of folded exits ("… 12 more exited") stands for minus its parent's pid, as in the order.
 */
function screenPids(): Pid[] {
  const rows = (lastCanvas?.text() ?? '').split('\n');
  const header = rows.findIndex((r) => /^\s*PID/.test(r));
  const fresh = orderProcesses(engine, app.state, SYSTEM_CLOCK.monotonicMs());
  const ids: Pid[] = [];
  for (const r of rows.slice(header + 1, header + 1 + app.listRows())) {
    const pid = /^\s*(\d+) /.exec(r)?.[1];
    if (pid !== undefined) ids.push(Number(pid));
    else if (/ more exited /.test(r)) {
      // The summary's parent: the nearest row above at a shallower depth is not parsed here; find it in the order.
      const at = fresh.pids.indexOf(ids[ids.length - 1] as Pid);
      const next = fresh.pids.slice(at + 1).find((p) => p < 0);
      if (next !== undefined) ids.push(next);
    }
  }
  return ids;
}

/** The screen shows a contiguous slice of the order computed from scratch, as long as the screen allows. */
function expectSliceOfFreshOrder(): Pid[] {
  const fresh = orderProcesses(engine, app.state, SYSTEM_CLOCK.monotonicMs()).pids;
  const shown = screenPids();
  const start = fresh.indexOf(shown[0] as Pid);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(shown).toEqual(fresh.slice(start, start + shown.length));
  expect(shown.length).toBe(Math.min(fresh.length - start, app.listRows()));
  return shown;
}

describe('frames at 10,000 processes (200x60, real blessed output)', () => {
  app.start();

  it('shows the top of the tree first, then the right page after scrolling', async () => {
    await frameAfter(() => app.requestRender());
    expect(screenPids()[0]).toBe(FAKE_PID_BASE + 1);
    expectSliceOfFreshOrder();
    for (let i = 0; i < 5; i++) await frameAfter(() => press('pagedown'));
    const shown = expectSliceOfFreshOrder();
    expect(shown[0]).not.toBe(FAKE_PID_BASE + 1);
  });

  it('keeps the rows right while fork and exit bursts arrive (incremental order), following the newest', async () => {
    await frameAfter(() => press('f'));
    let next = FAKE_PID_BASE + 60_000;
    for (let burst = 0; burst < 60; burst++) {
      await frameAfter(() => {
        for (let i = 0; i < 10; i++) engine.fork(FAKE_PID_BASE + 11 + (i % 4), next++, `storm${i}`, ['storm']);
        for (let i = 0; i < 5; i++) engine.exit(next - 10 - 3 * i, { code: 0, signal: null, coreDumped: false });
        if (burst % 20 === 19) engine.sweep();
      });
      expectSliceOfFreshOrder();
      expect(app.state.selectedPid).toBe(next - 1);
      expect(screenPids()).toContain(next - 1);
    }
  });

  it('re-sorts the flat list by CPU% after a refresh', async () => {
    await frameAfter(() => press('f'));
    await frameAfter(() => press('f5'));
    await frameAfter(() => press('home'));
    await frameAfter(() => engine.refresh());
    const shown = expectSliceOfFreshOrder();
    const cpu = shown.map((pid) => engine.processes.get(pid)?.cpuPercent ?? -1);
    expect(cpu).toEqual([...cpu].sort((a, b) => b - a));
  });
});
