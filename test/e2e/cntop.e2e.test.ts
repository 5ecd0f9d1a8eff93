// End to end: the built cntop (dist/main.js) on the real kernel, in a real pseudo-terminal read back
// through a headless xterm. A uniquely named process started from outside must appear within a
// second, be found by the filter, be killed through F9 and the confirmation, and show its exit status.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';
import { childPid } from '../helpers/present.js';

// CNTOP_E2E_ENTRY lets the test drive another entry script (e.g. while main.ts is being wired).
const ENTRY = process.env['CNTOP_E2E_ENTRY'] ?? path.join(REPO_ROOT, 'dist/main.js');
const tag = `ce2e${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'cntop-e2e-'));
const children: ChildProcess[] = [];
let cntop: TerminalSession | null = null;

function processRows(text: string): string[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*PID/.test(l));
  return lines.slice(header + 1).filter((l) => /^\s*\d+ /.test(l));
}

/** Starts a copy of sleep named `name`, so its comm and command line are unique to this run. */
function startNamed(name: string): ChildProcess {
  const binary = path.join(dir, name);
  copyFileSync('/bin/sleep', binary);
  const child = spawn(binary, ['600'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:ts first`);
  cntop = startInTerminal(process.execPath, [ENTRY], { cols: 160, rows: 40 });
});

afterAll(async () => {
  if (cntop !== null) await endGracefully(cntop);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('cntop in a real terminal on the real kernel', { concurrent: false }, () => {
  it('starts and shows PID 1 and the connector panel', async () => {
    const s = cntop as TerminalSession;
    const text = await s.waitFor((t) => /^\s+1 \S+/m.test(t) && t.includes('Connector'), 15_000);
    expect(text).toMatch(/Mode +(live netlink|POLLING)/);
    expect(text).toMatch(/LISTEN +\S/);
    expect(s.raw).not.toContain('Error on');
  });

  it('shows a process started from outside within a second, found by the filter', async () => {
    const s = cntop as TerminalSession;
    // Filter first on this run's unique tag: the view then narrows to nothing but our processes,
    // however many other processes the machine starts meanwhile.
    // Before the filter the list shows the live tree (how many rows depends on the machine: with kernel
    // threads hidden, a quiet CI machine shows only a handful), so that "no rows" after it means something.
    const before = processRows(s.text());
    expect(before.some((row) => /^\s*1 /.test(row))).toBe(true);
    expect(before.length).toBeGreaterThan(1);
    // Flat view: the tree would keep the ancestors (vitest, npm, the shells) and indent the command.
    s.press(KEYS.f5);
    await s.waitFor('F5Tree');
    s.press('\\' + tag);
    s.press(KEYS.enter);
    await s.waitFor((t) => processRows(t).length === 0 && t.includes(`filter:${tag}`));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const name = `${tag}-${i}`;
      const started = performance.now();
      const child = startNamed(name);
      await s.waitFor((t) => processRows(t).some((r) => r.includes(name)), 1000);
      latencies.push(performance.now() - started);
      if (i < 4) {
        child.kill('SIGKILL');
        await s.waitFor((t) => !processRows(t).some((r) => r.includes(name) && !/ KILL /.test(r)));
      }
    }
    console.log(
      `spawn → row on screen (ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}; max ${Math.max(...latencies).toFixed(1)}`,
    );
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const rows = processRows(s.text()).filter((r) => !/ KILL /.test(r));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`${tag}-4 600`);
  });

  it('kills it with F9 after the confirmation, and shows its exit status', async () => {
    const s = cntop as TerminalSession;
    const victim = children[children.length - 1] as ChildProcess;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      victim.once('exit', (_code, signal) => resolve(signal)),
    );
    s.press(KEYS.end);
    s.press(KEYS.f9);
    await s.waitFor('Send signal');
    s.press(KEYS.enter);
    const confirm = await s.waitFor('Send SIGTERM (15) to:');
    expect(confirm).toContain(String(victim.pid));
    expect(victim.exitCode === null && victim.signalCode === null).toBe(true);
    s.press('y');
    expect(await exited).toBe('SIGTERM');
    await s.waitFor(new RegExp(` TERM .*${tag}-4 600`), 2000);
    s.press('\t'); // Tab: the Exited screen
    await s.waitFor((t) => t.includes('Exited:') && new RegExp(`${childPid(victim)} +SIGTERM`).test(t));
    s.press('\x1b[Z'); // Shift-Tab: back to the processes
    await s.waitFor((t) => /PID.*Command/.test(t));
  });

  it('quits on q with exit code 0 and the terminal restored', async () => {
    const s = cntop as TerminalSession;
    s.press('q');
    expect(await s.exitCode(10_000)).toBe(0);
    expect(s.raw).toContain('\x1b[?1049l');
    expect(s.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(s.raw.lastIndexOf('\x1b[?25l'));
    expect(await s.bufferType()).toBe('normal');
  });
});
