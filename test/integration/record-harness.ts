// Shared by the record-*.test.ts files: starts `cntop record` (the built dist/main.js), waits until a
// marker process shows up in its database, reads the database read-only, runs short jobs whose
// exits are timed, and mounts the small tmpfs file systems the fault tests need (as root).
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCntop, sleep, type CntopRun } from './cli-harness.js';

export { startCntop, type CntopRun };

/** Opens the recording read-only (as `cntop query` does). */
export function readDb(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** Rows of one query against the recording, opened just for it. */
export function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = readDb(path);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * Waits until the recorder at `path` has committed a process started after it was ready: spawns a
 * marked `sh -c true` every 200 ms until one is in the database.
 */
export async function waitRecording(run: CntopRun, path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const marker = `cntop-ready-${process.pid}-${Date.now()}`;
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null)
      throw new Error(`cntop record exited early (${run.child.exitCode}): ${run.stderr()}`);
    spawnSync('sh', ['-c', 'true', marker]);
    await sleep(200);
    try {
      const rows = query<{ n: number }>(path, 'SELECT count(*) AS n FROM process WHERE cmdline LIKE ?', `%${marker}%`);
      if ((rows[0]?.n ?? 0) > 0) return;
    } catch {
      // not created yet, or the schema is still being written
    }
  }
  throw new Error(`cntop record did not record within ${timeoutMs} ms; stderr: ${run.stderr()}`);
}

export interface Job {
  readonly pid: number;
  /** Exit code as the shell saw it (128 + n for a signal). */
  readonly code: number;
  /** Wall ms when the shell saw it end (a little after it did). */
  readonly exitedMs: number;
  /** The job's number (its marker argument ends with it). */
  readonly index: number;
}

/**
 * Runs jobs in a bash loop, `parallel` at a time, until stop(): job i is `command i` (a shell word list
 * with $i in it). The loop runs in its own process, never in the test's event loop: spawning from the
 * test itself, hundreds a second, starved the test's own timers. Each job's pid, exit code and end
 * time ($EPOCHREALTIME) go to a log that stop() reads.
 */
export function jobLoop(command: string, parallel = 2): { stop: () => Promise<Job[]> } {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-jobs-'));
  const log = join(dir, 'jobs.log');
  const stopFile = join(dir, 'stop');
  const lane = `i=$1; while [ ! -e ${stopFile} ]; do ${command} & p=$!; wait $p; c=$?; echo "$p $c $EPOCHREALTIME $i" >> ${log}; i=$((i + ${parallel})); done`;
  const lanes = Array.from({ length: parallel }, (_, k) =>
    spawn('bash', ['-c', lane, 'lane', String(k)], { stdio: 'ignore' }),
  );
  const ended = Promise.all(lanes.map((child) => new Promise<void>((resolve) => child.on('exit', () => resolve()))));
  let stopped: Promise<Job[]> | null = null;
  const stop = (): Promise<Job[]> => {
    stopped ??= (async () => {
      writeFileSync(stopFile, '');
      await ended;
      loops.delete(stop);
      const jobs = (existsSync(log) ? readFileSync(log, 'utf8') : '')
        .split('\n')
        .filter((l) => l !== '')
        .map((line) => {
          const [pid, code, when, index] = line.split(' ');
          return {
            pid: Number(pid),
            code: Number(code),
            exitedMs: Math.floor(Number(when) * 1000),
            index: Number(index),
          };
        });
      rmSync(dir, { recursive: true, force: true });
      return jobs;
    })();
    return stopped;
  };
  loops.add(stop);
  return { stop };
}

/** Loops still running: a test that fails midway must not leave one spawning. */
const loops = new Set<() => Promise<Job[]>>();

/** Stops every loop a test left running (call it in afterEach). */
export async function stopLoops(): Promise<void> {
  await Promise.all([...loops].map((stop) => stop()));
}

/** Mounts a tmpfs of `size` on a fresh directory; returns it and an unmount-and-remove. Needs root. */
export function mountTmpfs(size: string): { dir: string; remount: (options: string) => void; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-rec-fs-'));
  const mount = (...args: string[]): void => {
    const result = spawnSync('mount', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${result.stderr}`);
  };
  mount('-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir);
  return {
    dir,
    remount: (options) => mount('-o', `remount,${options}`, dir),
    remove: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const rootSkip = process.getuid?.() !== 0 ? 'needs root (the connector, tmpfs mounts)' : null;

/** SIGTERM, then wait for the exit (SIGKILL would leak the LISTEN). */
export async function stopRecorder(run: CntopRun): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  return run.exited;
}
