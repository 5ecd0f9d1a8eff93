// A process that renames itself, on the real kernel: node's process.title rewrites its argv (what
// /proc/<pid>/cmdline shows) and its name (prctl PR_SET_NAME: a comm event), with no exec. Found as a
// second cause of record-done-when failures: `npx` on this shared machine showed "npm exec prettier …"
// live while the recording still had its exec's "node /usr/bin/npx prettier …". The engine must read
// the command line again after the comm event, and the recording must change program at the rename.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import { parseCmdline } from '../../src/core/proc/parse-status.js';
import { ok, type Pid } from '../../src/core/types.js';
import { openKernelEventSource } from '../../src/native/kernel-event-source.js';
import { openForWriting } from '../../src/record/open-db.js';
import { Recorder } from '../../src/record/recorder.js';
import { cntopCommand, missingBuild, sleep, waitFor, withoutNpmNoise } from './cli-harness.js';
import { query } from './record-harness.js';

const probe = openKernelEventSource();
const skipWhy = missingBuild() ?? (probe.ok ? null : `connector unavailable: ${JSON.stringify(probe.error)}`);
if (probe.ok) probe.value.close();
if (skipWhy !== null) console.warn(`record-rename skipped: ${skipWhy}`);

interface Node {
  pid: number;
  cmdline: string[] | null;
  children: Node[];
}

function find(roots: Node[], pid: Pid): Node | undefined {
  const stack = [...roots];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.pid === pid) return n;
    stack.push(...n.children);
  }
  return undefined;
}

function snapshot(args: string[]): Node[] {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, 'snapshot', ...args, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`cntop snapshot ${args.join(' ')}: ${withoutNpmNoise(result.stderr)}`);
  return JSON.parse(result.stdout) as Node[];
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

describe.skipIf(skipWhy !== null)('a recorded process that renames itself', () => {
  it('has its new command line in the recording from the rename on, as /proc shows it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cntop-rename-'));
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));
    const path = join(work, 'rec.db');
    const writer = openForWriting(path);
    if (!writer.ok) throw new Error(writer.error.kind);
    const monoNowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
    const recorder = new Recorder(
      writer.value,
      { monoNowMs, wallNowMs: () => Date.now(), onFailed: () => undefined },
      { sampleMs: 1000, flushMs: 250, retention: { retainMs: null, maxBytes: null }, version: 'test' },
    );
    cleanup.push(() => recorder.close());
    const source = openKernelEventSource();
    if (!source.ok) throw new Error('connector vanished');
    let engine: EngineControl | null = await startEngine({
      source: ok(source.value),
      // Long: the new command line must come from the rename's event, not from a refresh that reads /proc.
      refreshMs: 60_000,
      onEvents: (events) => recorder.onEvents(events),
      onAccountedExits: (exits) => recorder.onAccountedExits(exits),
    });
    cleanup.push(() => engine?.close());
    recorder.attach(engine, false);
    const view = engine;

    // Renames itself 0.8 s after it starts (its exec is long past by then), lives 2 s more.
    const script =
      "setTimeout(() => { process.title = 'cntop-renamed worker'; }, 800); setTimeout(() => undefined, 2800);";
    const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    cleanup.push(() => child.kill('SIGTERM'));
    const pid = child.pid as Pid;
    // As cntop parses it: the rewritten argv area keeps its length, so empty arguments follow the title.
    const procCmdline = (): string => JSON.stringify(parseCmdline(readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
    await waitFor(
      () => view.processes.get(pid)?.cmdline?.[0] === process.execPath,
      5000,
      'the node child in the model',
    );
    await waitFor(() => procCmdline().startsWith('["cntop-renamed worker"'), 5000, 'the rename in /proc');
    const renamedMs = Date.now();
    const liveProc = procCmdline();
    // The model: the new command line, from the comm event (no refresh runs in this test).
    await waitFor(
      () => JSON.stringify(view.processes.get(pid)?.cmdline) === liveProc,
      2000,
      'the new command line in the model',
    );
    const liveSnap = find(snapshot([]), pid);
    expect(JSON.stringify(liveSnap?.cmdline)).toBe(liveProc);
    await sleep(2500); // it ends; the last flush
    engine.close();
    engine = null;
    recorder.close();

    const rows = query<{ t_ms: number; cmdline: string }>(
      path,
      'SELECT e.t_ms, e.cmdline FROM exec e JOIN process p ON p.id = e.process WHERE p.pid = ? ORDER BY e.t_ms',
      pid,
    );
    const renamed = rows.find((r) => r.cmdline === liveProc);
    if (renamed === undefined) throw new Error(`no exec row with ${liveProc}: ${JSON.stringify(rows)}`);
    // At the rename (the comm event's time), not at some later read of /proc.
    expect(renamed.t_ms).toBeLessThanOrEqual(renamedMs);
    expect(renamed.t_ms).toBeGreaterThan(renamedMs - 1000);
    const after = find(snapshot(['--db', path, '--at', `@${renamedMs + 200}`]), pid);
    expect(JSON.stringify(after?.cmdline)).toBe(liveProc);
    const before = find(snapshot(['--db', path, '--at', `@${renamed.t_ms - 300}`]), pid);
    expect(before?.cmdline?.[0]).toBe(process.execPath);
  });
});
