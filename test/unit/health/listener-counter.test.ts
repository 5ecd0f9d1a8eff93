// Deficit measurement, undo and repair against a simulated kernel of each generation.
import { describe, expect, it } from 'vitest';
import { measureDeficit, probeGate, type MeasureOptions } from '../../../src/core/health/listener-counter.js';
import { newLedger, OP_IGNORE, OP_LISTEN } from '../../../src/core/health/probe-port.js';
import { SimKernel, type Generation } from './sim-kernel.js';

const GENERATIONS: readonly Generation[] = ['global-counter', 'per-socket'];
const OPTIONS: MeasureOptions = { cookie: 0x120, undoCookie: 0x122, maxSteps: 64, stepTimeoutMs: 20, nowMs: () => 0 };

/** A fresh machine (counter 0) after a buggy client's K stray IGNOREs, then cntop's own LISTEN. */
function starved(generation: Generation, k: number): { kernel: SimKernel; ownAcked: boolean } {
  const kernel = new SimKernel({ generation });
  for (let i = 0; i < k; i += 1) kernel.strayIgnore();
  const own = kernel.openSocket();
  const probe = kernel.probeSocket(own);
  probe.sendOp(OP_LISTEN, 0x110);
  return { kernel, ownAcked: probe.waitAck(0x110, 20) !== null };
}

/** Records the lowest counter value seen from now on. */
function trackMinimum(kernel: SimKernel): () => number {
  let minimum = kernel.counter;
  const send = kernel.send.bind(kernel);
  kernel.send = (socket, op, cookie) => {
    send(socket, op, cookie);
    minimum = Math.min(minimum, kernel.counter);
  };
  return () => minimum;
}

