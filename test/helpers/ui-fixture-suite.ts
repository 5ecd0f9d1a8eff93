// The screen tests' shared set-up: the fake-engine UI fixture compiled once per file, one viewer in a
// pseudo-terminal per test, killed after it.
import { afterEach, beforeAll } from 'vitest';
import { buildUiFixture, startInTerminal, type StartOptions, type TerminalSession } from './terminal-harness.js';

/** Call at the top of a test file; the returned start() opens the fixture UI (defaults, then options; env merged). */
export function uiFixtureSuite(defaults: StartOptions = {}): (options?: StartOptions) => TerminalSession {
  let fixture = '';
  let session: TerminalSession | null = null;
  beforeAll(async () => {
    fixture = await buildUiFixture();
  }, 120_000);
  afterEach(() => {
    session?.kill();
    session = null;
  });
  return (options = {}) => {
    session = startInTerminal(process.execPath, [fixture], {
      ...defaults,
      ...options,
      env: { ...defaults.env, ...options.env },
    });
    return session;
  };
}
