// Issue 12's "done when", as an htop user would try it, on the built cntop in a real pty on the real
// kernel: htop's flags start the viewer as asked; a column added in F2 setup is there after a
// restart; a settings file with bad lines starts with a clear message and the defaults, and is left
// as the user wrote it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';

const ENTRY = path.join(REPO_ROOT, 'dist/main.js');
const home = mkdtempSync(path.join(tmpdir(), 'cntop-settings-e2e-'));
const configDir = path.join(home, 'config');
const rcFile = path.join(configDir, 'cntop', 'cntoprc');
let session: TerminalSession | null = null;

function start(args: readonly string[], env: Record<string, string> = {}): TerminalSession {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:ts first`);
  session = startInTerminal(process.execPath, [ENTRY, ...args], {
    cols: 160,
    rows: 40,
    env: { XDG_CONFIG_HOME: configDir, ...env },
  });
  return session;
}

const lines = (text: string): string[] => text.split('\n');
const header = (text: string): string => lines(text).find((l) => /^\s*PID/.test(l)) ?? '';
// Tree guides in the process rows, left of the connector panel (whose box has corners of its own).
const PANEL_WIDTH = 40;
const isTree = (text: string): boolean => rows(text).some((r) => /[├└]─/.test(r.slice(0, 160 - PANEL_WIDTH)));
const rows = (text: string): string[] => {
  const all = lines(text);
  const at = all.findIndex((l) => /^\s*PID/.test(l));
  return at < 0 ? [] : all.slice(at + 1).filter((l) => /^\s*\d+ /.test(l));
};

async function quit(s: TerminalSession): Promise<void> {
  s.press('q');
  expect(await s.exitCode(5000)).toBe(0);
}

afterEach(async () => {
  if (session !== null) await endGracefully(session);
  session = null;
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("issue 12: htop's flags, F2 setup saved across a restart, a bad settings file", () => {
  it("cntop -u root -s PERCENT_CPU -t starts in the tree, sorted by CPU, with root's processes only", async () => {
    const s = start(['-u', 'root', '-s', 'PERCENT_CPU', '-t']);
    const text = await s.waitFor((t) => rows(t).length > 3 && t.includes('user:root'));
    expect(header(text)).toMatch(/CPU%▽/);
    // Tree guides: the tree view, not the flat list.
    expect(isTree(text)).toBe(true);
    for (const row of rows(text)) expect(row.slice(8, 16).trim()).toBe('root');
    // Siblings by CPU, most first: the flat list (F5) keeps the same sort column.
    s.press(KEYS.f5);
    const flat = await s.waitFor((t) => !isTree(t) && rows(t).length > 3);
    expect(header(flat)).toMatch(/CPU%▽/);
    const cpu = rows(flat).map((r) => Number(r.slice(41, 46)));
    for (let i = 1; i < cpu.length; i++) expect(cpu[i]).toBeLessThanOrEqual(cpu[i - 1] as number);
    await quit(s);
  });

  it('a column added in F2 setup is saved on leaving setup and is there after a restart', async () => {
    rmSync(configDir, { recursive: true, force: true });
    const first = start([]);
    await first.waitFor((t) => rows(t).length > 3);
    expect(header(first.text())).not.toMatch(/ SHR /);
    first.press(KEYS.f2);
    await first.waitFor((t) => t.includes('─ Setup ') && /\[ \] SHR/.test(t));
    // The twelve default columns come first, SHR right after them.
    first.press(KEYS.down.repeat(12));
    first.press(' ');
    await first.waitFor((t) => /\[x\] SHR/.test(t));
    first.press(KEYS.escape);
    const saved = await first.waitFor((t) => !t.includes('─ Setup ') && t.includes(`settings saved to ${rcFile}`));
    expect(header(saved)).toMatch(/ SHR /);
    await quit(first);
    expect(readFileSync(rcFile, 'utf8')).toMatch(
      /^columns=pid,user,priority,nice,virt,res,state,cpu,mem,time,age,shr,command$/m,
    );

    const second = start([]);
    // The values are read from /proc for the column: rows have a size in it, not '-'.
    const shrCells = (t: string): string[] => {
      const end = header(t).indexOf(' SHR') + 4;
      return rows(t).map((r) => r.slice(end - 5, end).trim());
    };
    const text = await second.waitFor(
      (t) => rows(t).length > 3 && / SHR /.test(header(t)) && shrCells(t).some((c) => /^\d+(\.\d+)?[KMG]$/.test(c)),
    );
    expect(shrCells(text).filter((c) => c === '-').length).toBeLessThan(shrCells(text).length);
    await quit(second);
  });

  it('a settings file with bad lines starts with a clear message naming the file and line, the defaults, and the file untouched', async () => {
    mkdirSync(path.dirname(rcFile), { recursive: true });
    const written = '# mine\nsort_column=bogus\ntree=maybe\ncolumns=pid,command\n';
    writeFileSync(rcFile, written);
    const s = start([]);
    // The message line names the file and the line (the rest is cut to the terminal's width).
    const text = await s.waitFor((t) => rows(t).length > 3 && t.includes(`${rcFile}:2: sort_column`));
    // The good line still applies (two columns), the bad ones keep their defaults: the tree view.
    expect(header(text)).toMatch(/^\s*PID△ +EXIT +Command/);
    expect(isTree(text)).toBe(true);
    s.press('q');
    expect(await s.exitCode(5000)).toBe(0);
    // Every problem was printed on stderr too, which shows once the viewer's screen is gone.
    const after = s.text();
    expect(after).toContain(`cntop: ${rcFile}:2: sort_column: unknown column 'bogus'`);
    expect(after).toContain(`cntop: ${rcFile}:3: tree:`);
    expect(readFileSync(rcFile, 'utf8')).toBe(written);
  });
});
