// How `cntop exporter` starts and ends, and what it answers: SIGTERM, SIGHUP and SIGINT exit 0 with
// exactly one IGNORE for its one LISTEN and the port released; a taken port or a bad --listen is a
// clear error before any LISTEN; only GET/HEAD of / and /metrics answer, and no command line (with
// the secrets it may carry) ever reaches the exposition.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ackMonitorForSuite } from '../helpers/ack-monitor-suite.js';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { cntopCommand, MAIN, missingBuild, REPO, sleep, startCntop, waitFor, withoutNpmNoise } from './cli-harness.js';
import { freePort, parseExposition, startExporter, stopExporter, valueOf } from './exporter-harness.js';

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`exporter CLI tests skipped: ${skipReason}`);

function runSync(args: string[]): { status: number | null; stderr: string } {
  const [command, ...prefix] = cntopCommand();
  const result = spawnSync(command as string, [...prefix, ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: withoutNpmNoise(result.stderr) };
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

describe.skipIf(skipReason !== null)('cntop exporter from the command line', () => {
  const monitor = ackMonitorForSuite();
  // Under CNTOP_COMMAND="npx cntop" the child is npm, which forwards no signal to cntop.
  const wrapped = process.env['CNTOP_COMMAND'] !== undefined;

  it.skipIf(wrapped).each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    'on %s: exit 0, one LISTEN and one IGNORE, the port free again',
    async (signal) => {
      const exporter = await startExporter();
      const pid = exporter.run.child.pid as number;
      exporter.run.child.kill(signal);
      exporter.run.child.kill(signal); // a second signal must not run the cleanup (and its IGNORE) twice
      expect(await exporter.run.exited).toEqual({ code: 0, signal: null });
      await monitor().waitFor((all) => all.some((a) => a.pid === pid && a.role === 'ignore'), 2000);
      await sleep(100);
      const roles = monitor()
        .from(pid)
        .map((a) => a.role);
      expect({
        listen: roles.filter((r) => r === 'listen').length,
        ignore: roles.filter((r) => r === 'ignore').length,
      }).toEqual({ listen: 1, ignore: 1 });
      const port = Number(new URL(exporter.url).port);
      const again = await listenOn(port);
      again.close();
    },
  );

  it('refuses a port in use with a clear message, exit 1, and sends no LISTEN', async () => {
    const port = await freePort();
    const taken = await listenOn(port);
    try {
      const run = startCntop(['exporter', '--listen', `127.0.0.1:${port}`]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(
        `cntop exporter: 127.0.0.1:${port} is already in use (another cntop exporter, or another program); choose another with --listen ADDR:PORT\n`,
      );
      await sleep(200);
      expect(monitor().from(run.child.pid as number)).toEqual([]);
    } finally {
      taken.close();
    }
  });

  it.each([
    [['exporter', '--listen', 'localhost'], "option '--listen': 'localhost' is not ADDR:PORT"],
    [['exporter', '--listen', ':9100'], 'has no address; to listen on every interface say 0.0.0.0:9100'],
    [['exporter', '--listen', 'example.org:9100'], 'host names are not resolved'],
    [['exporter', '--listen', '127.0.0.1:70000'], "'70000' in '127.0.0.1:70000' is not a port"],
    [
      ['exporter', '--max-commands', '0'],
      "option '--max-commands' wants a whole number of commands from 1 to 1000, got '0'",
    ],
    [['exporter', '--no-netlink'], "exporter counts process events; it cannot be combined with '--no-netlink'"],
    [['events', '--listen', '127.0.0.1:9100'], "option '--listen' only applies to: cntop exporter"],
  ])('cntop %j is a usage error (exit 2) that says why', (args, message) => {
    const result = runSync(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: cntop');
  });

  it('answers GET and HEAD of / and /metrics only, and never shows an argument', async () => {
    const exporter = await startExporter();
    try {
      const secret = `hunter2-${Math.random().toString(36).slice(2)}`;
      spawnSync('dash', ['-c', `: ${secret}`, secret]);
      await sleep(300);
      const metrics = await fetch(`${exporter.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const body = await metrics.text();
      expect(body).toContain('cntop_process_exits_total{command="dash",outcome="ok"}');
      expect(body).not.toContain(secret);
      const index = await fetch(`${exporter.url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<a href="/metrics">');
      expect((await fetch(`${exporter.url}/metrics`, { method: 'HEAD' })).status).toBe(200);
      for (const path of ['/metrics/', '/debug', '/api/v1/query', '/favicon.ico'])
        expect((await fetch(`${exporter.url}${path}`)).status, path).toBe(404);
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const response = await fetch(`${exporter.url}/metrics`, { method });
        expect(response.status, method).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, HEAD');
      }
    } finally {
      expect(await stopExporter(exporter)).toEqual({ code: 0, signal: null });
    }
  });

  it('without the privilege to listen, still serves, and its health series say it is not healthy', async ({ skip }) => {
    if (!existsSync('/usr/bin/setpriv')) skip('setpriv (util-linux) is not installed');
    if (process.getuid?.() !== 0) skip('needs root to drop to nobody');
    const port = await freePort();
    // Straight to node as nobody (no npx): the point is the kernel's answer to an unprivileged LISTEN.
    const child = spawn(
      '/usr/bin/setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        MAIN,
        'exporter',
        '--listen',
        `127.0.0.1:${port}`,
      ],
      { cwd: '/', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stderr.includes('serving'), 20_000, `the serving line (stderr: ${stderr})`);
      if (!stderr.includes('warning: no process events'))
        skip(`this kernel lets nobody subscribe to the connector: ${stderr.trim()}`);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const samples = parseExposition(text);
      expect(valueOf(samples, 'cntop_connector_healthy')).toBe(0);
      expect(valueOf(samples, 'cntop_connector_status', { status: 'healthy' })).toBe(0);
      expect(valueOf(samples, 'cntop_taskstats_status', { status: 'off' })).toBe(1);
      expect(Number.isNaN(valueOf(samples, 'cntop_connector_ack_latency_seconds'))).toBe(true);
      expect(stderr).toContain("cntop_connector_healthy is 0. Run 'cntop doctor' for a diagnosis.");
      // NaN (no ack, deficit unmeasured) as prom-client writes it must pass promtool too.
      if (ensureDebianCommands({ promtool: 'prometheus' }) === null) {
        const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
        expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
      }
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
