// End to end, on the real kernel: a process that names itself with terminal escape sequences, a bidi
// override and a newline (in its comm, in its command line, and in a comm event) must reach the screen
// inert, on one line, in every place the viewer draws a name: the live tree, the event log, the signal
// dialog and the exited list. The built cntop (dist/main.js) in a real pty, read through @xterm/headless.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';
import { alive } from '../helpers/proc-alive.js';

const ENTRY = path.join(REPO_ROOT, 'dist/main.js');
// Lower case: the filter and the search compare lower-cased text.
const tag = `h${randomBytes(2).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'cntop-hostile-'));

// The file name, of which the kernel keeps the first 15 bytes as comm (exactly these 15: 5 + 6 + 3 + 1).
const COMM = `${tag}\x1b]0;P\x07\u202e\n`;
// argv[0], so the command line carries an OSC title, a bidi override, a newline and an SGR colour.
const ARGV0 = `${tag}\x1b]0;pwned\x07\u202e\n\x1b[31m${tag}`;
// The name a second process gives itself with prctl(PR_SET_NAME): a comm event (13 bytes).
const RENAMED = `${tag}\x1b[2J\u202e\n`;

// src/core/text/sanitize.ts replaces each control character (C0, DEL, C1, bidi controls) with '?',
// one for one, so the visible rest of the name stays readable and the columns stay put.
const SHOWN_COMM = `${tag}?]0;P???`;
const SHOWN_ARGV = `${tag}?]0;pwned????[31m${tag}`;
const SHOWN_RENAMED = `${tag}?[2J??`;

const children: ChildProcess[] = [];
let cntop: TerminalSession | null = null;
let victim: ChildProcess | null = null;
let renamer: ChildProcess | null = null;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Nothing the hostile names carry may reach the terminal as bytes; cntop itself never writes OSC, BEL or bidi controls. */
function expectInert(raw: string): void {
  expect(raw).not.toContain('\x1b]'); // no OSC at all, so no "]0;pwned" window title
  expect(raw).not.toContain('\x07');
  expect(raw).not.toContain('\u202e');
  expect(raw).not.toMatch(/[\u0080-\u009f]/); // no C1 control (8-bit CSI/OSC)
  expect(raw).not.toContain(`\x1b[31m${tag}`); // the name's own colour sequence
  expect(raw).not.toContain(`\x1b[2J\u202e`);
}

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:ts first`);
  // 200 columns: the connector panel takes 40, and the Command column keeps room for the tree guides and the whole name.
  cntop = startInTerminal(process.execPath, [ENTRY], { cols: 200, rows: 40 });
});

afterAll(async () => {
  if (cntop !== null) await endGracefully(cntop);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile process names in the live viewer (real kernel)', { concurrent: false }, () => {
  it('shows the name sanitized on one line in the live tree', async () => {
    const s = cntop as TerminalSession;
    // Generous: start-up (a /proc scan, the LISTEN, the health probes, the first frame) on a loaded machine.
    await s.waitFor((t) => /^\s+1 \S+/m.test(t) && t.includes('Connector'), 15_000);
    // Narrow the view to this run's processes (and their ancestors, in the tree) first.
    s.press(`\\${tag}`);
    s.press(KEYS.enter);
    await s.waitFor(`filter:${tag}`);

    const binary = path.join(dir, COMM);
    copyFileSync('/bin/sleep', binary);
    victim = spawn(binary, ['600'], { argv0: ARGV0, stdio: 'ignore' });
    children.push(victim);
    // A second process renames itself: the comm event's name is drawn by the event log.
    renamer = spawn(
      '/usr/bin/python3',
      ['-c', 'import ctypes, os, time\nctypes.CDLL(None).prctl(15, os.environb[b"NAME"], 0, 0, 0)\ntime.sleep(600)'],
      {
        env: { NAME: RENAMED },
        stdio: 'ignore',
      },
    );
    children.push(renamer);
    // The kernel really carries the hostile bytes: the test is void otherwise.
    const vpid = victim.pid as number;
    await expect
      .poll(() => (existsSync(`/proc/${vpid}/comm`) ? readFileSync(`/proc/${vpid}/comm`, 'utf8') : ''))
      .toBe(`${COMM}\n`);
    expect(readFileSync(`/proc/${vpid}/cmdline`, 'utf8')).toBe(`${ARGV0}\x00600\x00`);
    const rpid = renamer.pid as number;
    await expect.poll(() => readFileSync(`/proc/${rpid}/comm`, 'utf8'), { timeout: 5000 }).toBe(`${RENAMED}\n`);

    const row = new RegExp(`^ *${vpid} .*[├└]─ ${escapeRegExp(SHOWN_ARGV)} 600( +[│┌├└]| *$)`, 'm');
    // The regex spans one screen line: the newline in the name did not break the row.
    const text = await s.waitFor(row);
    expect(text).toMatch(row);
    expectInert(s.raw);
  });

  it('shows it sanitized in the event log, exec and comm events alike', async () => {
    const s = cntop as TerminalSession;
    const vpid = (victim as ChildProcess).pid as number;
    const rpid = (renamer as ChildProcess).pid as number;
    // Far more unrelated events than the pane has lines: the filtered log must still find this run's.
    for (let i = 0; i < 40; i++) execFileSync('/bin/true');
    s.press('\t\t'); // Tab twice: the Events screen
    const exec = new RegExp(`exec +${vpid} ${escapeRegExp(SHOWN_ARGV)} 600 *(│|$)`, 'm');
    const comm = new RegExp(`comm +${rpid} renamed to ${escapeRegExp(SHOWN_RENAMED)} *(│|$)`, 'm');
    const text = await s.waitFor((t) => t.includes('─ Events') && exec.test(t) && comm.test(t));
    expect(text).toMatch(exec);
    expect(text).toMatch(comm);
    expectInert(s.raw);
    s.press('\x1b[Z\x1b[Z'); // Shift-Tab twice: back to the processes
    await s.waitFor((t) => /PID.*Command/.test(t));
  });

  it('names it sanitized in the signal dialog (cancelled: nothing is sent)', async () => {
    const s = cntop as TerminalSession;
    const vpid = (victim as ChildProcess).pid as number;
    // Only the victim's command line says "pwned": the search selects it.
    s.press('/pwned');
    await s.waitFor('Search: pwned_');
    s.press(KEYS.enter);
    await s.waitFor('F10Quit');
    s.press(KEYS.f9);
    await s.waitFor('Send signal');
    s.press(KEYS.enter);
    const named = new RegExp(`│ +${vpid}  ${escapeRegExp(SHOWN_COMM)} +│`);
    const dialog = await s.waitFor((t) => t.includes('Send SIGTERM (15) to:') && named.test(t));
    expect(dialog).toMatch(named);
    s.press('n');
    await s.waitFor((t) => !t.includes('Send SIGTERM'));
    expect(alive(vpid)).toBe(true);
    expectInert(s.raw);
  });

  it('shows it sanitized in the red exit row and in the exited list', async () => {
    const s = cntop as TerminalSession;
    const v = victim as ChildProcess;
    const vpid = v.pid as number;
    const gone = new Promise((resolve) => v.once('exit', resolve));
    v.kill('SIGKILL');
    await gone;
    await s.waitFor(new RegExp(`^ *${vpid} .* KILL .*${escapeRegExp(SHOWN_ARGV)} 600( +[│┌├└]| *$)`, 'm'));
    s.press('\t'); // Tab: the Exited screen (pid, status, lifetime, CPU, peak RSS, command)
    const exited = new RegExp(`${vpid} +SIGKILL +\\S+ +\\S+ +\\S+ +${escapeRegExp(SHOWN_ARGV)} 600 *(│|$)`, 'm');
    await s.waitFor((t) => t.includes('Exited:') && exited.test(t));
    expectInert(s.raw);
  });
});
