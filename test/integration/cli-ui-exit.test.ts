// The viewer's exit paths through main.ts and the lifecycle, in a real pseudo-terminal: q, Ctrl-C,
// SIGTERM, SIGHUP and SIGQUIT each restore the terminal, exit 0 and send exactly one IGNORE for one LISTEN.
import { describe, expect, it } from 'vitest';
import { ackMonitorForSuite } from '../helpers/ack-monitor-suite.js';
import { endGracefully, KEYS, startInTerminal } from '../helpers/terminal-harness.js';
import { MAIN, missingBuild, sleep } from './cli-harness.js';

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`cli-ui-exit tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('how the viewer ends', () => {
  const monitor = ackMonitorForSuite();

  it.each([
    ['q', (s: ReturnType<typeof startInTerminal>) => s.press('q')],
    ['Ctrl-C', (s: ReturnType<typeof startInTerminal>) => s.press(KEYS.ctrlC)],
    ['SIGTERM', (s: ReturnType<typeof startInTerminal>) => process.kill(s.pid, 'SIGTERM')],
    ['SIGHUP', (s: ReturnType<typeof startInTerminal>) => process.kill(s.pid, 'SIGHUP')],
    ['SIGQUIT', (s: ReturnType<typeof startInTerminal>) => process.kill(s.pid, 'SIGQUIT')],
  ])('on %s: terminal restored, exit 0, one LISTEN and one IGNORE', async (_name, end) => {
    const session = startInTerminal(process.execPath, [MAIN], { cols: 100, rows: 30, env: { TERM: 'xterm-256color' } });
    try {
      await session.waitFor('PID', 30_000);
      end(session);
      expect(await session.exitCode(15_000)).toBe(0);
    } finally {
      await endGracefully(session);
    }
    // Alternate screen left and cursor shown again: the shell gets its terminal back.
    const restoredAt = session.raw.lastIndexOf('\x1b[?1049l');
    expect(restoredAt).toBeGreaterThan(session.raw.lastIndexOf('\x1b[?1049h'));
    // Nothing printed after the restore: no error report, no stack trace.
    expect(session.raw.slice(restoredAt + '\x1b[?1049l'.length)).not.toMatch(/cntop:|\.js:\d+/);
    await monitor().waitFor((all) => all.some((a) => a.pid === session.pid && a.role === 'ignore'), 2000);
    await sleep(100);
    const roles = monitor()
      .from(session.pid)
      .map((a) => a.role);
    expect(roles.filter((r) => r === 'listen')).toHaveLength(1);
    expect(roles.filter((r) => r === 'ignore')).toHaveLength(1);
  });
});
