// The terminal leaves the process's exit paths to cntop's lifecycle: opening a blessed screen must not
// leave blessed's own SIGTERM / SIGINT / SIGQUIT / uncaughtException handlers behind (they exit on the
// next tick, cutting the lifecycle's flush short and replacing its exit code).
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src/ui/terminal.js';

class FakeTty extends Writable {
  isTTY = true;
  columns = 80;
  rows = 24;
  override _write(_chunk: Buffer, _encoding: string, done: () => void): void {
    done();
  }
}

const EVENTS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'uncaughtException'] as const;

describe('openTerminal', () => {
  it("adds no signal or uncaught-exception handler of blessed's, and keeps its terminal-restoring exit handler", () => {
    const before = Object.fromEntries(EVENTS.map((e) => [e, process.listeners(e).length]));
    const exitBefore = process.listeners('exit').length;
    const terminal = openTerminal({ color: false, unicode: true }, { onKey: () => undefined, onMouse: () => undefined, onResize: () => undefined }, { input: new PassThrough(), output: new FakeTty() });
    try {
      for (const e of EVENTS) expect(process.listeners(e).length, e).toBe(before[e]);
      expect(process.listeners('exit').length).toBeGreaterThan(exitBefore);
    } finally {
      terminal.destroy();
    }
  });
});
