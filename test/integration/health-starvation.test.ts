// Starvation on this machine's kernel (6.6+ semantics), driven the only way it allows: an invalid op
// then IGNORE on one socket. The test first lowers the counter to exactly 0 (counting each step), then
// K below, lets the doctor measure (without repair, which must restore it) and repair; whatever
// happens it raises the counter back by exactly what it and the doctor took, so it ends where it began.
// The counter is global: other listeners on this machine are deaf for the test's fraction of a second.
import { describe, expect, it } from 'vitest';
import { counterBelowOne, gateOpen, lowerCounter, raiseCounter } from '../helpers/buggy-client.mjs';
import { DEFAULT_EXAMINATION, examineConnector } from '../../src/native/connector-examination.js';
import { loadAddon } from '../../src/native/load-addon.js';
import { readAccessFacts } from '../../src/native/access-probe.js';

const K = 2;
const MAX_SURPLUS = 1000;
const addon = loadAddon();
const access = readAccessFacts();
const skipWhy = !addon.ok
  ? `addon not loadable: ${addon.error.kind}`
  : access.uid !== 0 || access.initPidNs !== true || access.initUserNs !== true
    ? `needs root in the initial namespaces (${access.evidence})`
    : null;
if (skipWhy !== null) console.warn(`starvation test skipped: ${skipWhy}`);

describe.skipIf(skipWhy !== null)('starvation on this kernel', () => {
  it(`doctor finds a deficit of ${K}, measuring restores it, repair makes events flow; the counter ends where it began`, async () => {
    if (!addon.ok) throw new Error('unreachable');
    const native = addon.value;
    const wasOpen = gateOpen(native);
    let lowered = 0;
    let leakedByDoctor = 0;
    try {
      while (gateOpen(native)) {
        if (lowered >= MAX_SURPLUS) throw new Error(`counter above ${MAX_SURPLUS}: refusing to drain further`);
        lowerCounter(native, 1, 'invalid-ignore');
        lowered += 1;
      }
      lowerCounter(native, K, 'invalid-ignore');
      lowered += K;
      expect(counterBelowOne(native)).toBe(-K);

      const measured = await examineConnector({ ...DEFAULT_EXAMINATION, repair: false });
      expect(measured.report).toMatchObject({
        status: 'blind',
        deficit: K,
        kernel: { semantics: 'per-socket' },
        ack: { received: false },
      });
      expect(measured.counterOps).toEqual({ listens: K + 2, ignores: K + 2, leaked: 0 });
      expect(counterBelowOne(native)).toBe(-K);

      const repaired = await examineConnector({ ...DEFAULT_EXAMINATION, repair: true });
      leakedByDoctor = repaired.counterOps?.leaked ?? 0;
      expect(repaired.report).toMatchObject({ status: 'healthy', deficit: K, canary: { ok: true } });
      expect(repaired.facts.repair).toEqual({ repaired: true, listenersAdded: K, deficitAfter: 0 });
      // The doctor's connector is gone (IGNORE sent): the counter sits at exactly 0, not below.
      expect(counterBelowOne(native)).toBe(0);
      console.log(
        `starved verdict ${measured.verdictMs.toFixed(1)} ms (gate ${measured.checkup?.timings.gateMs?.toFixed(1) ?? 'none'} ms, ` +
          `measure ${measured.checkup?.timings.measureMs?.toFixed(1) ?? 'none'} ms, steps ${measured.checkup?.timings.stepMs.map((s) => s.toFixed(2)).join('/') ?? 'none'} ms); ` +
          `repair verdict ${repaired.verdictMs.toFixed(1)} ms, canary after repair ${repaired.report.canary.latencyMs?.toFixed(1) ?? 'none'} ms; surplus was ${lowered - K}`,
      );
    } finally {
      // Give back exactly what was taken: the doctor's repair already gave back leakedByDoctor.
      raiseCounter(native, lowered - leakedByDoctor);
    }
    expect(gateOpen(native)).toBe(wasOpen);
  });
});
