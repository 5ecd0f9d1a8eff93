// Runs `cntop doctor --json` as a real child process (optionally behind a wrapper such as unshare or
// setpriv) from a directory holding a built cntop, and parses what it printed.
import { spawn } from 'node:child_process';
import type { DoctorJson } from '../../src/cli/doctor-command.js';

export interface DoctorRun {
  /** The pid of the spawned process (the doctor's own unless a wrapper forks, as unshare -f does). */
  readonly pid: number;
  readonly code: number | null;
  readonly stderr: string;
  readonly json: DoctorJson;
  readonly wallMs: number;
}

/** `[...prefix, node, dist/main.js, doctor, --json, ...extra]` in cwd; rejects when it prints no JSON. */
export function runDoctor(cwd: string, prefix: readonly string[], extra: readonly string[] = []): Promise<DoctorRun> {
  const argv = [...prefix, process.execPath, 'dist/main.js', 'doctor', '--json', ...extra];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({
          pid: child.pid ?? -1,
          code,
          stderr,
          json: JSON.parse(stdout) as DoctorJson,
          wallMs: performance.now() - started,
        });
      } catch {
        reject(
          new Error(
            `\`${argv.join(' ')}\` exited ${String(code)} without JSON; stdout: ${stdout.slice(0, 300)} stderr: ${stderr.slice(0, 300)}`,
          ),
        );
      }
    });
  });
}
