import { describe, expect, it } from 'vitest';
import { FrameScheduler } from '../../../src/ui/render-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FrameScheduler', () => {
  it('draws one frame for any number of requests within a frame interval', async () => {
    let frames = 0;
    const scheduler = new FrameScheduler(20, () => frames++);
    for (let i = 0; i < 1000; i++) scheduler.request();
    await sleep(5);
    expect(frames).toBe(1);
    for (let i = 0; i < 1000; i++) scheduler.request();
    await sleep(40);
    expect(frames).toBe(2);
    scheduler.stop();
  });

  it('draws an idle request on the next turn of the event loop, without waiting for an interval', async () => {
    let drawn = 0;
    const scheduler = new FrameScheduler(20, () => drawn++);
    scheduler.request();
    // Ordering, not wall time: a 1 ms timer set after the request fires after the frame's 0 ms one.
    await sleep(1);
    expect(drawn).toBe(1);
    scheduler.stop();
  });

  it('spaces frames to twice their cost when drawing is slow, so the engine keeps the thread', async () => {
    let clock = 0;
    const scheduler = new FrameScheduler(10, () => (clock += 30), () => clock);
    scheduler.request();
    await sleep(5);
    expect(scheduler.intervalMs).toBe(60);
    scheduler.stop();
    let frames = 0;
    const stopped = new FrameScheduler(10, () => frames++);
    stopped.stop();
    stopped.request();
    await sleep(20);
    expect(frames).toBe(0);
  });
});
