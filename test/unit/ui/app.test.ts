// The App wired to a FakeEngine and a recording terminal (no tty): key flows, live updates, the
// render budget, and the system actions it asks for.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pid } from '../../../src/core/types.js';
import { App } from '../../../src/ui/app.js';
import type { Canvas } from '../../../src/ui/canvas.js';
import { SYSTEM_CLOCK } from '../../../src/ui/clock.js';
import type { SystemActions } from '../../../src/ui/effects.js';
import { UNICODE_GLYPHS } from '../../../src/ui/glyphs.js';
import type { TerminalHandlers } from '../../../src/ui/terminal.js';
import { FAKE_PID_BASE, FakeEngine, populate } from '../../helpers/fake-engine.js';
import type { SavablePreferences } from '../../../src/ui/viewer-preferences.js';

const B = FAKE_PID_BASE;
const FRAME_MS = 25;

class Harness {
  frames: Canvas[] = [];
  handlers: TerminalHandlers | null = null;
  signals: Array<[Pid, number]> = [];
  nice = new Map<Pid, number>();
  exits: number[] = [];
  readonly engine = new FakeEngine();
  readonly app: App;

  repairs = 0;
  saved: SavablePreferences[] = [];

  constructor(width = 120, height = 30, count = 40, withRepair = false) {
    populate(this.engine, count);
    const system: SystemActions = {
      sendSignal: (pid, signal) => void this.signals.push([pid, signal]),
      getPriority: (pid) => this.nice.get(pid) ?? 0,
      setPriority: (pid, value) => void this.nice.set(pid, value),
    };
    this.app = new App({
      engine: this.engine,
      openTerminal: (handlers) => {
        this.handlers = handlers;
        return { width, height, paint: (canvas) => void this.frames.push(canvas), destroy: () => undefined };
      },
      system,
      clock: SYSTEM_CLOCK,
      glyphs: UNICODE_GLYPHS,
      ascii: false,
      health: withRepair
        ? () => ({
            status: 'blind',
            mode: 'netlink',
            kernel: { release: '6.1.0', semantics: 'global-counter' },
            ack: { received: false, err: null, latencyMs: null },
            canary: { ok: false, latencyMs: null, atMs: null },
            deficit: 2,
            lost: 0,
            lastLossMs: null,
            cause: 'starved',
            fix: 'repair',
            taskstats: { status: 'ok', records: 1, lost: 0, cause: null, fix: null },
          })
        : undefined,
      repair: withRepair ? () => Promise.resolve(`repaired: deficit ${2 - ++this.repairs} now`) : undefined,
      requestExit: (code) => void this.exits.push(code),
      frameMs: FRAME_MS,
      savePreferences: (prefs) => (this.saved.push(prefs), 'settings saved to /tmp/test-cntoprc'),
    });
    this.app.start();
  }

  get screen(): string {
    return (this.frames[this.frames.length - 1] as Canvas).text();
  }

  /** Presses keys the way blessed reports them: names for special keys, characters otherwise. */
  press(...keys: string[]): void {
    for (const key of keys) {
      if (key === 'S-tab') this.handlers?.onKey(undefined, { name: 'tab', full: 'S-tab' });
      else if (/^(f\d+|up|down|pageup|pagedown|home|end|enter|escape|backspace|space|tab|left|right)$/.test(key))
        this.handlers?.onKey(key === 'space' ? ' ' : undefined, { name: key, full: key });
      else this.handlers?.onKey(key, { name: key.toLowerCase(), full: key });
    }
  }

  /** Types text one key per code point. */
  type(text: string): void {
    this.press(...Array.from(text));
  }

  /** Moves the fake clock two frame intervals on (timers and the promises they settle run), then reads the screen. */
  async frame(): Promise<string> {
    await vi.advanceTimersByTimeAsync(FRAME_MS * 2);
    return this.screen;
  }

  /** The row of the process list drawn in the selection style. */
  selectedLine(): string {
    const canvas = this.frames[this.frames.length - 1] as Canvas;
    for (let y = 0; y < canvas.height; y++) if (canvas.styles[y]?.[0] === 'selected') return canvas.rowText(y);
    return '';
  }
}

let harness: Harness | null = null;
const start = (...args: ConstructorParameters<typeof Harness>): Harness => (harness = new Harness(...args));
// Fake timers and clocks: frames are timer-driven, and a test that waits in real time depends on the
// machine's load; here time moves only when a test says so.
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  harness?.app.stop();
  vi.useRealTimers();
});

