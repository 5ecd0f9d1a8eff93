// End to end, on the real kernel: every key the help lists (src/ui/keymap.ts and each screen's keys) and the
// keys of the search/filter bar, the menus, the confirmations and the help, each pressed on a running
// cntop (dist/main.js, the real engine) in a real pty read through @xterm/headless, with an assertion
// on what it visibly changed. Targets are this run's own processes, copies of sleep and bash under
// names unique to the run: nothing else on the machine is signalled or reniced.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import xtermHeadless from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endGracefully, KEYS, REPO_ROOT, startInTerminal, type TerminalSession } from '../helpers/terminal-harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { alive } from '../helpers/proc-alive.js';
import { childPid, present } from '../helpers/present.js';
import { COMMAND_COLUMN_OFFSET } from '../../src/ui/view-model.js';

const ENTRY = path.join(REPO_ROOT, 'dist/main.js');
// Wide: the processes this file starts sit deep in the tree (the runner's ancestors), and their rows must show
// whole beside the connector panel.
const COLS = 200;
const ROWS = 40;
// Lower case: the filter and the search compare lower-cased text.
const tag = `k${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(path.join(tmpdir(), 'cntop-keys-'));
const LONE = `${tag}-lone`;
const PARENT = `${tag}-par`;
const KID = `${tag}-kid`;
const NEWCOMER = `${tag}-new`;

const children: ChildProcess[] = [];
const sessions: TerminalSession[] = [];
let cntop: TerminalSession;
let lone: ChildProcess;
// Undefined until beforeAll starts it, and so for afterAll if beforeAll failed first.
let parent: ChildProcess | undefined;
const theParent = (): ChildProcess => present(parent, 'the parent process');
/** The test worker and its ancestors: the filter on this run's tag keeps them in the tree for context. */
let ancestors: Set<number>;
let newcomer: ChildProcess;

// ---- the screen -------------------------------------------------------------------------------------

const screenLines = (text: string): string[] => text.split('\n');

/** Process rows: the lines after the column header that start with a pid. */
function processRows(text: string): string[] {
  const lines = screenLines(text);
  const header = lines.findIndex((l) => /^\s*PID/.test(l));
  return header < 0 ? [] : lines.slice(header + 1).filter((l) => /^\s*\d+ /.test(l));
}

const pidOf = (line: string | null | undefined): number => Number((line ?? '').trim().split(/\s+/)[0]);
const rowOf = (text: string, needle: string): string | undefined => processRows(text).find((r) => r.includes(needle));
const rowIndexOf = (text: string, needle: string): number => processRows(text).findIndex((r) => r.includes(needle));

/** The column header's sorted label with its arrow, e.g. "PID△" or "MEM▽" (a narrow label gives way to the arrow). */
function sortMarker(text: string): string | null {
  const header = screenLines(text).find((l) => /^\s*PID/.test(l)) ?? '';
  return /(\S+?)[△▽]/.exec(header)?.[0] ?? null;
}

/**
 * The selection is visible only as colour (theme.ts: black on cyan), which the harness's screen text
 * leaves out. A second headless xterm is fed everything cntop wrote (session.raw) and read cell by cell.
 */
class ColourMirror {
  private readonly term = new xtermHeadless.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  private fed = 0;

  constructor(private readonly session: TerminalSession) {}

  /** Resizes after parsing what was written at the old size. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.selectedLine();
    this.term.resize(cols, rows);
  }

  /** The text of the selected process row (first cell on cyan, above the function bar), or null. */
  async selectedLine(): Promise<string | null> {
    const chunk = this.session.raw.slice(this.fed);
    this.fed += chunk.length;
    await new Promise<void>((resolve) => this.term.write(chunk, resolve));
    const buffer = this.term.buffer.active;
    for (let y = 0; y < this.term.rows - 1; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      const cell = line?.getCell(0);
      if (line !== undefined && cell !== undefined && cell.isBgPalette() && cell.getBgColor() === 6)
        return line.translateToString(true);
    }
    return null;
  }
}

let mirror: ColourMirror;

/** Waits until the selected row satisfies `test`; returns it. */
async function waitSelected(
  test: (line: string | null) => boolean,
  what: string,
  timeoutMs = 5000,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = await mirror.selectedLine();
    if (test(line)) return line;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for the selection: ${what}; selected: ${String(line)}; screen:\n${cntop.text()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const selectedIs = (needle: string) => (line: string | null) => line !== null && line.includes(needle);

// ---- the processes ----------------------------------------------------------------------------------

function copyOf(binary: string, name: string): string {
  const target = path.join(dir, name);
  copyFileSync(binary, target);
  return target;
}

/** A copy of sleep named `name` (its comm), run as `name 600` (its command line). */
function startNamed(name: string): ChildProcess {
  const child = spawn(copyOf('/bin/sleep', name), ['600'], { argv0: name, stdio: 'ignore', cwd: dir });
  children.push(child);
  return child;
}

/** Field 19 of /proc/<pid>/stat, the nice value (counted after the comm's closing parenthesis). */
function niceOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** `pid` and its ancestors up to PID 1, from /proc. */
function lineage(pid: number): Set<number> {
  const found = new Set<number>();
  for (let p = pid; p > 0 && !found.has(p);) {
    found.add(p);
    const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return found;
}

/** Selects the first row matching `text` with the search bar, and leaves it. */
async function select(text: string): Promise<void> {
  cntop.press(`/${text}`);
  await cntop.waitFor(`Search: ${text}_`);
  cntop.press(KEYS.enter);
  await cntop.waitFor('F10Quit');
  await waitSelected(selectedIs(text), `a row with "${text}"`);
}

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build:ts first`);
  lone = startNamed(LONE);
  copyOf('/bin/sleep', KID);
  // A parent with 40 children (./<tag>-kid 601 ... 640): for + and -, and, filtered, a list longer than a
  // page that nobody else changes. The command string names the children through $K only, so that a
  // search for a child does not also find its parent.
  const started = spawn(copyOf('/bin/bash', PARENT), ['-c', 'for i in $(seq 601 640); do "$K" $i & done; wait'], {
    argv0: PARENT,
    cwd: dir,
    env: { K: `./${KID}`, PATH: '/usr/bin:/bin' },
    stdio: 'ignore',
    detached: true,
  });
  parent = started;
  children.push(started);
  const parentPid = childPid(started, 'the parent process');
  await waitFor(
    () => {
      const file = `/proc/${parentPid}/task/${parentPid}/children`;
      return existsSync(file) && readFileSync(file, 'utf8').trim().split(/\s+/).length === 40;
    },
    10_000,
    'the 40 children of the parent process',
  );
  ancestors = lineage(process.pid);
  // Setup saves on closing: into this run's own directory, never the user's settings.
  cntop = startInTerminal(process.execPath, [ENTRY], {
    cols: COLS,
    rows: ROWS,
    env: { XDG_CONFIG_HOME: path.join(dir, 'config') },
  });
  sessions.push(cntop);
  mirror = new ColourMirror(cntop);
});

