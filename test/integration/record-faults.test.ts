// The recorder's faults, on a real SQLite file and the real kernel: SIGKILL mid-recording, a full disk
// (a small tmpfs) headless and beside the viewer, the files' modes, and the files it must refuse
// untouched (not a cntop database, a newer schema, a read-only path, a second recorder).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/load-addon.js';
import { SCHEMA_VERSION } from '../../src/record/schema.js';
import { compensateLeak } from '../helpers/listener-audit.mjs';
import { startInTerminal, endGracefully, REPO_ROOT } from '../helpers/terminal-harness.js';
import { cntopCommand, cntopPid, missingBuild, sleep, waitFor, withoutNpmNoise } from './cli-harness.js';
import {
  jobLoop,
  mountTmpfs,
  query,
  rootSkip,
  startCntop,
  stopLoops,
  stopRecorder,
  waitRecording,
  type CntopRun,
} from './record-harness.js';
import { present } from '../helpers/present.js';

const skipWhy = missingBuild() ?? rootSkip;
if (skipWhy !== null) console.warn(`record-faults skipped: ${skipWhy}`);

/** Run after each test in reverse order; a returned promise is awaited. */
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await stopLoops();
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-rec-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function record(args: string[]): CntopRun {
  const run = startCntop(['record', ...args]);
  cleanup.push(() => stopRecorder(run));
  return run;
}

/** Runs cntop to its end (for the refusals, which exit at once). */
function cntop(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: result.status, stdout: result.stdout, stderr: withoutNpmNoise(result.stderr) };
}

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const mode = (path: string): number => statSync(path).mode & 0o777;