describe('App', () => {
  it('draws header meters, the column header, the panel and the function-key bar at start', () => {
    const h = start();
    const text = h.screen;
    for (const part of [
      'Mem[',
      'Swp[',
      'Load average:',
      'Uptime:',
      'Tasks:',
      'PID',
      'USER',
      'CPU%',
      'TIME+',
      'AGE',
      'Command',
      'F10Quit',
    ]) {
      expect(text).toContain(part);
    }
    expect(h.selectedLine()).toContain(String(B + 1));
    expect(text).not.toContain('─ Connector');
    // The screen tabs, the process list's highlighted.
    expect(text).toMatch(/ Processes +Exited +Events +History +Connector /);
  });

  it('shows the connector panel beside the list on a wide terminal, and on its own tab at any width', async () => {
    const h = start(160, 40);
    expect(h.screen).toContain('─ Connector');
    expect(h.screen).toMatch(/LISTEN +ack in 0\.42 ms/);
    h.app.stop();
    const narrow = start(100, 30);
    expect(narrow.screen).not.toMatch(/LISTEN +ack/);
    narrow.press('S-tab');
    const tab = await narrow.frame();
    expect(tab).toMatch(/LISTEN +ack in 0\.42 ms/);
    expect(tab).not.toContain('PID');
  });

  it('shows a forked process on the next frame, highlighted as new, and its exit status once it exits', async () => {
    const h = start();
    await h.frame(); // "new" means seen after the viewer started: let the fake clock move first
    h.engine.fork(B + 11, B + 500, 'newborn', ['newborn', '--now']);
    const text = await h.frame();
    expect(text).toContain('newborn --now');
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    const y = canvas.chars.findIndex((row) => row.join('').includes('newborn --now'));
    expect(canvas.styles[y]?.[0]).toBe('new');
    h.engine.exit(B + 500, { code: 3, signal: null, coreDumped: false }, 3 << 8);
    expect(await h.frame()).toMatch(/ exit 3 .*newborn --now/);
  });

  it('draws at most one frame per frame interval however many event batches arrive', async () => {
    const h = start();
    await h.frame();
    const before = h.frames.length;
    // 500 batches within one turn of the event loop, then nothing: exactly one frame shows them all.
    for (let i = 0; i < 500; i++) h.engine.fork(B + 11, B + 1000 + i, `storm${i}`);
    await vi.advanceTimersByTimeAsync(3 * FRAME_MS);
    expect(h.frames.length - before).toBe(1);
    expect(h.frames[h.frames.length - 1]?.text()).toContain('storm0');
  });

  it('keeps the selection on the same process when others appear above it', async () => {
    const h = start();
    h.type('/cron');
    h.press('enter');
    expect(await h.frame()).toContain('/usr/sbin/cron');
    expect(h.selectedLine()).toContain('cron');
    h.engine.fork(B + 1, B + 2, 'early', ['early']);
    h.engine.fork(B + 10, B + 300, 'sibling', ['sibling']);
    await h.frame();
    expect(h.selectedLine()).toContain('/usr/sbin/cron');
  });

  it('searches incrementally, then F9 and a confirmation send the signal to the found process', async () => {
    const h = start();
    h.type('/postg');
    await h.frame();
    expect(h.selectedLine()).toContain(String(B + 14));
    h.press('f3');
    await h.frame();
    expect(h.selectedLine()).toContain(String(B + 15));
    h.press('enter', 'f9');
    expect(await h.frame()).toContain('Send signal');
    h.press('enter');
    const confirm = await h.frame();
    expect(confirm).toContain('Send SIGTERM (15) to:');
    expect(confirm).toContain(`${B + 15}  postgres`);
    expect(h.signals).toEqual([]);
    h.press('y');
    expect(await h.frame()).toContain(`SIGTERM sent to PID ${B + 15}`);
    expect(h.signals).toEqual([[B + 15, 15]]);
  });

  it('sends nothing when the confirmation is declined, and signals every tagged process', async () => {
    const h = start();
    h.press('k', 'enter', 'n');
    await h.frame();
    expect(h.signals).toEqual([]);
    h.press('space', 'space', 'k', 'down', 'down', 'up', 'enter', 'y');
    await h.frame();
    expect(h.signals.map(([, signal]) => signal)).toEqual([16, 16]);
    expect(h.signals.map(([pid]) => pid).sort()).toEqual([B + 1, B + 10]);
  });

  it('renices the selected process with F7 and F8', async () => {
    const h = start();
    h.press('f8', 'f8', 'f7');
    await h.frame();
    expect(h.nice.get(B + 1)).toBe(1);
  });

  it('filters live as the user types and clears on Escape', async () => {
    const h = start();
    h.press('\\');
    h.type('vim');
    const filtered = await h.frame();
    expect(filtered).toContain('vim notes.txt');
    expect(filtered).toContain('sshd');
    expect(filtered).not.toContain('/usr/sbin/cron');
    h.press('escape');
    expect(await h.frame()).toContain('/usr/sbin/cron');
  });

  it('g shows the history view in place of the list (sparklines without braille), ignores clicks there, and g restores the list', async () => {
    const h = start(120, 30, 200);
    const selected = (await h.frame(), h.app.state.selectedPid);
    h.press('g');
    const history = await h.frame();
    expect(history).toContain('History: last 120 s');
    expect(history).toContain('no braille on this terminal');
    expect(history).not.toMatch(/^\s*PID/m);
    h.handlers?.onMouse({ action: 'click', x: 10, y: 12 });
    h.press('g');
    expect(await h.frame()).toMatch(/^\s*PID/m);
    expect(h.app.state.selectedPid).toBe(selected);
  });

  it('moves in the new view when a key follows a view change before any frame (F5 then Home)', async () => {
    const h = start(120, 30, 200);
    await h.frame();
    h.press('f5', 'home');
    await h.frame();
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    const header = canvas.chars.findIndex((row) => row.join('').includes('PID'));
    expect(h.selectedLine()).toBe(canvas.rowText(header + 1));
  });

  it('selects a row with a mouse click and scrolls with the wheel', async () => {
    const h = start(120, 30, 200);
    await h.frame();
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    const header = canvas.chars.findIndex((row) => row.join('').includes('PID'));
    const y = header + 4;
    const pid = canvas.rowText(y).trim().split(' ')[0] as string;
    h.handlers?.onMouse({ action: 'click', x: 10, y });
    await h.frame();
    expect(h.selectedLine().trim().split(' ')[0]).toBe(pid);
    h.handlers?.onMouse({ action: 'wheeldown', x: 10, y });
    await h.frame();
    const after = h.frames[h.frames.length - 1] as Canvas;
    expect(after.rowText(y + 3)).toBe(h.selectedLine());
  });

  it('opens the exited list and the event log with Tab, and the help screen', async () => {
    const h = start();
    h.engine.fork(B + 11, B + 600, 'brief', ['brief']);
    h.engine.exit(B + 600, { code: null, signal: 9, coreDumped: false }, 9);
    h.press('tab');
    const exited = await h.frame();
    expect(exited).toContain('Exited: 1 of 1 held');
    expect(exited).toMatch(new RegExp(`${B + 600} +SIGKILL`));
    h.press('tab');
    const log = await h.frame();
    expect(log).toContain('─ Events');
    expect(log).toMatch(/exit +\d+ SIGKILL/);
    expect(log).toMatch(/fork +\d+ child of brief/);
    h.press('f1');
    expect(await h.frame()).toContain('incremental search');
    h.press('z');
    expect(await h.frame()).toContain('F10Quit');
  });

  it('repairs only after R and a confirmation that says what it will do', async () => {
    const h = start(160, 40, 40, true);
    expect(h.screen).toMatch(/Deficit +2 \(press R to repair\)/);
    h.press('R');
    const confirm = await h.frame();
    expect(confirm).toContain('listener counter by 2');
    h.press('n');
    await h.frame();
    expect(h.repairs).toBe(0);
    h.press('R', 'y');
    expect(await h.frame()).toContain('repaired: deficit 1 now');
    expect(h.repairs).toBe(1);
  });

  it('narrows to one user through the u menu, and back to all', async () => {
    const h = start();
    h.press('u');
    const menu = await h.frame();
    expect(menu).toContain('Show user');
    expect(menu).toContain('(all users)');
    h.press('down', 'enter');
    const alice = await h.frame();
    expect(alice).toContain('user:alice');
    expect(alice).toContain('vim notes.txt');
    expect(alice).not.toContain('/sbin/init');
    h.press('u', 'home', 'enter');
    expect(await h.frame()).toContain('/sbin/init');
  });

  it('picks the sort column from the F6 menu', async () => {
    const h = start();
    h.press('f6');
    expect(await h.frame()).toContain('Sort by');
    h.press('down', 'down', 'down', 'down', 'enter');
    expect(await h.frame()).toMatch(/VIRT▽/);
  });

  it('says so when repair is not available', async () => {
    const h = start();
    h.press('R');
    expect(await h.frame()).toContain('repair is not available');
  });

  it('asks to exit with code 0 on q and F10', () => {
    const h = start();
    h.press('q', 'f10');
    expect(h.exits).toEqual([0, 0]);
  });
});

