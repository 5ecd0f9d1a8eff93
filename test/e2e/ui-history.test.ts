// Screen tests of the history view (key g): blessed-contrib line charts in braille where the terminal
// can show braille, honest ASCII sparklines where it cannot, no colour under NO_COLOR, and the process
// list back when the view closes. The real UI on a FakeEngine in a pseudo-terminal, read through xterm.
import { describe, expect, it } from 'vitest';
import { KEYS } from '../helpers/terminal-harness.js';
import { NON_ASCII, sgrParams } from '../helpers/terminal-text.js';
import { uiFixtureSuite } from '../helpers/ui-fixture-suite.js';

const start = uiFixtureSuite({ cols: 100, rows: 30, env: { CNTOP_FAKE_RATES: '1' } });

const BRAILLE = /[\u2801-\u28ff]/;

/** SGR colour parameters (30-38, 40-48, 90-97, 100-107) in what the program wrote from `from` on. */
function colourParams(raw: string, from: number): string[] {
  const sgr = sgrParams(raw.slice(from));
  return sgr.filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
}

describe('the history view (g)', () => {
  it('shows braille line charts with labels and axes, and g brings the process list back', async () => {
    const s = start();
    await s.waitFor('├─ sshd');
    s.press('g');
    // The first charts need two samples (one per second). A frame can reach xterm in several writes:
    // wait for all of it rather than asserting on a half-parsed screen.
    const parts = [
      'History: last 120 s',
      'fork/s: now',
      'exec/s: now',
      'exit/s: now',
      'all events/s: now',
      'CPU% (all cores): now',
      'memory used %: now',
    ];
    const charts = await s.waitFor((t) => BRAILLE.test(t) && parts.every((part) => t.includes(part)), 6000);
    // x axis: the newest sample is "now", older ones "-Ns"; the CPU% axis is fixed at 0-100.
    expect(charts).toMatch(/ now\b/);
    expect(charts).toMatch(/-\d+s/);
    expect(charts).not.toContain('├─ sshd');
    s.press('g');
    // A frame can reach xterm in several writes: wait for the whole list (a chart left behind times out).
    const list = await s.waitFor((t) => t.includes('├─ sshd') && !t.includes('History:') && !BRAILLE.test(t));
    expect(list).not.toMatch(BRAILLE);
    expect(list).toMatch(/PID.*Command/);
  });

  it('follows the samples: the fork chart title changes with the rate', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    s.press('g');
    const first = /fork\/s: now ([\d.]+)/.exec(await s.waitFor('fork/s: now', 6000))?.[1];
    await s.waitFor((t) => /fork\/s: now ([\d.]+)/.exec(t)?.[1] !== first, 4000);
  });

  it('leaves the help opened over the charts readable (F1), and the charts come back when it closes', async () => {
    // The process keys (F9's signal menu) belong to the Processes screen; the help opens on every screen.
    const s = start();
    await s.waitFor('F10Quit');
    s.press('g');
    await s.waitFor((t) => BRAILLE.test(t) && t.includes('fork/s: now'), 6000);
    s.press(KEYS.f1);
    await s.waitFor((t) => t.includes('incremental search') && !BRAILLE.test(t));
    s.press(KEYS.escape);
    await s.waitFor((t) => !t.includes('incremental search') && BRAILLE.test(t));
  });

  it('draws the charts without colour under NO_COLOR', async () => {
    const s = start({ env: { NO_COLOR: '1' } });
    await s.waitFor('F10Quit');
    const from = s.raw.length;
    s.press('g');
    await s.waitFor((t) => BRAILLE.test(t) && t.includes('fork/s: now'), 6000);
    expect(colourParams(s.raw, from)).toEqual([]);
  });

  it('falls back to ASCII sparklines with --ascii and says why', async () => {
    const s = start({ env: { CNTOP_FAKE_ASCII: '1' } });
    await s.waitFor('F10Quit');
    s.press('g');
    const text = await s.waitFor(
      (t) => t.includes('no braille on this terminal') && /fork\/s +now [\d.]+ max/.test(t),
      6000,
    );
    expect(text).not.toMatch(NON_ASCII);
    s.press('g');
    await s.waitFor('|- sshd');
  });

  it('uses no braille on the Linux console even with a UTF-8 locale', async () => {
    const s = start({ env: { TERM: 'linux' } });
    await s.waitFor('F10Quit');
    s.press('g');
    const text = await s.waitFor(
      (t) => t.includes('no braille on this terminal') && /CPU% \(all cores\) +now/.test(t),
      6000,
    );
    expect(text).not.toMatch(BRAILLE);
  });

  it('is listed in the help screen', async () => {
    const s = start({ rows: 50 });
    await s.waitFor('F10Quit');
    s.press(KEYS.f1);
    // Waits for the lines themselves: a frame can arrive in several writes, and xterm parses as they
    // come, so the help's later sections may not be on the screen yet when its first ones are.
    const help = await s.waitFor(/\bg +history: charts of events\/s by kind[\s\S]*incremental search/);
    expect(help).toMatch(/\bg +history: charts of events\/s by kind/);
    expect(help).toContain('incremental search');
  });
});
