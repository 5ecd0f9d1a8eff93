// docs/LOGS.md's rsyslog configuration, run as documented: a real `cntop events --json` appends to a
// file, a foreground rsyslogd (Debian's rsyslog, installed on first use) follows it with the block
// from the docs, and the events of processes run here arrive shipped, each line JSON with the event
// intact; failures (a non-zero code, a signal) also arrive in their own file, and a success does not.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { cntopCommand, missingBuild, REPO, waitFor } from './cli-harness.js';
import { present } from '../helpers/present.js';

const skipReason = missingBuild() ?? ensureDebianCommands({ rsyslogd: 'rsyslog' });
if (skipReason !== null) console.warn(`rsyslog shipping test skipped: ${skipReason}`);

/** The configuration block of docs/LOGS.md, between its markers, without the code fence. */
function documentedConfig(): string {
  const doc = readFileSync(path.join(REPO, 'docs/LOGS.md'), 'utf8');
  const block = /<!-- rsyslog-config: begin[^>]*-->\n```\n([\s\S]*?)```\n<!-- rsyslog-config: end -->/.exec(doc);
  if (block === null) throw new Error('docs/LOGS.md has no rsyslog-config block');
  return block[1] as string;
}

interface Shipped {
  host: string;
  event: Record<string, unknown>;
}

function shippedLines(file: string): Shipped[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Shipped);
}

describe.skipIf(skipReason !== null)('shipping cntop events --json with rsyslog (docs/LOGS.md)', () => {
  // Unset until beforeAll sets them, and still unset in afterAll if it failed first.
  let dir: string | undefined;
  let cntop: ChildProcess | undefined;
  let cntopExit: Promise<number | null> | undefined;
  let rsyslog: ChildProcess | undefined;
  let rsyslogLog = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cntop-rsyslog-'));
    const logDir = path.join(dir, 'log');
    spawnSync('mkdir', ['-p', logDir, path.join(dir, 'work')]);
    // What a host's main rsyslog.conf would provide; then the documented drop-in, with the test's paths.
    const config = [
      `global(workDirectory="${path.join(dir, 'work')}" maxMessageSize="64k")`,
      documentedConfig().replaceAll('/var/log/cntop', logDir),
    ].join('\n');
    writeFileSync(path.join(dir, 'rsyslog.conf'), config);
    const check = spawnSync('rsyslogd', ['-N1', '-f', path.join(dir, 'rsyslog.conf')], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`rsyslogd -N1 rejects the documented config: ${check.stderr}`);
    // cntop appends to the file as the documented service does (>>), started first so the file exists.
    const out = openSync(path.join(logDir, 'events.ndjson'), 'a');
    const [command, ...prefix] = cntopCommand();
    const events = spawn(command as string, [...prefix, 'events', '--json'], {
      cwd: REPO,
      stdio: ['ignore', out, 'pipe'],
    });
    cntop = events;
    closeSync(out);
    cntopExit = new Promise((resolve) => events.once('exit', (code) => resolve(code)));
    // The test makes its own events: a quiet machine (a fresh CI runner) may start no process for 20 s.
    const nudge = setInterval(() => spawn('/bin/true', { stdio: 'ignore' }), 200);
    try {
      await waitFor(
        () => readFileSync(path.join(logDir, 'events.ndjson'), 'utf8').includes('"type":'),
        20_000,
        'cntop events to write',
      );
    } finally {
      clearInterval(nudge);
    }
    const syslog = spawn(
      'rsyslogd',
      ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslogd.pid')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    rsyslog = syslog;
    syslog.stderr.setEncoding('utf8').on('data', (chunk: string) => (rsyslogLog += chunk));
    syslog.stdout.setEncoding('utf8').on('data', (chunk: string) => (rsyslogLog += chunk));
  });

  afterAll(async () => {
    const syslog = rsyslog;
    if (syslog !== undefined && syslog.exitCode === null) {
      const gone = new Promise((resolve) => syslog.once('exit', resolve));
      syslog.kill('SIGTERM');
      await gone;
    }
    cntop?.kill('SIGTERM');
    if (cntopExit !== undefined) expect(await cntopExit).toBe(0);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('ships every event as JSON with the host, and routes failures to their own file', async () => {
    const logDir = path.join(present(dir, 'the test directory'), 'log');
    const ok = spawnSync('sh', ['-c', 'exit 0']).pid;
    const failed = spawnSync('sh', ['-c', 'exit 7']).pid;
    const killed = spawnSync('sh', ['-c', 'kill -9 $$']).pid;
    const exitOf = (lines: Shipped[], pid: number): Shipped | undefined =>
      lines.find((l) => l.event['type'] === 'exit' && l.event['pid'] === pid);
    await waitFor(
      () =>
        [ok, failed, killed].every(
          (pid) => exitOf(shippedLines(path.join(logDir, 'shipped.ndjson')), pid) !== undefined,
        ),
      20_000,
      `the three exits in shipped.ndjson (rsyslogd said: ${rsyslogLog})`,
    );
    const shipped = shippedLines(path.join(logDir, 'shipped.ndjson'));
    const host = spawnSync('hostname', [], { encoding: 'utf8' }).stdout.trim();
    for (const line of shipped) {
      expect(line.host).toBe(host.split('.')[0]);
      expect(typeof line.event['type']).toBe('string');
    }
    // The event is the object cntop wrote, field for field.
    const written = readFileSync(path.join(logDir, 'events.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const original = written.find((e) => e['type'] === 'exit' && e['pid'] === failed);
    expect(exitOf(shipped, failed)?.event).toEqual(original);
    expect(exitOf(shipped, failed)?.event).toMatchObject({ exitCode: 7, signal: null });
    expect(exitOf(shipped, killed)?.event).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    // Failures only in failed.ndjson: exit 7 and SIGKILL yes, exit 0 no, and no execs or forks.
    await waitFor(
      () => exitOf(shippedLines(path.join(logDir, 'failed.ndjson')), killed) !== undefined,
      10_000,
      'the killed exit in failed.ndjson',
    );
    const failures = shippedLines(path.join(logDir, 'failed.ndjson'));
    expect(exitOf(failures, failed)).toBeDefined();
    expect(exitOf(failures, ok)).toBeUndefined();
    expect(
      failures.every((l) => l.event['type'] === 'exit' && (l.event['exitCode'] !== 0 || l.event['signal'] !== null)),
    ).toBe(true);
  });
});
