// TimeSlicer: a pass yields once its slice of real time is used up, and only then.
import { describe, expect, it } from 'vitest';
import { TimeSlicer } from '../../../src/core/time-slicer.js';

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin: the work the slice measures */
  }
}

describe('TimeSlicer', () => {
  it('reads the clock only every checkEvery units, and says due once the slice is spent', () => {
    const slicer = new TimeSlicer(2, 4);
    busyFor(3);
    expect([slicer.due(), slicer.due(), slicer.due()]).toEqual([false, false, false]);
    expect(slicer.due()).toBe(true);
  });

  it('is not due while the slice lasts, and pause() starts a fresh slice after other work ran', async () => {
    const slicer = new TimeSlicer(50, 1);
    expect(slicer.due()).toBe(false);
    busyFor(55);
    expect(slicer.due()).toBe(true);
    let otherWorkRan = false;
    setImmediate(() => {
      otherWorkRan = true;
    });
    await slicer.pause();
    expect(otherWorkRan).toBe(true);
    expect(slicer.due()).toBe(false);
  });
});
