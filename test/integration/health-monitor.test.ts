// The runtime HealthMonitor on the real engine and connector of this machine: time to a healthy
// verdict (the canary through the engine's own events), loss counted and reported after the reader
// is stopped during a fork storm, and the polling verdict when the connector is not used.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import type { HealthMonitor } from '../../src/core/health/health-monitor.js';
import { err } from '../../src/core/types.js';
import { createHealthMonitor, DEFAULT_HEALTH_RUNTIME } from '../../src/native/health-runtime.js';
import { openKernelEventSource } from '../../src/native/kernel-event-source.js';
import { loadAddon } from '../../src/native/load-addon.js';

const addon = loadAddon();
const skipWhy = addon.ok ? (process.getuid?.() === 0 ? null : 'needs root') : `addon not loadable: ${addon.error.kind}`;
if (skipWhy !== null) console.warn(`health monitor integration skipped: ${skipWhy}`);

const nowMs = (): number => performance.now();
const opened: { engine: EngineControl; monitor: HealthMonitor }[] = [];
afterEach(() => {
  for (const { engine, monitor } of opened.splice(0)) {
    monitor.close();
    engine.close();
  }
});

async function until<T>(read: () => T, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = nowMs() + timeoutMs;
  let value = read();
  while (!ok(value) && nowMs() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = read();
  }
  return value;
}

describe.skipIf(skipWhy !== null)('HealthMonitor on the real engine', () => {
  it('reaches a healthy verdict with an observed canary shortly after start', async () => {
    const started = nowMs();
    const source = openKernelEventSource();
    const engine = await startEngine({ source, refreshMs: 1000 });
    const monitor = createHealthMonitor(engine);
    opened.push({ engine, monitor });
    const report = await until(
      () => monitor.report(),
      (r) => r.canary.ok !== null,
      5000,
    );
    console.log(
      `healthy verdict ${(nowMs() - started).toFixed(0)} ms after start (engine seed included); canary ${report.canary.latencyMs?.toFixed(1) ?? 'none'} ms`,
    );
    expect(report).toMatchObject({
      status: 'healthy',
      mode: 'netlink',
      deficit: 0,
      canary: { ok: true },
      kernel: { semantics: 'per-socket' },
    });
  });

  it('counts events lost while the reader is stopped during a fork storm, and reports degraded', async () => {
    const source = openKernelEventSource({ rcvbufBytes: 64 * 1024 });
    if (!source.ok) throw new Error(source.error.kind);
    const engine = await startEngine({ source, refreshMs: 1000 });
    const monitor = createHealthMonitor(engine);
    opened.push({ engine, monitor });
    await until(
      () => monitor.report(),
      (r) => r.canary.ok !== null,
      5000,
    );
    source.value.pauseReader(1500);
    spawnSync('sh', ['-c', 'i=0; while [ $i -lt 400 ]; do /bin/true; i=$((i+1)); done']);
    const report = await until(
      () => monitor.report(),
      (r) => r.lost > 0,
      5000,
    );
    expect(report).toMatchObject({ status: 'degraded' });
    expect(report.lost).toBeGreaterThan(0);
    expect(report.cause).toMatch(/event\(s\) lost/);
    expect(
      await until(
        () => engine.status.resyncs,
        (n) => n > 0,
        5000,
      ),
    ).toBeGreaterThan(0);
  });

  it('reports polling as degraded at once, with the reason and a fix', async () => {
    const started = nowMs();
    const engine = await startEngine({
      source: err({ kind: 'addon-missing', detail: 'test: connector not used' }),
      refreshMs: 1000,
    });
    const monitor = createHealthMonitor(engine, { ...DEFAULT_HEALTH_RUNTIME });
    opened.push({ engine, monitor });
    const report = monitor.report();
    console.log(`polling verdict ${(nowMs() - started).toFixed(0)} ms after start (engine seed included)`);
    expect(report).toMatchObject({ status: 'degraded', mode: 'polling' });
    expect(report.fix).toMatch(/build:addon/);
    expect(await monitor.repair()).toMatch(/polling/);
  });
});
