// The runtime monitor on a fake engine, a fake clock and a simulated kernel: canary only when quiet
// and rate-limited, a failed canary leads to the deficit, R repairs it, loss degrades for a while.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKUP, runCheckup } from '../../../src/core/health/checkup.js';
import type { CanaryOutcome } from '../../../src/core/health/health-facts.js';
import { HealthMonitor } from '../../../src/core/health/health-monitor.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeEngine } from '../../helpers/fake-engine.js';
import { SimKernel } from './sim-kernel.js';
import { present } from '../../helpers/present.js';

const ACCESS = { uid: 0, netAdmin: true, initPidNs: true, initUserNs: true, evidence: 'uid 0' };
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

function setup(strays: number) {
  const kernel = new SimKernel({ generation: 'per-socket' });
  for (let i = 0; i < strays; i += 1) kernel.strayIgnore();
  kernel.listen(0x110); // the engine's own LISTEN
  const clock = new FakeClock();
  const engine = new FakeEngine();
  engine.status = {
    ...engine.status,
    start: { ...present(engine.status.start, 'the start info'), ack: strays === 0 ? { err: 0, latencyMs: 0.1 } : null },
  };
  let canaries = 0;
  const canary = (): Promise<CanaryOutcome> => {
    canaries += 1;
    const ok = kernel.counter >= 1;
    return Promise.resolve({
      ok,
      latencyMs: ok ? 4 : null,
      atMs: clock.nowMs(),
      detail: ok ? 'fork, exec, exit' : 'nothing',
    });
  };
  const checkup = (repair: boolean) =>
    runCheckup(
      null,
      { factory: kernel.factory(), pid: 77, nowMs: () => clock.nowMs(), runCanary: canary },
      { ...DEFAULT_CHECKUP, repair, namespaceBlocked: false },
    );
  const monitor = new HealthMonitor(
    engine,
    { clock, release: '6.18.0', access: ACCESS, checkup, canary },
    { quietMs: 3000, canaryIntervalMs: 15_000, tickMs: 1000 },
  );
  return { kernel, clock, engine, monitor, canaries: () => canaries };
}

describe('HealthMonitor', () => {
  it('is healthy on a healthy kernel and runs the canary only when the machine is quiet, at most every interval', async () => {
    const { clock, engine, monitor, canaries } = setup(0);
    monitor.start();
    await flush();
    expect(canaries()).toBe(1); // the start-up checkup
    expect(monitor.report()).toMatchObject({ status: 'healthy', deficit: 0, kernel: { semantics: 'per-socket' } });
    for (let i = 0; i < 30; i += 1) {
      engine.status = {
        ...engine.status,
        connector: { ...present(engine.status.connector, 'connector stats'), lastEventMs: clock.nowMs() },
      };
      clock.advance(1000);
      await flush();
    }
    expect(canaries()).toBe(1); // busy machine: events prove flow
    for (let i = 0; i < 40; i += 1) {
      clock.advance(1000);
      await flush();
    }
    expect(canaries()).toBe(4); // quiet from t=33 s: canaries at 33, 48 and 63 s
    monitor.close();
  });

  it('reports blind with the deficit at start-up, and R repairs it exactly', async () => {
    const { kernel, monitor } = setup(3);
    monitor.start();
    await flush();
    const before = monitor.report();
    expect(before).toMatchObject({ status: 'blind', deficit: 3, ack: { received: false } });
    expect(before.cause).toMatch(/3 below zero/);
    expect(kernel.counter).toBe(-2); // measured, and put back
    const message = await monitor.repair();
    expect(message).toMatch(/3 below zero.*Added 3 listener.*deficit 0.*events flow again/);
    expect(kernel.counter).toBe(1);
    expect(monitor.report()).toMatchObject({ status: 'healthy' });
    monitor.close();
  });

  it('notices a starvation that begins later through the canary', async () => {
    const { kernel, clock, monitor } = setup(0);
    monitor.start();
    await flush();
    for (let i = 0; i < 2; i += 1) kernel.strayIgnore(); // counter 1 -> -1
    for (let i = 0; i < 16; i += 1) {
      clock.advance(1000);
      await flush();
    }
    expect(monitor.report()).toMatchObject({ status: 'blind', deficit: 2 });
    monitor.close();
  });

  it('is degraded by a loss for a while, then healthy again', async () => {
    const { clock, engine, monitor } = setup(0);
    monitor.start();
    await flush();
    engine.status = {
      ...engine.status,
      connector: {
        ...present(engine.status.connector, 'connector stats'),
        overruns: 1,
        seqGapMessages: 40,
        lastEventMs: clock.nowMs(),
      },
    };
    clock.advance(1000);
    expect(monitor.report()).toMatchObject({ status: 'degraded', lost: 41 });
    clock.advance(61_000);
    await flush();
    expect(monitor.report()).toMatchObject({ status: 'healthy', lost: 41 });
    monitor.close();
  });

  it('reports taskstats silent when its canary brings no record (connector still healthy), ok once records come, off with the polling fix when polling', async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine();
    engine.status = {
      ...engine.status,
      accounting: { state: 'on', cause: null, records: 0, overruns: 0, malformed: 0 },
    };
    const canary = (): Promise<CanaryOutcome> =>
      Promise.resolve({
        ok: true,
        latencyMs: 4,
        atMs: clock.nowMs(),
        detail: 'fork, exec and exit of pid 9 arrived',
        record: { arrived: false, latencyMs: null, detail: 'no record for pid 9 1000 ms after its exit event' },
      });
    const kernel = new SimKernel({ generation: 'per-socket' });
    kernel.listen(0x110);
    const checkup = (repair: boolean) =>
      runCheckup(
        null,
        { factory: kernel.factory(), pid: 77, nowMs: () => clock.nowMs(), runCanary: canary },
        { ...DEFAULT_CHECKUP, repair, namespaceBlocked: false },
      );
    const monitor = new HealthMonitor(
      engine,
      { clock, release: '6.18.0', access: ACCESS, checkup, canary },
      { quietMs: 3000, canaryIntervalMs: 15_000, tickMs: 1000 },
    );
    monitor.start();
    await flush();
    const silent = monitor.report();
    expect(silent.status).toBe('healthy');
    expect(silent.taskstats).toMatchObject({ status: 'silent', records: 0 });
    engine.status = { ...engine.status, accounting: { ...engine.status.accounting, records: 3 } };
    clock.advance(1000);
    await flush();
    expect(monitor.report().taskstats).toMatchObject({ status: 'ok', records: 3 });
    engine.status = { ...engine.status, mode: 'polling', pollingReason: 'the native addon is not built' };
    const polling = monitor.report();
    expect(polling.taskstats).toMatchObject({
      status: 'off',
      cause: expect.stringMatching(/^not started: .*addon is not built/) as unknown,
    });
    expect(polling.taskstats.fix).toBe(polling.fix);
    monitor.close();
  });

  it('says there is nothing to repair when polling', async () => {
    const { engine, monitor } = setup(0);
    engine.status = { ...engine.status, mode: 'polling', pollingReason: 'the native addon is not built' };
    expect(await monitor.repair()).toMatch(/polling/);
    expect(monitor.report()).toMatchObject({ status: 'degraded', mode: 'polling' });
  });
});