describe('App: issue 11 defects and screens', () => {
  it("takes Enter sent as CR LF as one key: k then Enter shows the confirmation and sends nothing (replays blessed's events)", async () => {
    const h = start();
    h.press('k');
    expect(await h.frame()).toContain('Send signal');
    // What blessed emits for "\r\n" in one chunk: 'return', its synthetic 'enter', then '\n' as 'linefeed'.
    h.handlers?.onKey('\r', { name: 'return', full: 'return', sequence: '\r' } as never);
    h.handlers?.onKey('\r', { name: 'enter', full: 'enter', sequence: '\r' } as never);
    h.handlers?.onKey('\n', { name: 'linefeed', full: 'linefeed', sequence: '\n' } as never);
    const screen = await h.frame();
    expect(screen).toContain('Send SIGTERM (15) to:');
    expect(h.signals).toEqual([]);
    // A later linefeed on its own (another key press) is Enter again: it confirms.
    h.handlers?.onKey('\n', { name: 'linefeed', full: 'linefeed', sequence: '\n' } as never);
    await h.frame();
    expect(h.signals).toEqual([[B + 1, 15]]);
  });

  it('selects a process by typing its PID, digit by digit (htop)', async () => {
    const h = start();
    await h.frame();
    h.type(String(B + 13));
    await h.frame();
    expect(h.selectedLine()).toContain('cron');
    // After a pause the digits start a new PID.
    await vi.advanceTimersByTimeAsync(2000);
    h.type(String(B + 12));
    await h.frame();
    expect(h.selectedLine()).toContain('vim');
  });

  it('sorts by the column header clicked, and inverts on a second click', async () => {
    const h = start();
    await h.frame();
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    let y = 0;
    while (y < canvas.height && !/^\s+PID/.test(canvas.rowText(y))) y++;
    const x = canvas.rowText(y).indexOf('CPU%');
    h.handlers?.onMouse({ action: 'click', x, y });
    expect(await h.frame()).toMatch(/CPU%▽/);
    expect(h.app.state.sortTree).toEqual({ key: 'cpu', descending: true });
    h.handlers?.onMouse({ action: 'click', x, y });
    expect(await h.frame()).toMatch(/CPU%△/);
  });

  it('switches screens by clicking a tab', async () => {
    const h = start();
    await h.frame();
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    let y = 0;
    while (y < canvas.height && !canvas.rowText(y).includes(' Processes ')) y++;
    h.handlers?.onMouse({ action: 'click', x: canvas.rowText(y).indexOf('Events'), y });
    expect(await h.frame()).toContain('─ Events');
  });

  it('lists exits on the Exited screen: filter by status, sort by CPU, pause with Z, fold by command with G', async () => {
    const h = start();
    const acct = (cpuMs: number, peakRssKiB: number) => ({
      comm: 'cc1',
      cpuMs,
      userMs: cpuMs,
      systemMs: 0,
      peakRssKiB,
      readBytes: 0,
      writeBytes: 0,
      minorFaults: 0,
      majorFaults: 0,
      voluntarySwitches: 0,
      involuntarySwitches: 0,
    });
    const spawn = (pid: number, name: string, code: number | null, signal: number | null, cpuMs: number) => {
      h.engine.fork(B + 11, pid, name, [name, '-c']);
      h.engine.exit(pid, { code, signal, coreDumped: false }, 0);
      const i = h.engine.exited.length - 1;
      h.engine.exited[i] = {
        ...(h.engine.exited[i] as (typeof h.engine.exited)[number]),
        accounting: acct(cpuMs, 1000 + cpuMs),
      };
    };
    spawn(B + 701, 'light', 0, null, 5);
    spawn(B + 702, 'heavy', 0, null, 900);
    spawn(B + 703, 'crash', null, 11, 40);
    spawn(B + 704, 'fails', 3, null, 1);
    h.press('tab');
    let text = await h.frame();
    expect(text).toContain('Exited: 4 of 4 held');
    const order = (t: string) =>
      [B + 701, B + 702, B + 703, B + 704]
        .map((pid) => ({ pid, at: t.indexOf(` ${pid} `) }))
        .sort((a, b) => a.at - b.at)
        .map((x) => x.pid);
    expect(order(text)).toEqual([B + 704, B + 703, B + 702, B + 701]); // newest first
    expect(text).toMatch(new RegExp(`${B + 702} +exit 0 +\\S+ +0\\.900s +1900K heavy -c`));
    h.press('P');
    expect(order(await h.frame())).toEqual([B + 702, B + 703, B + 701, B + 704]);
    h.press('\\');
    h.type('SEGV');
    h.press('enter');
    text = await h.frame();
    expect(text).toContain('Exited: 1 of 4 held');
    expect(text).toMatch(new RegExp(`${B + 703} +SIGSEGV`));
    h.press('\\', 'backspace', 'backspace', 'backspace', 'backspace');
    h.type('exit 3');
    h.press('enter');
    expect(await h.frame()).toMatch(new RegExp(`Exited: 1 of 4 held[\\s\\S]*${B + 704} +exit 3`));
    h.press('escape', '\\', 'escape');
    h.press('Z');
    expect(await h.frame()).toContain('PAUSED');
    spawn(B + 705, 'late', 0, null, 1);
    text = await h.frame();
    expect(text).toContain('Exited: 4 of 5 held');
    h.press('Z');
    expect(await h.frame()).toContain('Exited: 5 of 5 held');
    h.press('G');
    expect(await h.frame()).toContain('Exited by command');
  });

  it('keeps a selection on the Exited list: it stays on its exit as new ones arrive, Enter shows that exit, a header click sorts', async () => {
    const h = start();
    const acct = (cpuMs: number) => ({
      comm: 'cc1',
      cpuMs,
      userMs: cpuMs,
      systemMs: 0,
      peakRssKiB: 2048,
      readBytes: 4096,
      writeBytes: 0,
      minorFaults: 7,
      majorFaults: 0,
      voluntarySwitches: 0,
      involuntarySwitches: 0,
    });
    const spawn = (pid: number, name: string, code: number, cpuMs: number) => {
      h.engine.fork(B + 11, pid, name, [name, '--run']);
      h.engine.exit(pid, { code, signal: null, coreDumped: false }, 0);
      const i = h.engine.exited.length - 1;
      h.engine.exited[i] = { ...(h.engine.exited[i] as (typeof h.engine.exited)[number]), accounting: acct(cpuMs) };
    };
    spawn(B + 801, 'first', 0, 10);
    spawn(B + 802, 'second', 3, 250);
    h.press('tab');
    await h.frame();
    // The list is in a box: its rows start one cell in.
    const selectedExit = (): string => {
      const canvas = h.frames[h.frames.length - 1] as Canvas;
      for (let y = 0; y < canvas.height; y++) if (canvas.styles[y]?.[1] === 'selected') return canvas.rowText(y);
      return '';
    };
    expect(selectedExit()).toContain(`${B + 802}`); // newest first, the first row selected
    h.press('down');
    await h.frame();
    expect(selectedExit()).toContain(`${B + 801}`);
    // A new exit goes on top: the selection stays on its exit, one row lower.
    spawn(B + 803, 'third', 0, 1);
    await h.frame();
    expect(selectedExit()).toContain(`${B + 801}`);
    h.press('up');
    await h.frame();
    expect(selectedExit()).toContain(`${B + 802}`);
    h.press('enter');
    let text = await h.frame();
    expect(text).toContain('Details');
    expect(text).toMatch(new RegExp(`PID ${B + 802} +second`));
    expect(text).toContain('Ended:    exit 3');
    expect(text).toContain('CPU:      0.250 s');
    expect(text).toContain('Peak RSS: 2048K');
    h.press('escape');
    expect(await h.frame()).not.toContain('Details');
    // A click on the CPU header sorts by CPU (most first); again inverts.
    const canvas = h.frames[h.frames.length - 1] as Canvas;
    let y = 0;
    while (y < canvas.height && !/TIME.* PID .*STATUS/.test(canvas.rowText(y))) y++;
    const x = canvas.rowText(y).indexOf('CPU');
    h.handlers?.onMouse({ action: 'click', x, y });
    text = await h.frame();
    expect(text).toMatch(/CPU▽/);
    expect(text.indexOf(`${B + 802}`)).toBeLessThan(text.indexOf(`${B + 801}`));
    h.handlers?.onMouse({ action: 'click', x, y });
    text = await h.frame();
    expect(text).toMatch(/CPU△/);
    expect(text.indexOf(`${B + 803}`)).toBeLessThan(text.indexOf(`${B + 802}`));
    // By command, Enter lists that command's exits.
    h.engine.exitsByCommand = () => [
      { command: 'second', count: 1, failures: 1, cpuMs: 250, withoutCpu: 0, peakRssKiB: 2048 },
    ];
    h.press('G');
    await h.frame();
    h.press('home', 'enter');
    text = await h.frame();
    expect(text).toMatch(/Exited: 1 of 3 held.*filter: /);
  });

  it('F2 setup adds, moves and removes columns and meters, changes display options, and saves when it closes', async () => {
    const h = start(160, 40);
    h.press('f2');
    let text = await h.frame();
    expect(text).toContain('─ Setup ');
    expect(text).toMatch(/\[x\] PID/);
    expect(text).toMatch(/\[ \] SHR/);
    // The twelve shown columns come first; SHR is the first one offered after them.
    h.press(...Array<string>(12).fill('down'), 'space');
    text = await h.frame();
    expect(text).toMatch(/\[x\] SHR/);
    const header = () => h.screen.split('\n').find((l) => /^\s*PID/.test(l)) ?? '';
    h.press('f7');
    await h.frame();
    h.press('escape');
    text = await h.frame();
    expect(text).not.toContain('─ Setup ');
    // Added before AGE (moved up once from after it), and the process rows carry a value for it.
    expect(header()).toMatch(/TIME\+ +SHR +AGE/);
    expect(h.saved.at(-1)?.columns).toEqual([
      'pid',
      'user',
      'priority',
      'nice',
      'virt',
      'res',
      'state',
      'cpu',
      'mem',
      'time',
      'shr',
      'age',
      'command',
    ]);
    expect(text).toContain('settings saved to /tmp/test-cntoprc');
    // Meters: the per-core bars off, the one-bar average on.
    h.press('C', 'right');
    text = await h.frame();
    expect(text).toMatch(/\[x\] CPU, one bar per core/);
    h.press('space');
    await h.frame();
    h.press('down', 'space');
    await h.frame();
    // Display: the interval up one step (1.0 s to 1.5 s) and kernel threads on.
    h.press('right', 'down', 'space', ...Array<string>(3).fill('down'), '+');
    text = await h.frame();
    expect(text).toMatch(/\[x\] Show kernel threads/);
    expect(text).toMatch(/Update interval +1\.5 s/);
    h.press('f10');
    text = await h.frame();
    expect(text).toMatch(/Avg\[/);
    expect(text).not.toMatch(/^ +0\[/m);
    expect(h.engine.refreshMs).toBe(1500);
    const saved = h.saved.at(-1);
    // The selection followed CPU to the end of the list, where CPU average is next; a meter switched on comes last.
    expect(saved?.meters).toEqual(['exits', 'memory', 'swap', 'tasks', 'load', 'uptime', 'cpuavg']);
    expect(saved?.refreshMs).toBe(1500);
    expect(saved?.showKernelThreads).toBe(true);
    expect(h.exits).toEqual([]);
  });

  it('shows in a header meter the CPU of the processes that exited since the last refresh that no CPU% showed, once', async () => {
    const h = start();
    const acct = (cpuMs: number) => ({
      comm: 'job',
      cpuMs,
      userMs: cpuMs,
      systemMs: 0,
      peakRssKiB: 1,
      readBytes: 0,
      writeBytes: 0,
      minorFaults: 0,
      majorFaults: 0,
      voluntarySwitches: 0,
      involuntarySwitches: 0,
    });
    const end = (pid: number, cpuMs: number, sampledCpuMs: number) => {
      h.engine.fork(B + 11, pid, 'job', ['job']);
      // What the last sample of it alive showed (its CPU% already counted that much).
      (h.engine.processes.get(pid) as { cpuTimeMs: number }).cpuTimeMs = sampledCpuMs;
      h.engine.exit(pid, { code: 0, signal: null, coreDumped: false }, 0);
      const i = h.engine.exited.length - 1;
      h.engine.exited[i] = { ...(h.engine.exited[i] as (typeof h.engine.exited)[number]), accounting: acct(cpuMs) };
    };
    end(B + 901, 2300, 2200); // a long job sampled alive: only its last 100 ms count
    end(B + 902, 275, 0); // born and gone between two samples: all of it
    h.engine.refresh();
    expect(await h.frame()).toMatch(/Ext\[\|+ +exits 37\.5%\]/);
    // Counted once: the next interval, with no new exit, shows none.
    h.engine.refresh();
    expect(await h.frame()).toMatch(/Ext\[ +exits 0\.0%\]/);
  });

  it('opens the details panel with Enter: full command line, parent chain, user; any key closes it', async () => {
    const h = start();
    await h.frame();
    h.type(String(B + 12));
    h.press('enter');
    const text = await h.frame();
    expect(text).toContain('Details (any key closes)');
    expect(text).toContain('vim notes.txt');
    expect(text).toMatch(new RegExp(`Parents: +${B + 11} bash ← ${B + 10} sshd ← ${B + 1} systemd`));
    expect(text).toMatch(/User: +alice/);
    h.press('escape');
    expect(await h.frame()).not.toContain('Details');
  });

  it('scrolls the Command column with Right and Left', async () => {
    const h = start();
    await h.frame();
    h.type(String(B + 12));
    await h.frame();
    expect(h.selectedLine()).toContain('vim notes.txt');
    h.press('right', 'right');
    await h.frame();
    expect(h.selectedLine()).toMatch(/ {2,}es\.txt/);
    expect(h.selectedLine()).not.toContain('vim');
    h.press('left', 'left');
    await h.frame();
    expect(h.selectedLine()).toContain('vim notes.txt');
  });

  it("folds a parent's many exited children into a summary row that no signal can reach", async () => {
    const h = start();
    for (let i = 0; i < 6; i++) {
      h.engine.fork(B + 11, B + 800 + i, 'cc1', ['cc1', `f${i}.c`]);
      h.engine.exit(B + 800 + i, { code: i === 5 ? 1 : 0, signal: null, coreDumped: false }, 0);
    }
    const text = await h.frame();
    expect(text).toMatch(/… 3 more exited \(1 failed\) in \S+/);
    const index = h.app.shownOrder().pids.indexOf(-(B + 11));
    expect(index).toBeGreaterThan(0);
    h.app.dispatch({ type: 'select', pid: -(B + 11), index });
    h.press('k');
    await h.frame();
    h.press('enter');
    expect(await h.frame()).toContain('no process selected: no signal sent');
    h.press('space', 'enter');
    await h.frame();
    expect(h.signals).toEqual([]);
  });

  it('pauses the process list with Z (htop): new processes wait until it resumes', async () => {
    const h = start();
    await h.frame();
    h.press('Z');
    const paused = await h.frame();
    expect(paused).toContain(' PAUSED');
    h.engine.fork(B + 11, B + 900, 'latecomer', ['latecomer']);
    expect(await h.frame()).not.toContain('latecomer');
    h.press('Z');
    const text = await h.frame();
    expect(text).toContain('latecomer');
    expect(text).not.toContain('PAUSED');
  });

  it("shows the selected process's environment with e (htop), sanitized; any key closes it", async () => {
    const h = start();
    await h.frame();
    h.press('e');
    expect(await h.frame()).toContain('no environment reader here');
    Object.assign(h.app.deps.system, {
      readEnvironment: (pid: number) => (pid === B + 12 ? ['HOME=/home/alice', 'EVIL=\x1b[2Jgone'] : []),
    });
    h.type(String(B + 12));
    h.press('e');
    const text = await h.frame();
    expect(text).toContain(`Environment of ${B + 12}  vim`);
    expect(text).toContain('HOME=/home/alice');
    expect(text).toContain('EVIL=?[2Jgone');
    expect(text).not.toContain('\x1b');
    h.press('q');
    expect(await h.frame()).not.toContain('Environment of');
    expect(h.exits).toEqual([]);
  });
});
