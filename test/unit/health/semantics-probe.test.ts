// The behavioural kernel-generation probe against the simulated kernels: right answer, no net change.
import { describe, expect, it } from 'vitest';
import { measureDeficit } from '../../../src/core/health/listener-counter.js';
import { newLedger } from '../../../src/core/health/probe-port.js';
import { probeSemantics, semanticsFromRelease } from '../../../src/core/health/semantics-probe.js';
import { SimKernel, type Generation } from './sim-kernel.js';

const COOKIES = { listen: 0x126, ignore: 0x128, gate: 0x12a };

describe.each(['global-counter', 'per-socket'] as Generation[])('semantics probe on a %s kernel', (generation) => {
  it.each([1, 2, 7])('detects it with the counter at %i and leaves the counter unchanged', (counter) => {
    const kernel = new SimKernel({ generation, counter });
    const ledger = newLedger();
    const probe = probeSemantics(kernel.factory(), COOKIES, 20, ledger);
    expect(probe).toMatchObject({ ok: true, value: { semantics: generation } });
    expect(kernel.counter).toBe(counter);
    expect(ledger.listens).toBe(ledger.ignores);
    expect(kernel.openCount()).toBe(0);
  });

  it('says unknown while the gate is closed, and still changes nothing', () => {
    const kernel = new SimKernel({ generation, counter: -1 });
    const ledger = newLedger();
    const probe = probeSemantics(kernel.factory(), COOKIES, 20, ledger);
    expect(probe).toMatchObject({ ok: true, value: { semantics: 'unknown' } });
    expect(kernel.counter).toBe(-1);
    expect(ledger).toMatchObject({ listens: 1, ignores: 1 });
  });

  it('works on a starved machine while a deficit measurement holds the gate at exactly 1', () => {
    const kernel = new SimKernel({ generation, counter: -3 });
    const held = measureDeficit(
      kernel.factory(),
      { cookie: 0x120, undoCookie: 0x122, maxSteps: 10, stepTimeoutMs: 5, nowMs: () => 0 },
      newLedger(),
    );
    if (!held.ok) throw new Error('measure failed');
    const probe = probeSemantics(kernel.factory(), COOKIES, 20, newLedger());
    expect(probe.ok && probe.value.semantics).toBe(generation);
    held.value.undo();
    expect(kernel.counter).toBe(-3);
  });
});

describe('semanticsFromRelease', () => {
  it.each([
    ['6.1.0-56-amd64', 'global-counter'],
    ['5.10.0-30-amd64', 'global-counter'],
    ['6.5.13', 'global-counter'],
    ['6.6.0', 'per-socket'],
    ['6.12.117+deb12-amd64', 'per-socket'],
    ['6.18.44-fc-v782', 'per-socket'],
    ['7.0.1', 'per-socket'],
    ['weird', 'unknown'],
  ])('%s → %s', (release, semantics) => {
    expect(semanticsFromRelease(release)).toBe(semantics);
  });
});
