// Runs one command in a qemu guest through this directory's run-in-kernel.sh and returns its output,
// exit status and wall time; also decides, once, whether guests can boot here at all (and why not).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './ensure-built.js';

const HARNESS = path.join(REPO_ROOT, 'test/kernelvm/run-in-kernel.sh');

/** Downloads/prepares the kernel (installing qemu etc. with apt-get when root). null = usable. */
export function whyGuestCannotBoot(kernel: string): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return `needs x86_64 Linux (this is ${process.platform}/${process.arch})`;
  const prepared = spawnSync(HARNESS, ['--kernel', kernel, '--prepare'], { encoding: 'utf8', timeout: 600_000 });
  if (prepared.status === 0) return null;
  return `run-in-kernel.sh --prepare for ${kernel} failed (exit ${String(prepared.status ?? prepared.signal)}): ${prepared.stderr.trim().slice(-400)}`;
}

export interface GuestRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** cwd: the host directory the command runs in (the guest sees the same path). */
export function runInGuest(
  kernel: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutS: number,
  cwd: string = REPO_ROOT,
): Promise<GuestRun> {
  const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(HARNESS, ['-v', '--kernel', kernel, '--timeout', String(timeoutS), ...envArgs, '--', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr, wallMs: performance.now() - started }));
  });
}