function integrity(path: string): string {
  const db = new Database(path, { fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe.skipIf(skipWhy !== null)('cntop record, killed and starved', () => {
  it('SIGKILL: the database opens, passes integrity_check and holds every process that exited more than a second before', async () => {
    const path = join(tempDir(), 'rec.db');
    const run = record(['--db', path]);
    await waitRecording(run, path);
    const pid = cntopPid(run.child.pid as number) as number;
    const loop = jobLoop('sh -c "exit $((i % 7))" cntop-kill-$i', 3);
    await sleep(3000);
    const killedMs = Date.now();
    process.kill(pid, 'SIGKILL');
    await run.exited;
    const addon = loadAddon();
    // Killed, it could not send its IGNORE: take its LISTEN back, as the project's rule asks.
    if (addon.ok) compensateLeak(addon.value, pid);
    const jobs = await loop.stop();
    const due = jobs.filter((j) => j.exitedMs < killedMs - 1000);
    expect(due.length).toBeGreaterThan(20);
    expect(integrity(path)).toBe('ok');
    // By pid and time: a job this short is often gone before its command line can be read.
    const rows = query<{ pid: number; exit_code: number | null; end_ms: number }>(
      path,
      'SELECT pid, exit_code, end_ms FROM process WHERE end_ms IS NOT NULL AND end_ms >= ?',
      (due[0]?.exitedMs ?? 0) - 5000,
    );
    const byPid = new Map<number, { exit_code: number | null; end_ms: number }[]>();
    for (const row of rows) byPid.set(row.pid, [...(byPid.get(row.pid) ?? []), row]);
    // The shell's clock reading after wait() and the recording's (the exit event's monotonic time plus the
    // session's wall-clock anchor) differ by a few ms either way: 50 ms of slack.
    const missing = due.filter(
      (j) => !(byPid.get(j.pid) ?? []).some((r) => Math.abs(r.end_ms - j.exitedMs) <= 50 && r.exit_code === j.code),
    );
    // On a failure, what the file has for those pids, and when the kill was: enough to tell why.
    const seenForMissing = missing.slice(0, 5).map((j) => ({
      job: j,
      killedMs,
      rows: query(path, 'SELECT pid, start_ms, end_ms, exit_code, exit_signal, comm FROM process WHERE pid = ?', j.pid),
    }));
    expect(missing, JSON.stringify(seenForMissing)).toEqual([]);
  });

  it('disk full: says so, stops recording, keeps running, and the database stays valid', async () => {
    const fs = mountTmpfs('8m');
    cleanup.push(() => fs.remove());
    const path = join(fs.dir, 'rec.db');
    const run = record(['--db', path, '--sample', '1s']);
    await waitRecording(run, path);
    // Long command lines (16 KB a process, with its exec row) fill 8 MB in a few hundred processes.
    const filler = 'x'.repeat(2000);
    const loop = jobLoop(`sh -c true cntop-fill-$i ${filler} ${filler}`, 4);
    await waitFor(() => run.stderr().includes('is full'), 60_000, 'the disk-full message');
    await loop.stop();
    expect(run.stderr()).toMatch(
      /cntop record: recording stopped: the disk holding .*rec\.db is full \(the database keeps everything committed before\); retrying every 30 s/,
    );
    await sleep(1500);
    expect(run.child.exitCode).toBeNull(); // still running
    expect(await stopRecorder(run)).toEqual({ code: 0, signal: null });
    expect(integrity(path)).toBe('ok');
    expect(
      query<{ n: number }>(path, "SELECT count(*) AS n FROM process WHERE cmdline LIKE '%cntop-fill-%'")[0]?.n,
    ).toBeGreaterThan(10);
    // Marked, when even that small write found room; else the next recorder marks it 'interrupted'.
    expect(
      query<{ stop_reason: string | null }>(path, 'SELECT stop_reason FROM session').map((r) => r.stop_reason),
    ).toEqual([expect.toBeOneOf(['disk-full', null])]);
  });

  it('disk full beside the viewer: the message shows, recording stops, the viewer goes on', async () => {
    const fs = mountTmpfs('8m');
    cleanup.push(() => fs.remove());
    const path = join(fs.dir, 'rec.db');
    const [command, ...prefix] = cntopCommand();
    const session = startInTerminal(command as string, [...prefix, '--record', path], {
      cols: 160,
      rows: 40,
      cwd: REPO_ROOT,
    });
    cleanup.push(() => endGracefully(session));
    await session.waitFor('PID', 20_000);
    await waitFor(
      () => existsSync(path) && query<{ n: number }>(path, 'SELECT count(*) AS n FROM session')[0]?.n === 1,
      20_000,
      'the session row',
    );
    const filler = 'y'.repeat(2000);
    const loop = jobLoop(`sh -c true cntop-vfill-$i ${filler} ${filler}`, 4);
    await session.waitFor('recording stopped', 60_000);
    await loop.stop();
    // Still the viewer: it answers a key (F1 help) and leaves on q with status 0.
    session.press('h');
    await session.waitFor(/help|Help/, 5000);
    session.press('q');
    session.press('q');
    expect(await session.exitCode(10_000)).toBe(0);
    expect(session.raw).toMatch(/cntop: recording stopped: the disk holding .*rec\.db is full/);
    expect(integrity(path)).toBe('ok');
  });
});

describe.skipIf(skipWhy !== null)('cntop record, its files and what it refuses', () => {
  it('creates the directory 0700 and the database, WAL, shared memory and lock files 0600', async () => {
    const path = join(tempDir(), 'state', 'cntop', 'rec.db');
    const run = record(['--db', path]);
    await waitRecording(run, path);
    expect(mode(join(path, '..'))).toBe(0o700);
    expect(mode(join(path, '..', '..'))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-lock`]) expect(mode(file), file).toBe(0o600);
    expect(await stopRecorder(run)).toEqual({ code: 0, signal: null });
    expect(mode(path)).toBe(0o600);
  });

  it('refuses a file that is not a cntop database, for writing and reading, and leaves it untouched', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'important notes\n');
    const other = join(dir, 'app.db');
    const db = new Database(other);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = [digest(text), digest(other)];
    for (const [args, who] of [
      [['record', '--db', text], 'cntop record'],
      [['record', '--db', other], 'cntop record'],
      [['--record', text], 'cntop: --record'],
      [['query', other, 'SELECT 1'], 'cntop query'],
      [['report', 'exits', '--db', text], 'cntop report'],
      [['snapshot', '--db', other, '--at', 'now'], 'cntop snapshot'],
    ] as const) {
      const result = cntop([...args]);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(
        new RegExp(`^${who}: .* is not a cntop recording \\(.*\\); refusing to touch it\\n$`),
      );
    }
    expect([digest(text), digest(other)]).toEqual(before);
    expect(existsSync(`${text}-lock`) || existsSync(`${other}-lock`) || existsSync(`${other}-wal`)).toBe(false);
  });

  it('refuses a recording of a newer schema', async () => {
    const path = join(tempDir(), 'rec.db');
    const run = record(['--db', path]);
    await waitRecording(run, path);
    await stopRecorder(run);
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    const before = digest(path);
    const result = cntop(['record', '--db', path]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `was written by a newer cntop (schema version 99; this cntop reads up to ${SCHEMA_VERSION}); upgrade cntop to use it`,
    );
    expect(cntop(['query', path, 'SELECT 1']).status).toBe(1);
    expect(digest(path)).toBe(before);
  });

  it('refuses a read-only path: an existing recording and a new one', async () => {
    const fs = mountTmpfs('4m');
    cleanup.push(() => fs.remove());
    const path = join(fs.dir, 'rec.db');
    const run = record(['--db', path]);
    await waitRecording(run, path);
    await stopRecorder(run);
    fs.remount('ro');
    const before = digest(path);
    for (const target of [path, join(fs.dir, 'new.db'), join(fs.dir, 'sub', 'new.db')]) {
      const result = cntop(['record', '--db', target]);
      expect(result.status, target).toBe(1);
      expect(result.stderr, target).toBe(`cntop record: cannot write ${target}: read-only file system\n`);
    }
    expect(digest(path)).toBe(before);
    // Reading it still works.
    const read = cntop(['query', path, 'SELECT count(*) AS n FROM session']);
    expect(read).toMatchObject({ status: 0, stdout: 'n\n1\n' });
  });

  it('refuses a second recorder on the same file, naming the first; the first goes on', async () => {
    const path = join(tempDir(), 'rec.db');
    const first = record(['--db', path]);
    await waitRecording(first, path);
    const pid = present(cntopPid(first.child.pid as number), 'the recorder pid');
    const second = cntop(['record', '--db', path]);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^cntop record: .*rec\\.db is being written by another recorder \\(pid ${String(pid)}, since .*\\); one recorder per file\\n$`,
      ),
    );
    await waitRecording(first, path); // still recording
    expect(await stopRecorder(first)).toEqual({ code: 0, signal: null });
    expect(integrity(path)).toBe('ok');
    expect(query<{ stop_reason: string }>(path, 'SELECT stop_reason FROM session')).toEqual([
      { stop_reason: 'stopped' },
    ]);
  });
});
