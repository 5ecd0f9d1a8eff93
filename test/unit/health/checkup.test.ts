// The whole check (gate, deficit, semantics, canary, repair) against simulated kernels, with a canary
// that succeeds exactly when the simulated gate is open.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKUP, runCheckup, type CheckupPorts } from '../../../src/core/health/checkup.js';
import { OP_LISTEN } from '../../../src/core/health/probe-port.js';
import { SimKernel, type Generation } from './sim-kernel.js';

function ports(kernel: SimKernel): CheckupPorts {
  let now = 0;
  return {
    factory: kernel.factory(),
    pid: 4242,
    nowMs: () => (now += 1),
    runCanary: () =>
      Promise.resolve(
        kernel.counter >= 1
          ? { ok: true, latencyMs: 3, atMs: now, detail: 'fork, exec, exit' }
          : { ok: false, latencyMs: null, atMs: now, detail: 'nothing arrived' },
      ),
  };
}

function withOwnListen(generation: Generation, strays: number): { kernel: SimKernel; ack: { err: number } | null } {
  const kernel = new SimKernel({ generation });
  for (let i = 0; i < strays; i += 1) kernel.strayIgnore();
  const own = kernel.probeSocket(kernel.openSocket());
  own.sendOp(OP_LISTEN, 0x110);
  return { kernel, ack: own.waitAck(0x110, 20) };
}

const options = (repair: boolean) => ({ ...DEFAULT_CHECKUP, repair, namespaceBlocked: false });

describe.each(['global-counter', 'per-socket'] as Generation[])('runCheckup on a %s kernel', (generation) => {
  it('healthy: deficit 0, semantics observed, canary ok, nothing left changed', async () => {
    const { kernel, ack } = withOwnListen(generation, 0);
    const result = await runCheckup(ack, ports(kernel), options(false));
    expect(result).toMatchObject({
      deficit: 0,
      semantics: { semantics: generation },
      canary: { ok: true },
      repair: null,
    });
    expect(kernel.counter).toBe(1);
    expect(result.ledger.listens).toBe(result.ledger.ignores);
  });

  it.each([1, 2, 5])('starved by %i: measured exactly, counter put back, gate proven closed', async (k) => {
    const { kernel, ack } = withOwnListen(generation, k);
    const before = kernel.counter;
    const result = await runCheckup(ack, ports(kernel), options(false));
    expect(result).toMatchObject({
      deficit: k,
      gate: { open: false },
      semantics: { semantics: generation },
      canary: null,
    });
    expect(kernel.counter).toBe(before);
    expect(result.ledger.listens).toBe(result.ledger.ignores);
  });

  it.each([1, 3])('starved by %i and repaired: counter exactly 1, canary ok afterwards, deficitAfter 0', async (k) => {
    const { kernel, ack } = withOwnListen(generation, k);
    const result = await runCheckup(ack, ports(kernel), options(true));
    expect(result).toMatchObject({
      deficit: k,
      gate: { open: true },
      canary: { ok: true },
      repair: { repaired: true, listenersAdded: k, deficitAfter: 0 },
    });
    expect(kernel.counter).toBe(1);
    expect(result.ledger.listens).toBe(result.ledger.ignores + result.ledger.leaked);
    expect(result.ledger.leaked).toBe(k);
  });

  it('outside the initial namespaces: no measurement, no change', async () => {
    const kernel = new SimKernel({ generation, counter: -1, initNamespace: false });
    const result = await runCheckup(null, ports(kernel), { ...options(true), namespaceBlocked: true });
    expect(result).toMatchObject({ deficit: null, repair: null });
    expect(kernel.counter).toBe(-1);
  });
});
