// Connector lifecycle edges on the real kernel: closing from inside a batch callback, nothing
// delivered after close, closing while paused, misuse that is a caller bug (throws), and stats.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ackCookieFor } from '../../src/native/ack-cookie.js';
import { DEFAULT_KERNEL_SOURCE_OPTIONS } from '../../src/native/kernel-event-source.js';
import { addonPath, loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon, NativeConnectorOptions } from '../../src/native/native-types.js';
import { present } from '../helpers/present.js';

const loaded = loadAddon();
const skipReason = loaded.ok ? null : `the addon does not load: ${JSON.stringify(loaded.error)}`;
if (skipReason !== null) console.warn(`connector-lifecycle: skipped: ${skipReason}`);
const options: NativeConnectorOptions = { ...DEFAULT_KERNEL_SOURCE_OPTIONS, ackCookie: ackCookieFor(process.pid) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== null)('Connector lifecycle (real kernel)', () => {
  const addon = (loaded.ok ? loaded.value : null) as NativeAddon;

  it('before start: zero stats, nothing sent; close sends nothing', () => {
    const connector = new addon.Connector(options);
    expect(connector.stats()).toMatchObject({ batches: 0, listenSent: false, ignoreSent: false, lastEventMs: null });
    expect(connector.close()).toEqual({ ignoreSent: false });
  });

  it('start answers quickly when the kernel acks, and reports the buffer it got', () => {
    const connector = new addon.Connector(options);
    const before = addon.monotonicMs();
    const started = connector.start(() => {});
    const tookMs = addon.monotonicMs() - before;
    try {
      expect(started).toMatchObject({ ok: true, filterAttached: false });
      if (!started.ok || started.ack === null) throw new Error('no ack');
      expect(started.ack.latencyMs).toBeLessThan(options.ackWaitMs);
      expect(tookMs).toBeLessThan(options.ackWaitMs); // did not sit out the whole wait
      expect(started.rcvbufBytes).toBeGreaterThanOrEqual(options.rcvbufBytes); // the kernel doubles it
      expect(connector.stats().rcvbufBytes).toBe(started.rcvbufBytes);
    } finally {
      connector.close();
    }
  });

  it('close() from inside the batch callback works, and no batch arrives after it', async () => {
    const connector = new addon.Connector(options);
    let calls = 0;
    // Set by the batch callback: typed wide, or the loop's check below would narrow to its initial null.
    let closedWith = null as { ignoreSent: boolean } | null;
    connector.start(() => {
      calls++;
      closedWith ??= connector.close();
    });
    for (let i = 0; i < 20 && closedWith === null; i++) {
      spawnSync('/bin/true');
      await sleep(20);
    }
    expect(closedWith).toEqual({ ignoreSent: true });
    const callsAtClose = calls;
    for (let i = 0; i < 20; i++) spawnSync('/bin/true');
    await sleep(100);
    expect(calls).toBe(callsAtClose);
    expect(calls).toBe(1);
  });

  it('close() while the reader is paused returns at once', () => {
    const connector = new addon.Connector(options);
    connector.start(() => {});
    connector.pauseReader(60_000);
    const before = addon.monotonicMs();
    expect(connector.close()).toEqual({ ignoreSent: true });
    expect(addon.monotonicMs() - before).toBeLessThan(1000);
  });

  it('caller bugs throw: start twice, bad options, unknown kinds', () => {
    const connector = new addon.Connector(options);
    connector.start(() => {});
    try {
      expect(() => connector.start(() => {})).toThrow(/only once/);
    } finally {
      connector.close();
    }
    expect(() => new addon.Connector({ ...options, maxBatchEvents: 0 })).toThrow(RangeError);
    expect(() => new addon.Connector({ ...options, rcvbufBytes: 'big' as unknown as number })).toThrow(TypeError);
    expect(() => new addon.Connector({ ...options, dropKinds: ['fork', 'nope' as 'fork'] })).toThrow(TypeError);
  });

  // Whether the kernel lets an unprivileged process join the proc connector's group differs by kernel
  // build, not by version (allowed in Debian's 6.12 guest, EPERM on this project's 6.18 host), so an
  // independent witness (a plain socket bound by python3 as nobody) decides what the addon must report.
  it('as nobody: the addon reports exactly what the kernel decides at bind (EPERM, nothing sent), or subscribes with SO_RCVBUF capped by rmem_max', ({
    skip,
  }) => {
    if (process.getuid?.() !== 0) skip('needs root to drop to nobody');
    if (!existsSync('/usr/bin/setpriv')) skip('setpriv (util-linux) is not installed');
    if (!existsSync('/usr/bin/python3')) skip('/usr/bin/python3 (the independent bind witness) is not installed');
    const asNobody = (...command: string[]) =>
      spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...command], {
        encoding: 'utf8',
      });
    const witness = asNobody(
      '/usr/bin/python3',
      '-c',
      'import socket\ns = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 11)\ntry:\n  s.bind((0, 1)); print("bound")\nexcept OSError as e: print("errno", e.errno)',
    );
    const kernelSays = witness.stdout.trim();
    expect(kernelSays).toMatch(/^(bound|errno \d+)$/);
    const script = `
      const addon = require(${JSON.stringify(addonPath())});
      const options = ${JSON.stringify(options)};
      options.ackCookie = ((process.pid << 8) | 0x10) >>> 0;
      const connector = new addon.Connector(options);
      console.log(JSON.stringify(connector.start(() => {})));
      console.log(JSON.stringify(connector.close()));`;
    const child = asNobody(process.execPath, '-e', script);
    if (child.status !== 0 && /Cannot find module|EACCES/.test(child.stderr))
      skip(`nobody cannot load the addon here: ${child.stderr.slice(0, 200)}`);
    const [started, closed] = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    if (kernelSays !== 'bound') {
      expect(kernelSays).toBe('errno 1');
      expect(started).toMatchObject({ ok: false, syscall: 'bind', code: 'EPERM' });
      expect(closed).toEqual({ ignoreSent: false });
      return;
    }
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    expect(started).toMatchObject({ ok: true, rcvbufForced: false });
    expect(present(started, "start()'s line").rcvbufBytes).toBeLessThanOrEqual(2 * rmemMax);
    expect(closed).toEqual({ ignoreSent: true });
  });
});