describe.each(GENERATIONS)('listener counter on a %s kernel', (generation) => {
  it.each([0, 1, 2, 3, 4, 5])(
    'measures a deficit of %i exactly, and measuring without repair restores the counter',
    (k) => {
      const { kernel, ownAcked } = starved(generation, k);
      expect(ownAcked).toBe(k === 0);
      const before = kernel.counter;
      const minimum = trackMinimum(kernel);
      const ledger = newLedger();
      const held = measureDeficit(kernel.factory(), OPTIONS, ledger);
      if (!held.ok) throw new Error('measure failed');
      // With the own LISTEN unacked the first acked LISTEN lifts the counter to exactly 1.
      expect(held.value.deficit).toBe(k === 0 ? 1 : k);
      expect(kernel.counter).toBe(k === 0 ? before + 1 : 1);
      expect(held.value.undo()).toEqual({ ok: true, value: held.value.steps });
      expect(kernel.counter).toBe(before);
      expect(minimum()).toBe(before);
      expect(ledger).toMatchObject({ listens: held.value.steps, ignores: held.value.steps, leaked: 0 });
      expect(kernel.openCount()).toBe(1); // only cntop's own socket
    },
  );

  it.each([1, 2, 3, 4, 5])(
    'repairs a deficit of %i: counter exactly 1 with cntop, 0 after it leaves, never lowered',
    (k) => {
      const { kernel } = starved(generation, k);
      const minimum = trackMinimum(kernel);
      const before = kernel.counter;
      const ledger = newLedger();
      const held = measureDeficit(kernel.factory(), OPTIONS, ledger);
      if (!held.ok) throw new Error('measure failed');
      expect(held.value.keep()).toBe(k);
      expect(kernel.counter).toBe(1);
      expect(minimum()).toBe(before);
      expect(ledger).toMatchObject({ listens: k, ignores: 0, leaked: k });
      const gate = probeGate(kernel.factory(), 0x124, 20, newLedger());
      expect(gate).toMatchObject({ ok: true, value: { open: true, err: 22 } });
      kernel.emitEvent();
      // cntop's own IGNORE at exit: the machine is left at 0, where a new LISTEN opens the gate.
      const own = kernel.probeSocket(kernel.openSocket());
      own.sendOp(OP_LISTEN, 0x200);
      own.sendOp(OP_IGNORE, 0x202);
      expect(kernel.counter).toBe(1);
    },
  );

  it('a well-behaved listener whose LISTEN the strays ate receives events again after the repair', () => {
    const kernel = new SimKernel({ generation });
    const victim = kernel.listen();
    for (let i = 0; i < 3; i += 1) kernel.strayIgnore();
    const own = kernel.listen(0x110);
    expect(kernel.counter).toBe(-1);
    kernel.emitEvent();
    expect(victim.events).toBe(0);
    const held = measureDeficit(kernel.factory(), OPTIONS, newLedger());
    if (!held.ok) throw new Error('measure failed');
    expect(held.value.deficit).toBe(2);
    held.value.keep();
    kernel.emitEvent();
    expect(victim.events).toBe(1);
    expect(own.events).toBe(1);
  });

  it('the gate probe changes nothing and tells open from closed', () => {
    for (const counter of [-3, 0, 1, 4]) {
      const kernel = new SimKernel({ generation, counter });
      const ledger = newLedger();
      const gate = probeGate(kernel.factory(), 0x124, 20, ledger);
      expect(gate).toMatchObject({ ok: true, value: { open: counter >= 1 } });
      expect(kernel.counter).toBe(counter);
      expect(ledger).toMatchObject({ listens: 0, ignores: 0, invalidOps: 1 });
    }
  });

  it('gives up after maxSteps and still restores the counter exactly', () => {
    const { kernel } = starved(generation, 10);
    const before = kernel.counter;
    const held = measureDeficit(kernel.factory(), { ...OPTIONS, maxSteps: 4 }, newLedger());
    if (!held.ok) throw new Error('measure failed');
    expect(held.value.deficit).toBeNull();
    expect(held.value.steps).toBe(4);
    held.value.undo();
    expect(kernel.counter).toBe(before);
  });

  it('undoes the LISTENs already sent when a socket cannot be opened midway', () => {
    const { kernel } = starved(generation, 5);
    const before = kernel.counter;
    const ledger = newLedger();
    const held = measureDeficit(kernel.factory({ failOpenAfter: 2 }), OPTIONS, ledger);
    expect(held).toMatchObject({ ok: false, error: { code: 'EMFILE' } });
    expect(kernel.counter).toBe(before);
    expect(ledger.listens).toBe(ledger.ignores);
  });

  it('outside the initial namespaces nothing is acked and nothing changes', () => {
    const kernel = new SimKernel({ generation, counter: -2, initNamespace: false });
    const held = measureDeficit(kernel.factory(), { ...OPTIONS, maxSteps: 6 }, newLedger());
    if (!held.ok) throw new Error('measure failed');
    expect(held.value.deficit).toBeNull();
    held.value.undo();
    expect(kernel.counter).toBe(-2);
  });

  it('refuses to end a measurement twice (that would IGNORE without LISTEN)', () => {
    const { kernel } = starved(generation, 1);
    const held = measureDeficit(kernel.factory(), OPTIONS, newLedger());
    if (!held.ok) throw new Error('measure failed');
    held.value.undo();
    expect(() => held.value.keep()).toThrow(/twice/);
  });
});

describe('the generations differ exactly where the measured table says', () => {
  it('K stray IGNOREs need K+1 fresh LISTENs before 6.6 and 1 from 6.6 on', () => {
    for (const [generation, needed] of [
      ['global-counter', 4],
      ['per-socket', 1],
    ] as const) {
      const kernel = new SimKernel({ generation });
      const socket = kernel.openSocket();
      for (let i = 0; i < 3; i += 1) kernel.send(socket, OP_IGNORE, 0x77);
      const held = measureDeficit(kernel.factory(), OPTIONS, newLedger());
      expect(held.ok && held.value.deficit).toBe(needed);
    }
  });

  it('a repeated LISTEN on one socket counts each time before 6.6 and once from 6.6 on', () => {
    for (const [generation, counter] of [
      ['global-counter', 3],
      ['per-socket', 1],
    ] as const) {
      const kernel = new SimKernel({ generation });
      const socket = kernel.openSocket();
      for (let i = 0; i < 3; i += 1) kernel.send(socket, OP_LISTEN, 0x55);
      expect(kernel.counter).toBe(counter);
    }
  });
});
