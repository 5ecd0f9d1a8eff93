// Every way `cntop events` ends: SIGINT, SIGTERM, SIGHUP and a closed stdout pipe each exit 0 with
// the output flushed and exactly one IGNORE for the one LISTEN; usage errors exit 2 with the usage.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AckMonitor } from '../helpers/ack-monitor.js';
import { ackMonitorForSuite } from '../helpers/ack-monitor-suite.js';
import {
  cntopCommand,
  cntopPid,
  missingBuild,
  REPO,
  sleep,
  startCntop,
  waitFor,
  waitUntilStreaming,
  withoutNpmNoise,
  type CntopRun,
} from './cli-harness.js';

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`cli-exit tests skipped: ${skipReason}`);

function runSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: withoutNpmNoise(result.stderr) };
}

/** The LISTEN and IGNORE acks the kernel sent for pid's Connector, once its IGNORE has had time to show. */
async function connectorAcks(monitor: AckMonitor, pid: number): Promise<{ listen: number; ignore: number }> {
  await monitor.waitFor((all) => all.some((a) => a.pid === pid && a.role === 'ignore'), 2000);
  await sleep(100); // a second IGNORE, if any, would arrive right behind the first
  const roles = monitor.from(pid).map((a) => a.role);
  return { listen: roles.filter((r) => r === 'listen').length, ignore: roles.filter((r) => r === 'ignore').length };
}

/** Starts events, waits until it streams, runs a child with a known status and waits for its exit line. */
async function streamingWithKnownExit(args: string[]): Promise<{ run: CntopRun; pid: number; childPid: number }> {
  const run = startCntop(args);
  await waitUntilStreaming(run);
  const pid = cntopPid(run.child.pid as number);
  if (pid === null) throw new Error('cannot find the cntop process');
  const child = spawnSync('sh', ['-c', 'exit 5']);
  await waitFor(() => run.stdout().includes(`${child.pid}`), 5000, 'the exit of the known child');
  return { run, pid, childPid: child.pid };
}

describe.skipIf(skipReason !== null)('how cntop events ends', () => {
  const monitor = ackMonitorForSuite();

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'on %s: exit 0, output flushed, one LISTEN and one IGNORE',
    async (signal) => {
      const { run, pid, childPid } = await streamingWithKnownExit(['events', '--json']);
      // A second signal right behind the first must not run the cleanup (and its IGNORE) twice.
      // Sent to cntop itself (the same process unless CNTOP_COMMAND wraps it in npx, which forwards nothing).
      process.kill(pid, signal);
      process.kill(pid, signal);
      const { code, signal: killedBy } = await run.exited;
      expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
      expect(run.stdout().endsWith('\n')).toBe(true);
      const records = run.records();
      expect(records.some((r) => r['type'] === 'exit' && r['pid'] === childPid && r['exitCode'] === 5)).toBe(true);
      expect(run.stderr()).toBe('');
      expect(await connectorAcks(monitor(), pid)).toEqual({ listen: 1, ignore: 1 });
    },
  );

  // Under CNTOP_COMMAND="npx cntop" the signal would reach npm (which forwards nothing) before cntop exists.
  const wrapped = process.env['CNTOP_COMMAND'] !== undefined;
  if (wrapped) console.warn('start-up signal tests skipped: CNTOP_COMMAND puts npm in front of cntop');
  it.skipIf(wrapped).each([50, 400, 1500])(
    'on SIGINT %d ms into start-up: exit 0, and an IGNORE exactly when a LISTEN went out',
    async (delayMs) => {
      const run = startCntop(['events', '--json']);
      // Not wrapped (see above): the child is cntop itself, so its acks are known by its pid from the start.
      const pid = run.child.pid as number;
      await sleep(delayMs); // the point of the test: a signal at a chosen moment of start-up
      run.child.kill('SIGINT');
      const { code, signal } = await run.exited;
      // LISTEN and IGNORE are handled inside the sender's send(): their acks are queued before it exits.
      const roles = monitor()
        .from(pid)
        .map((a) => a.role);
      const listens = roles.filter((r) => r === 'listen').length;
      const ignores = roles.filter((r) => r === 'ignore').length;
      if (signal === 'SIGINT') {
        // Node was still booting, before cntop's handlers existed: the default action ended it, and
        // that is only acceptable because nothing had been sent to the kernel yet.
        expect(roles).toEqual([]);
        console.log(`SIGINT at ${delayMs} ms arrived before cntop's handlers were installed (no LISTEN sent)`);
        return;
      }
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(listens).toBeLessThanOrEqual(1);
      expect(ignores).toBe(listens);
      // 1.5 s is several times cntop's start-up (LISTEN goes out within ~0.3 s): by then it must have subscribed.
      if (delayMs >= 1500) expect(listens).toBe(1);
    },
  );

  it('on a closed stdout pipe (cntop events | head -1): exit 0, silent, one LISTEN and one IGNORE', async () => {
    const { run, pid } = await streamingWithKnownExit(['events']);
    run.child.stdout?.destroy();
    // Writes after the reader left fail with EPIPE; make sure some happen.
    for (let i = 0; i < 20 && run.child.exitCode === null; i++) {
      spawnSync('true');
      await sleep(50);
    }
    const { code, signal } = await run.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toBe('');
    expect(await connectorAcks(monitor(), pid)).toEqual({ listen: 1, ignore: 1 });
  });

  it('really works in a shell pipeline: cntop events --json | head -1', () => {
    const line = [...cntopCommand(), 'events', '--json'].map((a) => `'${a}'`).join(' ');
    // The background loop keeps events coming, so the pipe closes while cntop writes.
    const script = `(while :; do true; sleep 0.05; done) & loop=$!; ${line} | head -1; s=\${PIPESTATUS[0]}; kill $loop; exit $s`;
    const result = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toHaveProperty('type');
    expect(withoutNpmNoise(result.stderr)).toBe('');
  });
});

describe.skipIf(skipReason !== null)('usage', () => {
  it.each([['--bogus'], ['evnts'], ['events', '--repair'], ['-d', 'x']])(
    '%j: exit 2, one-line error and the usage on stderr',
    (...args) => {
      const result = runSync(args);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^cntop: /);
      expect(lines[1]).toMatch(/^usage: cntop /);
      expect(result.stderr).toContain('cntop --help');
    },
  );

  it('--help lists every command and option on stdout, exit 0', () => {
    const result = runSync(['--help']);
    expect(result.status).toBe(0);
    for (const word of [
      'events',
      'snapshot',
      'doctor',
      '--json',
      '--threads',
      '--repair',
      '--delay',
      '--no-color',
      '--ascii',
      '--no-netlink',
      '--version',
    ]) {
      expect(result.stdout).toContain(word);
    }
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { version: string };
    expect(runSync(['-V'])).toEqual({ status: 0, stdout: `cntop ${version}\n`, stderr: '' });
  });
});
