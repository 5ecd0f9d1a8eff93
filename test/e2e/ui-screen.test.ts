// Screen tests: the real UI (runUi, blessed, a real pseudo-terminal) on a FakeEngine, read back
// through a headless xterm after key presses, resizes and live events.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_PID_BASE, FakeEngine, populate } from '../helpers/fake-engine.js';
import { KEYS } from '../helpers/terminal-harness.js';
import { NON_ASCII, sgrParams } from '../helpers/terminal-text.js';
import { uiFixtureSuite } from '../helpers/ui-fixture-suite.js';

const B = FAKE_PID_BASE;
const start = uiFixtureSuite({ cols: 100, rows: 30 });

/** Process rows: the lines after the column header that start with a pid. */
function processRows(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*PID/.test(l));
  return lines.slice(header + 1).filter((l) => /^\s*\d+ /.test(l));
}

const firstPid = (text: string): number => Number(processRows(text)[0]?.trim().split(/\s+/)[0]);

/** The same machine the fixture builds, to compute expectations instead of hard-coding them. */
function expectedMachine(): FakeEngine {
  const engine = new FakeEngine();
  populate(engine, 40);
  return engine;
}

describe('the UI in a real terminal (fake engine)', () => {
  it('opens on the alternate screen with meters, the tree and the function-key bar, and prints no terminfo errors', async () => {
    const s = start();
    const text = await s.waitFor('F10Quit');
    expect(await s.bufferType()).toBe('alternate');
    for (const part of [
      'Mem[',
      'Load average:',
      'Tasks:',
      'PID',
      'CPU%',
      'TIME+',
      'AGE',
      'Command',
      '├─ sshd',
      '└─ -bash',
    ])
      expect(text).toContain(part);
    expect(s.raw).not.toContain('Error on');
  });

  it('changes the sort with F5 (flat), N, P and I', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    // The selection (init) stays selected across the toggle, and the view scrolls to it: go to the top.
    s.press(KEYS.f5);
    s.press(KEYS.home);
    const machine = [...expectedMachine().processes.values()];
    const busiest = machine.reduce((a, b) =>
      b.cpuPercent > a.cpuPercent || (b.cpuPercent === a.cpuPercent && b.pid < a.pid) ? b : a,
    );
    await s.waitFor((t) => firstPid(t) === busiest.pid);
    s.press('N');
    await s.waitFor((t) => firstPid(t) === B + 1 && /PID△/.test(t));
    s.press('I');
    s.press(KEYS.home);
    const highest = Math.max(...machine.map((p) => p.pid));
    await s.waitFor((t) => firstPid(t) === highest && /PID▽/.test(t));
    s.press('P');
    s.press(KEYS.home);
    await s.waitFor((t) => firstPid(t) === busiest.pid && /CPU%▽/.test(t));
  });

  it('toggles between the tree and the flat list with F5 and t', async () => {
    const s = start();
    await s.waitFor('├─ sshd');
    s.press(KEYS.f5);
    const flat = await s.waitFor((t) => !t.includes('├─') && t.includes('F5Tree'));
    expect(processRows(flat).length).toBeGreaterThan(10);
    s.press('t');
    await s.waitFor('├─ sshd');
  });

  it('filters to the matches and their ancestors with \\ and shows the filter in the bar', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    s.press('\\vim');
    s.press(KEYS.enter);
    // The rows narrow while typing; the bar shows the filter once Enter is taken.
    const text = await s.waitFor((t) => processRows(t).length === 4 && t.includes('filter:vim'));
    expect(processRows(text).map((r) => r.trim().split(/\s+/)[0])).toEqual([B + 1, B + 10, B + 11, B + 12].map(String));
    s.press(KEYS.f4);
    s.press(KEYS.escape);
    await s.waitFor((t) => processRows(t).length > 4);
  });

  it('finds a process with / and F9 offers to signal it, asking first', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    s.press('/cron');
    await s.waitFor('Search: cron_');
    s.press(KEYS.enter);
    s.press(KEYS.f9);
    await s.waitFor('Send signal');
    await s.waitFor(/15 SIGTERM/);
    s.press(KEYS.enter);
    const target = new RegExp(`${B + 13} +cron`);
    const confirm = await s.waitFor((t) => t.includes('Send SIGTERM (15) to:') && target.test(t));
    expect(confirm).toMatch(target);
    s.press('n');
    await s.waitFor((t) => !t.includes('Send SIGTERM'));
  });

  it('shows help listing the keys with F1, and closes it with any key', async () => {
    const s = start({ rows: 50 });
    await s.waitFor('F10Quit');
    s.press(KEYS.f1);
    const parts = ['incremental search', 'F3 /', 'F4 \\', 'F5 t', 'F9 k', 'F10 q Ctrl-C', 'Mouse'];
    // A frame can reach xterm in several writes: wait for the whole help, not its first lines.
    const help = await s.waitFor((t) => parts.every((part) => t.includes(part)));
    for (const part of parts) expect(help).toContain(part);
    s.press(KEYS.escape);
    await s.waitFor('F10Quit');
  });

  it('takes Enter sent as CR LF as one key press: k then Enter asks for confirmation instead of closing the menu', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    s.press('k');
    await s.waitFor('Send signal');
    s.press('\r\n'); // a terminal in newline mode, some serial consoles and ssh clients send Enter so
    await s.waitFor('Send SIGTERM (15) to:');
    s.press(KEYS.escape);
    await s.waitFor((t) => !t.includes('Send SIGTERM') && t.includes('F10Quit'));
  });

  it('shows the screen tabs; Tab goes to Exited, Events, History, Connector and back to the processes', async () => {
    const s = start();
    await s.waitFor((t) => /Processes +Exited +Events +History +Connector/.test(t));
    s.press('\t');
    await s.waitFor('Exited: 0 of 0 held');
    s.press('\t');
    await s.waitFor('─ Events');
    s.press('\t\t');
    await s.waitFor((t) => /LISTEN +ack in 0\.42 ms/.test(t) && !/PID△/.test(t));
    s.press('\t');
    await s.waitFor((t) => /PID△/.test(t));
  });

  it('reflows on resize: the panel leaves below 140 columns and the bar stays on the last line', async () => {
    const s = start({ cols: 160, rows: 40 });
    await s.waitFor('─ Connector');
    s.resize(80, 24);
    const small = await s.waitFor(
      (t) => !t.includes('─ Connector') && (t.split('\n')[23] ?? '').includes('F10Quit') && /PID.*Command/.test(t),
    );
    const lines = small.split('\n');
    expect(lines).toHaveLength(24);
    // Every process row is laid out for 80 columns: the pid at the left edge, nothing past column 80.
    expect(processRows(small).length).toBeGreaterThan(10);
    expect(processRows(small).every((r) => /^\d{7} /.test(r) && r.length <= 80)).toBe(true);
    s.resize(150, 35);
    await s.waitFor((t) => t.includes('─ Connector') && (t.split('\n')[34] ?? '').includes('F10Quit'));
  });

  it('shows a process on its fork event within a frame, then its exit status', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    const t0 = performance.now();
    process.kill(s.pid, 'SIGUSR1');
    await s.waitFor('newcomer --fake', 2000);
    const latencyMs = performance.now() - t0;
    console.log(`fake fork → visible row: ${latencyMs.toFixed(1)} ms (signal delivery, frame, pty, xterm parse)`);
    // A liveness bound, not a speed figure (npm run bench measures that): tens of ms normally; a second
    // means frames wait for the sampling interval instead of the event.
    expect(latencyMs).toBeLessThan(1000);
    process.kill(s.pid, 'SIGUSR2');
    await s.waitFor(/ exit 3 .*newcomer --fake/); // the EXIT column
  });

  it('selects a process by typing its PID, shows its details on Enter, and lists its exit on the Exited tab, filtered by status', async () => {
    const s = start();
    await s.waitFor('F10Quit');
    s.press(String(B + 12));
    s.press(KEYS.enter);
    await s.waitFor(
      (t) =>
        t.includes('Details (any key closes)') && t.includes('vim notes.txt') && t.includes(`Parents:  ${B + 11} bash`),
    );
    s.press(KEYS.escape);
    await s.waitFor((t) => !t.includes('Details'));
    process.kill(s.pid, 'SIGUSR1');
    await s.waitFor('newcomer --fake');
    process.kill(s.pid, 'SIGUSR2');
    await s.waitFor(/ exit 3 .*newcomer --fake/);
    s.press('\t');
    await s.waitFor(
      (t) => t.includes('Exited: 1 of 1 held') && new RegExp(`${B + 99_999} exit 3 .* newcomer --fake`).test(t),
    );
    s.press('\\SEGV\r');
    await s.waitFor((t) => t.includes('Exited: 0 of 1 held') && t.includes('no exit matches the filter'));
    s.press('\\');
    for (let i = 0; i < 4; i++) s.press(KEYS.backspace);
    s.press('exit 3\r');
    await s.waitFor('Exited: 1 of 1 held, filter: exit 3');
  });

  it('scrolls 10,000 processes: each of 30 PgDn shows a new page (latency printed; npm run bench measures frame times)', async () => {
    const s = start({ cols: 160, rows: 50, env: { CNTOP_FAKE_COUNT: '10000' } });
    await s.waitFor('F10Quit', 15_000);
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = firstPid(s.text());
      const t0 = performance.now();
      s.press(KEYS.pageDown);
      await s.waitFor((t) => firstPid(t) !== before);
      latencies.push(performance.now() - t0);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = sorted[15] as number;
    const max = sorted[sorted.length - 1] as number;
    console.log(
      `PgDn → new page on screen at 10,000 processes: p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms (key, frame, pty, xterm parse)`,
    );
    // Liveness only: ~10 ms normally; a median of half a second would mean each key re-sorts or redraws everything.
    expect(p50).toBeLessThan(500);
  });

  it('selects the clicked row (mouse)', async () => {
    const s = start();
    const text = await s.waitFor('F10Quit');
    const lines = text.split('\n');
    const y = lines.findIndex((l) => l.includes('/usr/sbin/cron'));
    // SGR mouse report: button 0 press and release at column 5 of that row (1-based).
    s.press(`\x1b[<0;5;${y + 1}M\x1b[<0;5;${y + 1}m`);
    // blessed parses one mouse report per input chunk: let the click land (the row is drawn selected) before the next key.
    await s.waitForHighlight(y, 10);
    s.press(KEYS.f9);
    s.press(KEYS.enter);
    await s.waitFor(new RegExp(`${B + 13} +cron`));
  });

  it('draws only ASCII with --ascii and no colour with NO_COLOR', async () => {
    const s = start({ env: { CNTOP_FAKE_ASCII: '1', NO_COLOR: '1' } });
    const text = await s.waitFor((t) => t.includes('|- sshd') && t.includes('`- -bash'));
    expect(text).toContain('`- -bash');
    expect(text).not.toMatch(NON_ASCII);
    // No SGR colour parameter (30-37, 40-47, 38;5, 48;5, 90-97) in anything written.
    const sgr = sgrParams(s.raw);
    expect(sgr.filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p))).toEqual([]);
  });

  it('draws with inverse video and no colour under TERM=vt100 (no colours in its terminfo), as htop does', async () => {
    const s = start({ env: { TERM: 'vt100' } });
    const text = await s.waitFor('F10Quit');
    // The selection (the first process row) is inverse; nothing asks for a colour the terminal lacks.
    const row = text.split('\n').findIndex((l) => /^\s*\d+ /.test(l));
    await s.waitForHighlight(row);
    const sgr = sgrParams(s.raw);
    expect(sgr.filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p))).toEqual([]);
    expect(sgr).toContain('7');
  });

  it.each(['xterm', 'xterm-256color', 'screen', 'tmux', 'linux', 'vt100'])(
    'starts quietly under TERM=%s and quits with q, restoring the screen',
    async (term) => {
      const s = start({ env: { TERM: term } });
      await s.waitFor('F10Quit');
      expect(s.raw).not.toContain('Error on');
      s.press('q');
      expect(await s.exitCode()).toBe(0);
      // The cursor is shown again after the last time it was hidden (vt100 has no way to hide it).
      if (s.raw.includes('\x1b[?25l'))
        expect(s.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(s.raw.lastIndexOf('\x1b[?25l'));
      if (term !== 'linux' && term !== 'vt100') {
        expect(s.raw).toContain('\x1b[?1049l');
        expect(await s.bufferType()).toBe('normal');
      }
    },
  );

  it('survives a terminfo with an extended capability blessed cannot compile (Setulc)', async ({ skip }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cntop-terminfo-'));
    const source = path.join(dir, 'setulc.src');
    const entry =
      'xterm-setulc|xterm with Setulc,\n\tuse=xterm,\n\tSetulc=\\E[58\\:2\\:\\:%p1%{65536}%/%d\\:%p1%{256}%/%{255}%&%d\\:%p1%{255}%&%d%;m,\n';
    (await import('node:fs')).writeFileSync(source, entry);
    try {
      execFileSync('tic', ['-x', '-o', dir, source], { stdio: 'pipe' });
    } catch (error) {
      skip(`tic (ncurses-bin) could not compile the entry: ${String(error)}`);
    }
    const s = start({ env: { TERM: 'xterm-setulc', TERMINFO: dir } });
    await s.waitFor('F10Quit');
    expect(s.raw).not.toContain('Error on');
    expect(s.raw).not.toContain('Setulc');
  });
});