afterAll(async () => {
  for (const session of sessions) await endGracefully(session);
  if (parent?.pid !== undefined) {
    try {
      process.kill(-parent.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// The Command column starts at cell 65 and ends where the connector panel begins (40 cells).
const commandCells = (row: string): string => row.slice(COMMAND_COLUMN_OFFSET, COLS - 40);
/** Rows of kernel threads, which the Command column shows as [name]. */
const kernelRows = (t: string): number =>
  processRows(t).filter((r) => /^[│├└─+ ]*\[[^\]]+\]\s*$/.test(commandCells(r))).length;
/** Whether every listed row is one of this run's processes or an ancestor the tree keeps for context. */
const onlyOursAndAncestors = (t: string): boolean => {
  const rows = processRows(t);
  return rows.length > 0 && rows.every((r) => r.includes(tag) || ancestors.has(pidOf(r)));
};
const kidRow = (n: number): string => `${KID} ${n}`;

describe('every key of the live viewer on the real kernel', { concurrent: false }, () => {
  it('starts with the tree sorted by PID, the first row selected', async () => {
    // Generous: start-up (a /proc scan, the LISTEN, the health probes, the first frame) on a loaded machine.
    const text = await cntop.waitFor((t) => /^\s+1 \S+/m.test(t) && t.includes('Connector'), 15_000);
    expect(sortMarker(text)).toBe('PID△');
    expect(pidOf(await waitSelected((l) => l !== null, 'any row'))).toBe(1);
  });

  it('K shows the kernel threads (hidden by default) and hides them again', async () => {
    // Shown, the tree ends with kthreadd's children: End shows kernel threads.
    cntop.press(KEYS.end);
    await cntop.waitFor((t) => kernelRows(t) === 0 && !t.includes(' kthreads '));
    cntop.press('K');
    cntop.press(KEYS.end);
    await cntop.waitFor((t) => t.includes(' kthreads ') && kernelRows(t) > 3);
    cntop.press('K');
    cntop.press(KEYS.end);
    await cntop.waitFor((t) => !t.includes(' kthreads ') && kernelRows(t) === 0);
    // Shown again: the tests below end the tree with kthreadd's children.
    cntop.press('K');
    cntop.press(KEYS.end);
    await cntop.waitFor((t) => t.includes(' kthreads ') && kernelRows(t) > 3);
  });

  it('F4 and \\ filter as you type, keep the text for editing, and Esc clears the filter', async () => {
    cntop.press(`\\${tag}`);
    await cntop.waitFor((t) => t.includes(`Filter: ${tag}_`) && onlyOursAndAncestors(t));
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes(`filter:${tag}`) && onlyOursAndAncestors(t));
    cntop.press(KEYS.end);
    await waitSelected(selectedIs(kidRow(640)), 'the last child, the last row of the filtered tree');
    cntop.press(KEYS.f4);
    await cntop.waitFor(`Filter: ${tag}_`);
    cntop.press(KEYS.escape);
    await cntop.waitFor((t) => !t.includes(`filter:${tag}`) && !t.includes('Filter:'));
    cntop.press(KEYS.end);
    await cntop.waitFor((t) => kernelRows(t) > 3);
    cntop.press(KEYS.f4);
    cntop.press(tag);
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes(`filter:${tag}`) && onlyOursAndAncestors(t));
  });

  it('Home, End, Up, Down, PgDn and PgUp move the selection', async () => {
    cntop.press(KEYS.home);
    await waitSelected((l) => pidOf(l) === 1, 'PID 1 (Home)');
    cntop.press(KEYS.end);
    await waitSelected(selectedIs(kidRow(640)), 'the last row (End)');
    cntop.press(KEYS.up);
    await waitSelected(selectedIs(kidRow(639)), 'the row above (Up)');
    cntop.press(KEYS.down);
    await waitSelected(selectedIs(kidRow(640)), 'the row below (Down)');
    cntop.press(KEYS.home);
    await waitSelected((l) => pidOf(l) === 1, 'PID 1 (Home)');
    // The filtered tree (ancestors, this run's 42 processes) is longer than a page and only this test changes it.
    const top = processRows(cntop.text());
    expect(top.length).toBeGreaterThan(20);
    cntop.press(KEYS.pageDown);
    // A page down: the selection is on the last row of the list, which scrolled by one row.
    const scrolled = await cntop.waitFor((t) => pidOf(processRows(t)[0]) === pidOf(top[1]));
    const bottom = processRows(scrolled).at(-1);
    expect(bottom).toContain(KID);
    await waitSelected((l) => l !== null && pidOf(l) === pidOf(bottom), 'the last row of the list (PgDn)');
    cntop.press(KEYS.pageUp);
    await cntop.waitFor((t) => pidOf(processRows(t)[0]) === 1);
    await waitSelected((l) => pidOf(l) === 1, 'PID 1 (PgUp)');
  });

  it('F3 and / search incrementally: Backspace edits, F3 finds the next match, Enter keeps, Esc cancels, Up/Down leave', async () => {
    cntop.press(`/${KID}`);
    await cntop.waitFor(`Search: ${KID}_`);
    await waitSelected(selectedIs(kidRow(601)), 'the first match');
    cntop.press(KEYS.f3);
    await waitSelected(selectedIs(kidRow(602)), 'the next match (F3)');
    cntop.press(' 640'); // a space is part of the text, not a tag
    await cntop.waitFor(`Search: ${KID} 640_`);
    await waitSelected(selectedIs(kidRow(640)), 'the match of the longer text');
    cntop.press(KEYS.backspace);
    await cntop.waitFor(`Search: ${KID} 64_`);
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes('F10Quit') && !t.includes('Search:'));
    await waitSelected(selectedIs(kidRow(640)), 'the match, kept (Enter)');
    expect(cntop.text()).not.toContain('tagged');

    cntop.press(KEYS.f3);
    await cntop.waitFor('Search: _');
    cntop.press(LONE);
    await waitSelected(selectedIs(LONE), 'the lone process');
    cntop.press(KEYS.escape);
    await cntop.waitFor((t) => t.includes('F10Quit') && !t.includes('Search:'));
    cntop.press('/');
    await cntop.waitFor('Search: _');
    cntop.press(KEYS.down);
    await cntop.waitFor((t) => t.includes('F10Quit') && !t.includes('Search:'));
    cntop.press('/');
    await cntop.waitFor('Search: _');
    cntop.press(KEYS.up);
    await cntop.waitFor((t) => t.includes('F10Quit') && !t.includes('Search:'));
    await waitSelected(selectedIs(LONE), 'the lone process, still');
  });

  it('F5 and t switch between the tree and the flat list', async () => {
    expect(rowOf(cntop.text(), `─ ${LONE}`)).toBeDefined();
    cntop.press(KEYS.f5);
    // Flat: only the matches, without the ancestors and without guides.
    const flat = await cntop.waitFor((t) => t.includes('F5Tree') && processRows(t).every((r) => r.includes(tag)));
    expect(processRows(flat).map(commandCells).join('\n')).not.toMatch(/[├└]─/);
    expect(pidOf(rowOf(flat, LONE))).toBe(lone.pid);
    cntop.press('t');
    await cntop.waitFor(
      (t) =>
        t.includes('F5List') &&
        rowOf(t, `─ ${LONE}`) !== undefined &&
        processRows(t).some((r) => ancestors.has(pidOf(r))),
    );
  });

  it('P M T A N set the sort column, I inverts it, < , > . cycle it', async () => {
    await select(PARENT);
    for (const [key, marker] of [
      ['P', 'CPU%▽'],
      ['M', 'MEM▽'],
      ['T', 'TIME+▽'],
      ['A', 'AGE△'],
      ['N', 'PID△'],
    ] as const) {
      cntop.press(key);
      await cntop.waitFor((t) => sortMarker(t) === marker);
    }
    // In the tree the sort orders siblings: the children of the parent in PID order, then inverted.
    const firstChild = (t: string): string | undefined => processRows(t)[rowIndexOf(t, PARENT) + 1];
    expect(firstChild(cntop.text())).toContain(kidRow(601));
    cntop.press('I');
    await cntop.waitFor((t) => sortMarker(t) === 'PID▽' && (firstChild(t) ?? '').includes(kidRow(640)));
    cntop.press('I');
    await cntop.waitFor((t) => sortMarker(t) === 'PID△' && (firstChild(t) ?? '').includes(kidRow(601)));
    for (const [key, marker] of [
      ['>', 'USER△'],
      ['.', 'PR△'],
      ['<', 'USER△'],
      [',', 'PID△'],
    ] as const) {
      cntop.press(key);
      await cntop.waitFor((t) => sortMarker(t) === marker);
    }
  });

  it('F6 opens the sort menu: Up, Down, Home, End, PgUp, PgDn move, Enter picks, Esc, q and F10 close', async () => {
    cntop.press(KEYS.f6);
    await cntop.waitFor('Sort by');
    // From PID (0): End → Command (11), PgUp → USER (1), Down → PRI (2).
    cntop.press(KEYS.end);
    cntop.press(KEYS.pageUp);
    cntop.press(KEYS.down);
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => !t.includes('Sort by') && sortMarker(t) === 'PR△');
    cntop.press(KEYS.f6);
    await cntop.waitFor('Sort by');
    // From PRI (2): Home → PID (0), PgDn → AGE (10), Up → TIME+ (9).
    cntop.press(KEYS.home);
    cntop.press(KEYS.pageDown);
    cntop.press(KEYS.up);
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => !t.includes('Sort by') && sortMarker(t) === 'TIME+▽');
    for (const close of [KEYS.escape, 'q', KEYS.f10]) {
      cntop.press(KEYS.f6);
      await cntop.waitFor('Sort by');
      cntop.press(KEYS.down);
      cntop.press(close);
      await cntop.waitFor((t) => !t.includes('Sort by') && sortMarker(t) === 'TIME+▽');
    }
    cntop.press('N');
    await cntop.waitFor((t) => sortMarker(t) === 'PID△');
  });

  it("u shows one user's processes and (all users) again", async () => {
    cntop.press('u');
    const menu = await cntop.waitFor((t) => t.includes('Show user') && t.includes('(all users)'));
    // The menu lists the users in order after "(all users)": pick the first.
    const lines = screenLines(menu);
    const at = lines.findIndex((l) => l.includes('(all users)'));
    const user = /│ (\S+)/.exec(lines[at + 1] ?? '')?.[1] ?? '';
    expect(user).not.toBe('');
    cntop.press(KEYS.down);
    cntop.press(KEYS.enter);
    const only = await cntop.waitFor((t) => t.includes(`user:${user}`) && !t.includes('Show user'));
    for (const row of processRows(only)) expect(row.slice(8, 16).trim()).toBe(user.slice(0, 8));
    cntop.press('u');
    await cntop.waitFor('Show user');
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => !t.includes('user:') && !t.includes('Show user') && rowOf(t, PARENT) !== undefined);
  });

  it('H lists each thread of a process as a row under it (htop), with the thread counts, and hides them again', async () => {
    const threads = /\{\d+ thr\} /;
    // A process of this run with two more threads; its command line starts with the tag, so the filter keeps it.
    const threaded = spawn(
      '/usr/bin/python3',
      [
        '-c',
        'import threading, time\nfor _ in range(2): threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\ntime.sleep(600)',
      ],
      { argv0: `${tag}-threads`, stdio: 'ignore' },
    );
    children.push(threaded);
    const pid = threaded.pid as number;
    const threadsOf = (): number[] =>
      existsSync(`/proc/${pid}/task`)
        ? readdirSync(`/proc/${pid}/task`)
            .map(Number)
            .filter((t) => t !== pid)
        : [];
    await waitFor(() => threadsOf().length === 2, 5000, 'the two threads of the threaded process');
    const tids = threadsOf();
    // Narrowed to it (the filter keeps the text for editing): the 40 children of PARENT would fill the screen.
    cntop.press(KEYS.f4);
    cntop.press('-threads');
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes(`filter:${tag}-threads`) && rowOf(t, `${tag}-threads`) !== undefined);
    cntop.press(KEYS.home);
    await waitSelected((l) => pidOf(l) === 1, 'PID 1');
    expect(cntop.text()).not.toMatch(threads);
    const rowPids = (t: string): number[] => processRows(t).map(pidOf);
    expect(rowPids(cntop.text())).not.toContain(tids[0]);
    cntop.press('H');
    const shown = await cntop.waitFor((t) => threads.test(t) && tids.every((tid) => rowPids(t).includes(tid)));
    // Thread rows come right under their process, in the tree.
    const rows = rowPids(shown);
    const at = rows.indexOf(pid);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(rows.slice(at + 1, at + 3).sort()).toEqual([...tids].sort());
    cntop.press('H');
    await cntop.waitFor((t) => !threads.test(t) && tids.every((tid) => !rowPids(t).includes(tid)));
    threaded.kill('SIGTERM');
    cntop.press(KEYS.f4);
    cntop.press(KEYS.backspace.repeat('-threads'.length));
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes(`filter:${tag} `) && rowOf(t, PARENT) !== undefined);
  });

  it('f follows each new process the list shows, also when an unlisted one starts right after it', async () => {
    // Youngest first: the processes started here come right below their parent's row, all on screen.
    cntop.press('A');
    await cntop.waitFor((t) => sortMarker(t) === 'AGE△');
    await select(LONE);
    cntop.press('f');
    await cntop.waitFor(' follow ');
    // Each time a process outside the filter starts right after this run's: usually within the same
    // batch of events, where it must not take the selection from the process the list shows.
    for (const name of [`${tag}-first`, `${tag}-second`, NEWCOMER]) {
      const started = startNamed(name);
      spawn('/bin/true', { stdio: 'ignore' });
      await waitSelected(selectedIs(name), `the new process ${name}`);
      expect(pidOf(await mirror.selectedLine())).toBe(started.pid);
      newcomer = started;
    }
    cntop.press('f');
    await cntop.waitFor((t) => !t.includes(' follow '));
    startNamed(`${tag}-later`);
    await cntop.waitFor((t) => rowOf(t, `${tag}-later`) !== undefined);
    await waitSelected(selectedIs(NEWCOMER), 'the selection staying put without follow');
    cntop.press('N');
    await cntop.waitFor((t) => sortMarker(t) === 'PID△');
  });

  it('Space tags and moves down, F9 then acts on all tagged, U untags all', async () => {
    await select(LONE);
    cntop.press(' ');
    await cntop.waitFor(' 1 tagged ');
    // Tagging moved the selection to the next row: the parent, tagged in turn.
    await waitSelected(selectedIs(PARENT), 'the next row after tagging');
    cntop.press(' ');
    await cntop.waitFor(' 2 tagged ');
    cntop.press('k');
    await cntop.waitFor('Send signal');
    cntop.press(KEYS.enter);
    // The dialog's rows may come in a later write than its title: wait for the rows themselves.
    const loneRow = new RegExp(`│ +${childPid(lone)}  ${LONE}`);
    const parentRow = new RegExp(`│ +${childPid(theParent())}  ${PARENT}`);
    const confirm = await cntop.waitFor(
      (t) => t.includes('Send SIGTERM (15) to:') && loneRow.test(t) && parentRow.test(t),
    );
    expect(confirm).toMatch(loneRow);
    expect(confirm).toMatch(parentRow);
    cntop.press('n');
    await cntop.waitFor((t) => !t.includes('Send SIGTERM'));
    cntop.press('U');
    await cntop.waitFor((t) => !t.includes('tagged'));
    expect(alive(lone.pid as number)).toBe(true);
    expect(alive(childPid(theParent()))).toBe(true);
  });

  it('F9 and k open the signal menu; Esc closes it, n cancels the confirmation, and nothing is sent', async () => {
    await select(LONE);
    cntop.press(KEYS.f9);
    await cntop.waitFor((t) => t.includes('Send signal') && /15 SIGTERM/.test(t));
    cntop.press(KEYS.escape);
    await cntop.waitFor((t) => !t.includes('Send signal'));
    cntop.press('k');
    await cntop.waitFor('Send signal');
    cntop.press(KEYS.enter);
    const loneRow = new RegExp(`│ +${childPid(lone)}  ${LONE}`);
    const confirm = await cntop.waitFor((t) => t.includes('Send SIGTERM (15) to:') && loneRow.test(t));
    expect(confirm).toMatch(loneRow);
    cntop.press('n');
    await cntop.waitFor((t) => !t.includes('Send SIGTERM') && !t.includes('Send signal'));
    expect(alive(lone.pid as number)).toBe(true);
  });

  it('y confirms a signal: the new process gets SIGTERM and shows its exit status', async () => {
    const exited = new Promise((resolve) => newcomer.once('exit', (_code, signal) => resolve(signal)));
    await select(NEWCOMER);
    cntop.press('k');
    await cntop.waitFor('Send signal');
    cntop.press(KEYS.enter);
    await cntop.waitFor((t) => t.includes('Send SIGTERM (15) to:') && t.includes(`${childPid(newcomer)}  ${NEWCOMER}`));
    cntop.press('y');
    expect(await exited).toBe('SIGTERM');
    await cntop.waitFor(`SIGTERM sent to PID ${childPid(newcomer)}`);
    await cntop.waitFor(new RegExp(` TERM +.*${NEWCOMER}`)); // the EXIT column
  });

  it('F8 and [ lower the priority of the selected process, F7 and ] raise it (nice in /proc changes)', async () => {
    await select(LONE);
    const pid = lone.pid as number;
    expect(niceOf(pid)).toBe(0);
    const steps: ReadonlyArray<readonly [string, number]> = [
      [KEYS.f8, 1],
      ['[', 2],
      [KEYS.f7, 1],
      [']', 0],
      [']', -1],
    ];
    for (const [key, nice] of steps) {
      cntop.press(key);
      await cntop.waitFor(`nice ${nice} set for PID ${pid}`);
      expect(niceOf(pid)).toBe(nice);
    }
    // The NI column follows at the next refresh (every 1.5 s by default).
    await cntop.waitFor((t) => /^\s*\d+ \S+ +\d+ +-1 /.test(rowOf(t, LONE) ?? ''));
  });

  it('- collapses the subtree of the selected process, + and = expand it', async () => {
    await select(PARENT);
    const kidRows = (t: string) => processRows(t).filter((r) => r.includes(KID)).length;
    expect(kidRows(cntop.text())).toBeGreaterThan(0);
    for (const expand of ['+', '=']) {
      cntop.press('-');
      const collapsed = await cntop.waitFor((t) => kidRows(t) === 0);
      expect(rowOf(collapsed, PARENT)).toContain(`─+${PARENT}`);
      cntop.press(expand);
      const expanded = await cntop.waitFor((t) => kidRows(t) > 0);
      expect(rowOf(expanded, PARENT)).toContain(`─ ${PARENT}`);
    }
  });

  it('Tab and Shift-Tab cycle the screens: Exited with the signalled process, Events with its exec and exit, Connector, and back', async () => {
    const tab = '\t';
    const shiftTab = '\x1b[Z';
    cntop.press(tab);
    await cntop.waitFor(
      (t) => t.includes('Exited:') && new RegExp(`${childPid(newcomer)} +SIGTERM .* ${NEWCOMER} 600`).test(t),
    );
    cntop.press(tab);
    await cntop.waitFor(
      (t) =>
        t.includes(`Events`) &&
        t.includes(`(filter: ${tag})`) &&
        new RegExp(`exec +${childPid(newcomer)} ${NEWCOMER} 600`).test(t) &&
        new RegExp(`exit +${childPid(newcomer)} SIGTERM`).test(t),
    );
    cntop.press(tab + tab);
    await cntop.waitFor((t) => /LISTEN +ack in/.test(t) && !/PID△/.test(t));
    cntop.press(tab);
    await cntop.waitFor((t) => /PID△.*Command/.test(t) && rowOf(t, LONE) !== undefined);
    cntop.press(shiftTab);
    await cntop.waitFor((t) => /LISTEN +ack in/.test(t) && !/PID△/.test(t));
    cntop.press(tab);
    await cntop.waitFor((t) => /PID△.*Command/.test(t) && rowOf(t, LONE) !== undefined);
  });

  it('g shows the history charts in place of the list, and g again brings the list back', async () => {
    cntop.press('g');
    await cntop.waitFor((t) => t.includes('History: last 120 s') && !/PID△/.test(t));
    cntop.press('g');
    await cntop.waitFor((t) => !t.includes('History:') && /PID△/.test(t) && rowOf(t, LONE) !== undefined);
  });

  it('F2, C and S open setup; Right switches its section, Space toggles, Esc, F10 and q close it and save', async () => {
    const rc = path.join(dir, 'config', 'cntop', 'cntoprc');
    for (const [open, close] of [
      [KEYS.f2, KEYS.escape],
      ['C', KEYS.f10],
      ['S', 'q'],
    ] as const) {
      cntop.press(open);
      await cntop.waitFor((t) => t.includes('─ Setup ') && /\[x\] PID/.test(t));
      cntop.press(close);
      await cntop.waitFor((t) => !t.includes('─ Setup ') && t.includes(`settings saved to ${rc}`));
    }
    // Display options: kernel threads switched, and back (the tests after this one expect them as they were).
    cntop.press(KEYS.f2);
    cntop.press(KEYS.right.repeat(2));
    const before = /\[x\] Show kernel threads/.test(await cntop.waitFor((t) => /\[[x ]\] Show kernel threads/.test(t)))
      ? 'x'
      : ' ';
    const after = before === 'x' ? ' ' : 'x';
    cntop.press(KEYS.down);
    cntop.press(' ');
    await cntop.waitFor((t) => t.includes(`[${after}] Show kernel threads`));
    cntop.press(' ');
    await cntop.waitFor((t) => t.includes(`[${before}] Show kernel threads`));
    cntop.press(KEYS.escape);
    await cntop.waitFor((t) => !t.includes('─ Setup '));
    expect(readFileSync(rc, 'utf8')).toMatch(new RegExp(`^show_kernel_threads=${before === 'x' ? 'yes' : 'no'}$`, 'm'));
  });

  it('R asks before repairing, and n cancels (never confirmed here)', async () => {
    cntop.press('R');
    const dialog = await cntop.waitFor('y/Enter: repair   n/Esc: cancel');
    expect(dialog).toMatch(/listener counter/);
    cntop.press('n');
    await cntop.waitFor((t) => !t.includes('n/Esc: cancel') && t.includes('F10Quit'));
    expect(cntop.text()).not.toMatch(/repair(ing|ed)/);
  });

  it('F1, h and ? open the help; Up, Down, PgUp, PgDn scroll it; any other key closes it', async () => {
    // A 24-line terminal: the help is longer than the screen, so it scrolls.
    await mirror.resize(COLS, 24);
    cntop.resize(COLS, 24);
    await cntop.waitFor((t) => (screenLines(t)[23] ?? '').includes('F10Quit'));
    const first = 'cntop: every process, live from the kernel';
    const last = 'Up/Down scroll this help; any other key closes it.';
    for (const open of [KEYS.f1, 'h', '?']) {
      cntop.press(open);
      await cntop.waitFor((t) => t.includes(first) && t.includes('incremental search') && !t.includes(last));
      cntop.press(KEYS.escape);
      await cntop.waitFor((t) => !t.includes(first) && t.includes('F10Quit'));
    }
    cntop.press(KEYS.f1);
    await cntop.waitFor(first);
    cntop.press(KEYS.down);
    await cntop.waitFor((t) => !t.includes(first) && t.includes('Help'));
    cntop.press(KEYS.up);
    await cntop.waitFor(first);
    // Past the end, one Up must still scroll: the help does not count lines it cannot show.
    // The help lists every screen's keys: far more than three pages of this terminal.
    for (let i = 0; i < 8; i++) cntop.press(KEYS.pageDown);
    await cntop.waitFor(last);
    cntop.press(KEYS.up);
    await cntop.waitFor((t) => !t.includes(last) && !t.includes(first) && t.includes('Help'));
    for (let i = 0; i < 8; i++) cntop.press(KEYS.pageUp);
    await cntop.waitFor(first);
    cntop.press('t'); // any other key closes the help, and does nothing else
    await cntop.waitFor((t) => !t.includes(first) && t.includes('F10Quit'));
    expect(cntop.text()).toMatch(/PID△/);
    await mirror.resize(COLS, ROWS);
    cntop.resize(COLS, ROWS);
    await cntop.waitFor((t) => (screenLines(t)[ROWS - 1] ?? '').includes('F10Quit'));
  });

  it('q quits with exit code 0 and the terminal restored', async () => {
    cntop.press('q');
    expect(await cntop.exitCode(10_000)).toBe(0);
    expect(cntop.raw).toContain('\x1b[?1049l');
    expect(cntop.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(cntop.raw.lastIndexOf('\x1b[?25l'));
    expect(await cntop.bufferType()).toBe('normal');
    expect(alive(lone.pid as number)).toBe(true);
  });

  it.each([
    ['F10', KEYS.f10],
    ['Ctrl-C', KEYS.ctrlC],
  ])('%s quits with exit code 0 and the terminal restored', async (_name, key) => {
    const s = startInTerminal(process.execPath, [ENTRY], { cols: 100, rows: 30 });
    sessions.push(s);
    await s.waitFor((t) => /^\s+1 \S+/m.test(t) && t.includes('F10Quit'), 15_000); // generous: start-up under load
    s.press(key);
    expect(await s.exitCode(10_000)).toBe(0);
    expect(s.raw).toContain('\x1b[?1049l');
    expect(s.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(s.raw.lastIndexOf('\x1b[?25l'));
    expect(await s.bufferType()).toBe('normal');
  });
});
