// Runs the built cntop (dist/main.js, or CNTOP_COMMAND such as "npx cntop") as a child process and
// reads its output as it comes: NDJSON events by pid, readiness, exit status, and its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sleep, waitFor } from '../helpers/wait-for.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const MAIN = path.join(REPO, 'dist/main.js');

/** The command line that starts cntop: `node dist/main.js` unless CNTOP_COMMAND says otherwise. */
export function cntopCommand(): string[] {
  const custom = process.env['CNTOP_COMMAND'];
  return custom !== undefined && custom.trim() !== '' ? custom.trim().split(/\s+/) : [process.execPath, MAIN];
}

// Re-exported: the CLI tests import their waiting from here with the rest of the harness.
export { sleep, waitFor };

export interface CntopRun {
  readonly child: ChildProcess;
  stdout(): string;
  /** What cntop wrote to stderr (npm's own "npm warn" lines, under npx, left out). */
  stderr(): string;
  /** Parsed NDJSON objects so far (complete lines only). */
  records(): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCntop(args: readonly string[]): CntopRun {
  const [command, ...prefix] = cntopCommand();
  const child = spawn(command as string, [...prefix, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let parsedUpTo = 0;
  const parsed: Record<string, unknown>[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => withoutNpmNoise(err),
    records() {
      const end = out.lastIndexOf('\n');
      if (end >= parsedUpTo) {
        for (const line of out.slice(parsedUpTo, end).split('\n')) {
          if (line !== '') parsed.push(JSON.parse(line) as Record<string, unknown>);
        }
        parsedUpTo = end + 1;
      }
      return parsed;
    },
    exited,
  };
}

/** stderr without npm's own "npm warn …" lines, which appear when CNTOP_COMMAND is "npx cntop". */
export function withoutNpmNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('npm warn '))
    .join('\n');
}

/**
 * Waits until cntop reports events: spawns a short child every 100 ms until its pid shows up in
 * the output. Proves the subscription is live rather than guessing with a fixed delay.
 */
export async function waitUntilStreaming(run: CntopRun, timeoutMs = 20_000): Promise<void> {
  const probes: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const probe = spawn('true');
    if (probe.pid !== undefined) probes.push(probe.pid);
    await sleep(100);
    const text = run.stdout();
    if (probes.some((pid) => text.includes(`"pid":${pid},`) || new RegExp(`\\s${pid}\\s`).test(text))) return;
    if (run.child.exitCode !== null) throw new Error(`cntop exited early: ${run.stderr()}`);
  }
  throw new Error(`cntop did not stream within ${timeoutMs} ms; stderr: ${run.stderr()}`);
}

/** The pid of the node process running cntop: the child itself, or a descendant under npx. */
export function cntopPid(rootPid: number): number | null {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(name), ppid);
    } catch {
      // gone meanwhile: normal
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) if (p === rootPid) return true;
    return false;
  };
  for (const pid of parentOf.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // node dist/main.js …, or node …/node_modules/.bin/cntop … under npx
      if (
        (cmdline[0] ?? '').endsWith('node') &&
        cmdline.some((arg) => arg.endsWith('dist/main.js') || arg.endsWith('/.bin/cntop'))
      ) {
        return pid;
      }
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Why the CLI integration tests cannot run here, or null. */
export function missingBuild(): string | null {
  if (!existsSync(MAIN)) return `${MAIN} is missing: run npm run build:ts`;
  if (!existsSync(path.join(REPO, 'build/Release/cntop_connector.node')))
    return 'the addon is not built: run npm run build:addon';
  return null;
}
