// Runs a program in a real pseudo-terminal (node-pty) and feeds its output into a headless xterm
// (@xterm/headless), so tests can press keys and read the screen as a user would see it.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import xtermHeadless from '@xterm/headless';
import * as pty from 'node-pty';

const { Terminal } = xtermHeadless;
const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  enter: '\r',
  escape: '\x1b',
  backspace: '\x7f',
  ctrlC: '\x03',
  f1: '\x1bOP',
  f2: '\x1bOQ',
  f3: '\x1bOR',
  f4: '\x1bOS',
  f5: '\x1b[15~',
  f6: '\x1b[17~',
  f7: '\x1b[18~',
  f8: '\x1b[19~',
  f9: '\x1b[20~',
  f10: '\x1b[21~',
} as const;

export interface StartOptions {
  readonly cols?: number;
  readonly rows?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export class TerminalSession {
  /** Everything the program wrote, escape sequences included. */
  raw = '';
  private readonly term: InstanceType<typeof Terminal>;
  private readonly exited: Promise<{ exitCode: number; signal?: number }>;

  constructor(
    readonly proc: pty.IPty,
    cols: number,
    rows: number,
  ) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    proc.onData((data) => {
      this.raw += data;
      this.term.write(data);
    });
    this.exited = new Promise((resolve) => proc.onExit(resolve));
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** The visible screen, one string per row, trailing blanks trimmed. */
  screen(): string[] {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.term.rows; y++)
      lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return lines;
  }

  text(): string {
    return this.screen().join('\n');
  }

  /** Which screen buffer the terminal shows ('alternate' while a full-screen program runs), once xterm has parsed everything received. */
  async bufferType(): Promise<'normal' | 'alternate'> {
    await this.settle();
    return this.term.buffer.active.type;
  }

  /** Resolves once xterm has parsed everything the program wrote so far (xterm parses asynchronously). */
  settle(): Promise<void> {
    return new Promise<void>((resolve) => this.term.write('', resolve));
  }

  press(keys: string): void {
    this.proc.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  /** Waits until the screen satisfies `test` (a substring or a predicate over the screen text). */
  async waitFor(test: string | RegExp | ((text: string) => boolean), timeoutMs = 5000): Promise<string> {
    const matches = (text: string) =>
      typeof test === 'string' ? text.includes(test) : test instanceof RegExp ? test.test(text) : test(text);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.settle();
      const text = this.text();
      if (matches(text)) return text;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(test)}; screen:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits until row y (0-based) is drawn highlighted at column x: a background colour or inverse video, as the selection is. */
  async waitForHighlight(y: number, x = 0, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.settle();
      const buffer = this.term.buffer.active;
      const cell = buffer.getLine(buffer.viewportY + y)?.getCell(x);
      if (cell !== undefined && (cell.isInverse() !== 0 || !cell.isBgDefault())) return;
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for row ${y} to be highlighted; screen:\n${this.text()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves with the exit code, or rejects after the timeout. */
  async exitCode(timeoutMs = 5000): Promise<number> {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('program did not exit')), timeoutMs).unref(),
    );
    const result = await Promise.race([this.exited, timeout]);
    return result.exitCode;
  }

  kill(): void {
    try {
      this.proc.kill('SIGKILL');
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}

export function startInTerminal(command: string, args: readonly string[], options: StartOptions = {}): TerminalSession {
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 30;
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/root',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    ...options.env,
  };
  const proc = pty.spawn(command, [...args], {
    name: env['TERM'] ?? 'xterm',
    cols,
    rows,
    cwd: options.cwd ?? REPO_ROOT,
    env,
  });
  return new TerminalSession(proc, cols, rows);
}

const FIXTURE_DIR = path.join(REPO_ROOT, 'node_modules/.cache/cntop-ui-fixture');

/**
 * Compiles the UI and a fixture (by default the fake-engine UI) with tsc into node_modules/.cache (so blessed resolves
 * from the repository) and returns the path of the runnable fixture script.
 */
export async function buildUiFixture(entry = 'test/e2e/fixtures/ui-on-fake-engine.ts'): Promise<string> {
  await execFileAsync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'),
      '--outDir',
      FIXTURE_DIR,
      '--rootDir',
      REPO_ROOT,
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--skipLibCheck',
      '--types',
      'node',
      path.join(REPO_ROOT, entry),
    ],
    { cwd: REPO_ROOT },
  );
  await mkdir(FIXTURE_DIR, { recursive: true });
  // Node stops looking for package.json at node_modules: declare ESM for the emitted files here.
  await writeFile(path.join(FIXTURE_DIR, 'package.json'), '{ "type": "module" }\n');
  return path.join(FIXTURE_DIR, entry.replace(/\.ts$/, '.js'));
}

/** SIGTERM first, so cntop sends its IGNORE; SIGKILL (which would leak its LISTEN) only if it outlives 5 s. */
export async function endGracefully(session: TerminalSession): Promise<void> {
  if (
    await session.exitCode(0).then(
      () => true,
      () => false,
    )
  )
    return; // already gone
  try {
    process.kill(session.pid, 'SIGTERM');
  } catch {
    return;
  }
  await session.exitCode(5000).catch(() => session.kill());
}
