// Owns the terminal: creates the blessed program and screen (alternate screen, raw keys, mouse,
// hidden cursor), paints a Canvas into it, and restores everything on destroy. Nothing else in the
// UI touches tty modes.
import { createRequire } from 'node:module';
import type blessed from 'blessed';
import { installTerminfoShortcuts, isThirtyTwoBitTerminfoFile, type TputPrototype } from './blessed-terminfo.js';
import type { Canvas, StyleName } from './canvas.js';
import type { ChartSpec } from './history-view.js';
import { themeAttrs } from './theme.js';
import { ChartLayer } from './widgets/history-charts.js';

export interface MouseInput {
  readonly action: 'click' | 'wheelup' | 'wheeldown';
  readonly x: number;
  readonly y: number;
}

export interface TerminalHandlers {
  onKey(ch: string | undefined, key: { name?: string; full?: string } | undefined): void;
  onMouse(event: MouseInput): void;
  onResize(): void;
}

export interface Terminal {
  readonly width: number;
  readonly height: number;
  /** Paints the frame, and over it exactly `charts` (blessed-contrib line charts; none when omitted). */
  paint(canvas: Canvas, charts?: readonly ChartSpec[]): void;
  destroy(): void;
}

/**
 * blessed's terminfo reader predates ncurses 6.1 and trips on two things that modern systems ship:
 * the 32-bit number format (magic 01036, used by xterm-256color, tmux-256color, screen-256color on
 * Debian 12), which shifts every string it reads, and extended capabilities such as Setulc whose
 * syntax its terminfo-to-JavaScript compiler cannot handle. Either way it prints the generated code
 * on stderr (over the screen) and falls back to a bundled xterm terminfo. We probe first, without
 * the extended section (cntop uses no extended capability), so that a terminfo blessed can read is
 * used as is; when it cannot, blessed's bundled fallback is accepted but its diagnostics are kept off
 * the terminal.
 */
function readExtendedCaps(terminal: string): boolean {
  // A 32-bit terminfo is unreadable to blessed whatever the flag: no need to compile it twice to find
  // out (~15-30 ms of start-up; xterm-256color, the commonest TERM, is one on Debian 12).
  if (isThirtyTwoBitTerminfo(terminal)) return true;
  const Tput = blessedParts().Tput;
  const probe = quietly(() => new Tput({ terminal, extended: false }));
  // false: a readable legacy terminfo, read without the extended section that may not compile.
  // true (blessed's default): the file is unreadable to blessed anyway and it will fall back.
  return probe.error !== null;
}

/** Whether the terminfo file blessed would read for `terminal` is in the 32-bit format (false when unsure). */
function isThirtyTwoBitTerminfo(terminal: string): boolean {
  try {
    // blessed's own search path, so that the file checked is the file it would read.
    return isThirtyTwoBitTerminfoFile(blessedParts().Tput._prefix(terminal));
  } catch {
    return false;
  }
}

interface BlessedParts {
  readonly program: (options: object) => blessed.BlessedProgram;
  readonly screen: ((options: blessed.Widgets.IScreenOptions) => blessed.Widgets.Screen) & Record<string, unknown>;
  readonly box: (options: blessed.Widgets.BoxOptions) => blessed.Widgets.BoxElement;
  readonly Tput: (new (options: object) => { error: Error | null }) & {
    _prefix(terminal: string): string;
    prototype: TputPrototype;
  };
}

let parts: BlessedParts | null = null;

/**
 * The four parts of blessed cntop uses, each from its own module: blessed's index loads every widget
 * (forms, images, a terminal emulator...), ~20 ms and ~3 MB more at start-up for nothing. The modules
 * are the same ones the index would load, so blessed-contrib (which requires the index when the
 * history view first shows its charts) builds on the same classes, with the terminfo shortcuts of
 * blessed-terminfo.ts installed on its Tput.
 */
function blessedParts(): BlessedParts {
  if (parts !== null) return parts;
  const load = createRequire(import.meta.url);
  parts = {
    program: load('blessed/lib/program') as BlessedParts['program'],
    screen: load('blessed/lib/widgets/screen') as BlessedParts['screen'],
    box: load('blessed/lib/widgets/box') as BlessedParts['box'],
    Tput: load('blessed/lib/tput') as BlessedParts['Tput'],
  };
  // Before the first Tput (the probe's or the program's) is created.
  installTerminfoShortcuts(parts.Tput, load.resolve('blessed/lib/tput'));
  return parts;
}

/** Runs `fn` with console.error and console.log silenced: blessed reports terminfo trouble there. */
function quietly<T>(fn: () => T): T {
  const saved = { error: console.error, log: console.log };
  console.error = () => undefined;
  console.log = () => undefined;
  try {
    return fn();
  } finally {
    console.error = saved.error;
    console.log = saved.log;
  }
}

/**
 * blessed binds process-wide handlers with its first screen: on SIGTERM, SIGINT and SIGQUIT, and on an
 * uncaught exception, it destroys its screens, may print the error, and calls process.exit on the next
 * tick whenever it is the only listener left. cntop's lifecycle (src/cli/lifecycle.ts) owns those exit
 * paths; once its cleanup has destroyed the screen blessed's handler is the only one, and it would cut
 * the lifecycle's flush short, replace its exit code, and print an error twice. Its 'exit' handler,
 * which only restores the terminal, stays as a last resort.
 */
