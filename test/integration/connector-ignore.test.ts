// Exactly one PROC_CN_MCAST_IGNORE per LISTEN, on every exit path, never an IGNORE without a LISTEN:
// checked against the real kernel through an ack monitor that sees every ack (cookie + 1 answers a
// LISTEN, cookie + 3 an IGNORE) and attributes it to the sending pid.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAckMonitor, type AckMonitor } from '../helpers/ack-monitor.js';
import { ackCookieFor } from '../../src/native/ack-cookie.js';
import { addonPath, loadAddon } from '../../src/native/load-addon.js';
import { DEFAULT_KERNEL_SOURCE_OPTIONS, KernelEventSource } from '../../src/native/kernel-event-source.js';
import type { NativeAddon } from '../../src/native/native-types.js';

const opened = openAckMonitor();
if (!opened.ok) console.warn(`connector-ignore: skipped: ${opened.reason}`);

const roles = (monitor: AckMonitor, pid: number) => monitor.from(pid).map((seen) => `${seen.role}:${seen.err}`);

/** Runs a node child that creates a Connector and ends as `ending` says; returns its pid and output. */
function runChild(
  ending: string,
  setup = '',
): { pid: number; status: number | null; signal: string | null; stdout: string } {
  const script = `
    const addon = require(${JSON.stringify(addonPath())});
    const options = ${JSON.stringify({ ...DEFAULT_KERNEL_SOURCE_OPTIONS, ackCookie: 0 })};
    options.ackCookie = ((process.pid << 8) | 0x10) >>> 0;
    ${setup}
    const connector = new addon.Connector(options);
    const started = connector.start(() => {});
    console.log(JSON.stringify(started));
    ${ending}`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  return { pid: child.pid, status: child.status, signal: child.signal, stdout: child.stdout };
}

describe.skipIf(!opened.ok)('one IGNORE per LISTEN (real kernel)', () => {
  let monitor: AckMonitor;
  let addon: NativeAddon;
  beforeAll(() => {
    if (!opened.ok) return;
    monitor = opened.monitor;
    const loaded = loadAddon();
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    addon = loaded.value;
  });
  afterAll(() => {
    if (opened.ok) opened.monitor.close();
  });

  it('start then close: the kernel answers our LISTEN once and our IGNORE once', async () => {
    const before = monitor.from(process.pid).length;
    const connector = new addon.Connector({ ...DEFAULT_KERNEL_SOURCE_OPTIONS, ackCookie: ackCookieFor(process.pid) });
    const started = connector.start(() => {});
    expect(started).toMatchObject({ ok: true, ack: { err: 0 } });
    expect(connector.stats()).toMatchObject({ listenSent: true, ignoreSent: false });
    expect(connector.close()).toEqual({ ignoreSent: true });
    expect(connector.close()).toEqual({ ignoreSent: true }); // idempotent: reports, does not resend
    expect(connector.stats()).toMatchObject({ listenSent: true, ignoreSent: true });
    await monitor.waitFor(() => monitor.from(process.pid).length >= before + 2, 1000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // room for a duplicate to show up
    expect(roles(monitor, process.pid).slice(before)).toEqual(['listen:0', 'ignore:0']);
  });

  it('KernelEventSource: start, close twice: still exactly one IGNORE', async () => {
    const before = monitor.from(process.pid).length;
    const source = new KernelEventSource(addon);
    const result = await source.start(() => {});
    expect(result.ok).toBe(true);
    source.close();
    source.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(roles(monitor, process.pid).slice(before)).toEqual(['listen:0', 'ignore:0']);
    expect(source.stats()).toMatchObject({ listenSent: true, ignoreSent: true });
  });

  it('a source closed before it started never subscribes', async () => {
    const before = monitor.from(process.pid).length;
    const source = new KernelEventSource(addon);
    source.close();
    const result = await source.start(() => {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'io', code: 'ECLOSED' } });
    expect(roles(monitor, process.pid).slice(before)).toEqual([]);
  });

  it('a connector that fails before LISTEN (no file descriptors left) sends nothing at all', () => {
    // Exhaust the child's descriptors so eventfd()/socket() fail with EMFILE before any LISTEN.
    const exhaust = `const fs = require('fs'); try { for (;;) fs.openSync('/dev/null', 'r'); } catch {}`;
    const child = runChild(
      `console.log(JSON.stringify(connector.close())); console.log(JSON.stringify(connector.stats()));`,
      exhaust,
    );
    const [started, closed, stats] = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(started).toMatchObject({ ok: false, code: 'EMFILE' });
    expect(closed).toEqual({ ignoreSent: false });
    expect(stats).toMatchObject({ listenSent: false, ignoreSent: false });
    expect(child.status).toBe(0);
    expect(roles(monitor, child.pid)).toEqual([]);
  });

  it('a Connector in a worker thread that ends without close(): the env cleanup hook sends the IGNORE', async () => {
    // The process then dies by SIGKILL, so the atexit() safety net cannot be what sent it.
    const worker = `
      const addon = require(${JSON.stringify(addonPath())});
      const options = ${JSON.stringify(DEFAULT_KERNEL_SOURCE_OPTIONS)};
      options.ackCookie = ((process.pid << 8) | 0x10) >>> 0;
      const started = new addon.Connector(options).start(() => {});
      require('fs').writeSync(1, JSON.stringify(started) + '\\n');
      // Events in flight while the worker's environment tears down (this once aborted node).
      for (let i = 0; i < 5; i++) require('child_process').spawnSync('/bin/true');
      process.exit(0);`;
    const script = `
      const { Worker } = require('worker_threads');
      new Worker(${JSON.stringify(worker)}, { eval: true }).on('exit', () => process.kill(process.pid, 'SIGKILL'));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stdout).toContain('"ok":true');
    expect(child.signal).toBe('SIGKILL');
    await monitor.waitFor(() => monitor.from(child.pid).length >= 2, 1000);
    expect(roles(monitor, child.pid)).toEqual(['listen:0', 'ignore:0']);
  });

  it.each([
    ['process.exit() without close()', 'process.exit(0)', 0],
    ['an uncaught exception', "throw new Error('boom')", 1],
    ['close() and then process.exit()', 'connector.close(); process.exit(0)', 0],
    ['close() twice and a natural end', 'connector.close(); connector.close();', 0],
  ])('%s: one LISTEN ack and one IGNORE ack from the child', async (_name, ending, exitStatus) => {
    const child = runChild(ending);
    expect(child.stdout).toContain('"ok":true');
    expect(child.status).toBe(exitStatus);
    await monitor.waitFor(() => monitor.from(child.pid).length >= 2, 1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(roles(monitor, child.pid)).toEqual(['listen:0', 'ignore:0']);
  });
});
