// The terminal leaves the process's exit paths to cntop's lifecycle: opening a blessed screen must not
// leave blessed's own SIGTERM / SIGINT / SIGQUIT / uncaughtException handlers behind (they exit on the
// next tick, cutting the lifecycle's flush short and replacing its exit code).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openTerminal } from '../../../src/ui/terminal.js';
import { NullTty } from '../../helpers/null-tty.js';

const EVENTS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'uncaughtException', 'exit'];
const listeners = (event: string): number => (process as NodeJS.EventEmitter).listenerCount(event);

describe('openTerminal', () => {
  it("adds no signal or uncaught-exception handler of blessed's, and keeps its terminal-restoring exit handler", () => {
    const before = Object.fromEntries(EVENTS.map((e) => [e, listeners(e)]));
    const terminal = openTerminal(
      { color: false, unicode: true },
      { onKey: () => undefined, onMouse: () => undefined, onResize: () => undefined },
      { input: new PassThrough(), output: new NullTty(80, 24) },
    );
    try {
      for (const e of EVENTS.slice(0, 4)) expect(listeners(e), e).toBe(before[e]);
      expect(listeners('exit')).toBeGreaterThan(before['exit'] as number);
    } finally {
      terminal.destroy();
    }
  });
});

describe('colour support', () => {
  it('uses the colour theme only where the terminfo has at least 8 colours (vt100 has none: inverse video)', async () => {
    const { hasColours } = await import('../../../src/ui/terminal.js');
    expect(hasColours(-1)).toBe(false);
    expect(hasColours(undefined)).toBe(false);
    expect(hasColours(8)).toBe(true);
    expect(hasColours(256)).toBe(true);
  });
});
