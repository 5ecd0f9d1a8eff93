// Connector lifecycle edges on the real kernel: closing from inside a batch callback, nothing
// delivered after close, closing while paused, misuse that is a caller bug (throws), and stats.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ackCookieFor } from '../../src/native/ack-cookie.js';
import { DEFAULT_KERNEL_SOURCE_OPTIONS } from '../../src/native/kernel-event-source.js';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon, NativeConnectorOptions } from '../../src/native/native-types.js';

const loaded = loadAddon();
const options: NativeConnectorOptions = { ...DEFAULT_KERNEL_SOURCE_OPTIONS, ackCookie: ackCookieFor(process.pid) };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!loaded.ok)('Connector lifecycle (real kernel)', () => {
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
    let closedWith: { ignoreSent: boolean } | null = null;
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
});
