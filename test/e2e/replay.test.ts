// `cntop replay` in a real terminal over a small recording (built without the kernel): the tree as it
// was at the cursor, atop's keys move it (t / T steps, b a typed time, r back to the start), and the
// viewer is read-only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/record/units.js';
import { buildRecording, type RecordingFixture } from '../helpers/recording-fixture.js';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'cntop-replay-'));
const path = join(dir, 'rec.db');
let fixture: RecordingFixture;
const sessions: TerminalSession[] = [];

beforeAll(async () => {
  fixture = await buildRecording(path);
});
afterAll(async () => {
  for (const s of sessions) await endGracefully(s);
  rmSync(dir, { recursive: true, force: true });
});

const second = (ms: number): string => formatInstant(ms).slice(0, 19);

describe('cntop replay', () => {
  it('shows the tree at the cursor, and t / T / b / r move it', async () => {
    const s = startInTerminal(process.execPath, [join(REPO_ROOT, 'dist/main.js'), 'replay', path], {
      cols: 140,
      rows: 30,
    });
    sessions.push(s);
    // It opens at the end of the recording: make has ended by then.
    await s.waitFor(`replay ${second(fixture.endMs)}`, 15_000);
    await s.waitFor('sleep 600');
    expect(s.text()).not.toContain('make -j2');
    s.press('b');
    await s.waitFor('jump to (');
    s.press(`@${fixture.makeStartMs + 500}`);
    s.press(KEYS.enter);
    await s.waitFor(`replay ${second(fixture.makeStartMs + 500)}`);
    await s.waitFor('make -j2');
    s.press('t');
    await s.waitFor(`replay ${second(fixture.makeStartMs + 1500)}`);
    expect(s.text()).toContain('make -j2');
    s.press('t');
    s.press('t');
    await s.waitFor(`replay ${second(fixture.makeStartMs + 3500)}`);
    await s.waitFor((text) => !text.includes('make -j2'));
    s.press('T');
    s.press('T');
    await s.waitFor('make -j2');
    s.press('r');
    await s.waitFor(`replay ${second(fixture.startMs)}`);
    await s.waitFor((text) => !text.includes('make -j2') && text.includes('sleep 600'));
    s.press('b');
    s.press('yesterday-ish');
    s.press(KEYS.enter);
    await s.waitFor('is not a time');
    // A recording's pids are someone else's now: no signal can be sent from a replay.
    s.press('k');
    await s.waitFor('read-only');
    s.press('q');
    expect(await s.exitCode(10_000)).toBe(0);
  });

  it('says when there is no recording, and exits 1', async () => {
    const s = startInTerminal(process.execPath, [join(REPO_ROOT, 'dist/main.js'), 'replay', join(dir, 'none.db')], {
      cols: 100,
      rows: 10,
    });
    sessions.push(s);
    expect(await s.exitCode(10_000)).toBe(1);
    expect(s.raw).toContain('no such recording');
  });
});