function leaveExitPathsToTheLifecycle(): void {
  const handlers = blessedParts().screen as unknown as Record<string, ((...args: unknown[]) => void) | undefined>;
  const bound: ReadonlyArray<readonly [string, string]> = [
    ['SIGTERM', '_sigtermHandler'],
    ['SIGINT', '_sigintHandler'],
    ['SIGQUIT', '_sigquitHandler'],
    ['uncaughtException', '_exceptionHandler'],
  ];
  for (const [event, name] of bound) {
    const handler = handlers[name];
    if (handler !== undefined) process.removeListener(event, handler);
  }
}

type BlessedLines = (Array<[number, string]> & { dirty?: boolean })[];

export interface TerminalIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

export function openTerminal(
  options: { color: boolean; unicode: boolean; mouse?: boolean },
  handlers: TerminalHandlers,
  io: TerminalIo = { input: process.stdin, output: process.stdout },
): Terminal {
  const terminal = process.env['TERM'] || 'xterm';
  const blessed = blessedParts();
  const program = quietly(() =>
    blessed.program({ input: io.input, output: io.output, terminal, extended: readExtendedCaps(terminal) }),
  );
  const screen = quietly(() =>
    blessed.screen({
      program,
      smartCSR: true,
      fullUnicode: false,
      autoPadding: false,
      warnings: false,
    }),
  );
  leaveExitPathsToTheLifecycle();
  // With a UTF-8 locale, box and tree glyphs go out as UTF-8. blessed would otherwise translate them
  // to the terminfo's alternate character set, which tmux and others then show as "lqqk".
  if (options.unicode) (program as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  // A terminal without colours (vt100, vt220: no setaf/setab in its terminfo) gets the monochrome theme,
  // as htop falls back to inverse video: blessed would otherwise reduce the colour pairs to what it
  // guesses, and the selection, the header line and the exited rows came out black on black, red on red.
  const attrs = themeAttrs(
    options.color && hasColours((program as unknown as { tput: { colors?: number } }).tput.colors),
  );
  let frame: Canvas | null = null;
  // Created on the first frame with charts: a viewer that never opens the history view never loads them.
  let charts: ChartLayer | null = null;

  const surface = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', height: '100%' });
  // The whole screen is one element whose render copies the Canvas into blessed's cell buffer;
  // blessed then diffs it against what the terminal shows and writes only the changed cells.
  (surface as unknown as { render: () => unknown }).render = function paintCells(this: unknown) {
    if (frame === null) return undefined;
    const lines = (screen as unknown as { lines: BlessedLines }).lines;
    copyCells(frame, lines, attrs);
    return { xi: 0, xl: screen.width, yi: 0, yl: screen.height };
  };

  screen.on('keypress', (ch: string | undefined, key: { name?: string; full?: string } | undefined) =>
    handlers.onKey(ch, key),
  );
  // -M / --no-mouse: no mouse reporting, so the terminal's own selection and paste keep working.
  if (options.mouse !== false)
    screen.on('mouse', (data: { action: string; x: number; y: number }) => {
      if (data.action === 'mousedown') handlers.onMouse({ action: 'click', x: data.x, y: data.y });
      else if (data.action === 'wheelup' || data.action === 'wheeldown')
        handlers.onMouse({ action: data.action, x: data.x, y: data.y });
    });
  screen.on('resize', () => handlers.onResize());
  if (options.mouse !== false) screen.enableMouse();
  program.hideCursor();

  let destroyed = false;
  return {
    get width() {
      return Number(screen.width);
    },
    get height() {
      return Number(screen.height);
    },
    paint(canvas: Canvas, chartSpecs: readonly ChartSpec[] = []) {
      if (destroyed) return;
      frame = canvas;
      if (chartSpecs.length > 0) charts ??= new ChartLayer(screen, options.color);
      charts?.update(chartSpecs);
      screen.render();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      // Leaves the alternate screen, shows the cursor, turns mouse reporting and raw mode off.
      screen.destroy();
      io.input.pause();
    },
  };
}

/** Whether a terminfo's colour count (max_colors; blessed says -1 when the entry has none) allows the colour theme. */
export function hasColours(colors: number | undefined): boolean {
  return colors !== undefined && colors >= 8;
}

/**
 * Copies the Canvas into blessed's cell buffer and marks dirty only the lines that changed: blessed's
 * draw then skips every other line (it compares a dirty line cell by cell with what the terminal shows
 * and builds its output). On an idle screen most lines are the same from frame to frame, and marking
 * them all dirty cost about as much as composing the frame.
 */
function copyCells(canvas: Canvas, lines: BlessedLines, attrs: Readonly<Record<StyleName, number>>): void {
  const height = Math.min(canvas.height, lines.length);
  for (let y = 0; y < height; y++) {
    const line = lines[y];
    const chars = canvas.chars[y];
    const styles = canvas.styles[y];
    if (line === undefined || chars === undefined || styles === undefined) continue;
    const width = Math.min(canvas.width, line.length);
    let changed = false;
    for (let x = 0; x < width; x++) {
      const cell = line[x];
      if (cell === undefined) continue;
      const attr = attrs[styles[x] as StyleName];
      const ch = chars[x] as string;
      if (cell[0] !== attr || cell[1] !== ch) {
        cell[0] = attr;
        cell[1] = ch;
        changed = true;
      }
    }
    if (changed) line.dirty = true;
  }
}
