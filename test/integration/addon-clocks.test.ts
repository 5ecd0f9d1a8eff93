// The addon's clocks on the real kernel: threadCpuMs counts this thread's CPU time and nothing else
// (not sleeping, not other threads), which the frame-time benchmark relies on to time single frames.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon } from '../../src/native/native-types.js';

const loaded = loadAddon();
const skipReason = loaded.ok ? null : `the addon does not load: ${JSON.stringify(loaded.error)}`;
if (skipReason !== null) console.warn(`addon-clocks: skipped: ${skipReason}`);

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: this thread's CPU time must grow by about ms
  }
}

describe.skipIf(skipReason !== null)('addon clocks', () => {
  const addon = (loaded.ok ? loaded.value : null) as NativeAddon;

  it('threadCpuMs grows by the CPU this thread used, not by time asleep or by other threads', async () => {
    const beforeSpin = addon.threadCpuMs();
    spin(40);
    const spun = addon.threadCpuMs() - beforeSpin;
    // Wall time bounds CPU time from above; a loaded machine may preempt the spin, so only a floor
    // well below 40 ms is asserted from below.
    expect(spun).toBeLessThanOrEqual(41);
    expect(spun).toBeGreaterThan(10);

    const beforeSleep = addon.threadCpuMs();
    const worker = new Worker('const end = Date.now() + 60; while (Date.now() < end) {}', { eval: true });
    await once(worker, 'exit');
    // Asleep while another thread of this process burned 60 ms: a process-wide clock would count
    // those 60 (the margin is for starting the worker, which this thread does).
    expect(addon.threadCpuMs() - beforeSleep).toBeLessThan(30);
  });
});
