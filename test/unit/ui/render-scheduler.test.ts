// The frame scheduler under fake timers and a fake clock: what is checked is the order and number of
// frames for a given passage of time, not how long a loaded machine takes to get there.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameScheduler } from '../../../src/ui/render-scheduler.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());
const now = () => Date.now(); // faked: moves only with vi.advanceTimersByTime

describe('FrameScheduler', () => {
  it('draws one frame for any number of requests within a frame interval', () => {
    let frames = 0;
    const scheduler = new FrameScheduler(20, () => frames++, now);
    for (let i = 0; i < 1000; i++) scheduler.request();
    vi.advanceTimersByTime(5);
    expect(frames).toBe(1);
    for (let i = 0; i < 1000; i++) scheduler.request();
    vi.advanceTimersByTime(14);
    expect(frames).toBe(1); // still inside the interval that began with the first frame
    vi.advanceTimersByTime(1);
    expect(frames).toBe(2);
    vi.advanceTimersByTime(100);
    expect(frames).toBe(2); // no request, no frame
    scheduler.stop();
  });

  it('draws an idle request at once (a zero-delay timer), without waiting for an interval', () => {
    let drawn = 0;
    const scheduler = new FrameScheduler(20, () => drawn++, now);
    scheduler.request();
    expect(drawn).toBe(0); // not synchronously inside request(): events of the same batch come first
    vi.advanceTimersByTime(0);
    expect(drawn).toBe(1);
    scheduler.stop();
  });

  it('spaces frames to twice their cost when drawing is slow, so the engine keeps the thread', () => {
    let clock = 0; // each frame "costs" 30 ms of this clock
    let frames = 0;
    const scheduler = new FrameScheduler(
      10,
      () => ((clock += 30), frames++),
      () => clock,
    );
    scheduler.request();
    vi.advanceTimersByTime(0);
    expect(scheduler.intervalMs).toBe(60);
    scheduler.request(); // the next frame is due 60 ms after the last one began, i.e. 30 ms from now
    vi.advanceTimersByTime(29);
    expect(frames).toBe(1);
    vi.advanceTimersByTime(1);
    expect(frames).toBe(2);
    scheduler.stop();
  });

  it('holds a frame for data to the data interval, but a request for input in between draws it sooner', () => {
    let frames = 0;
    const scheduler = new FrameScheduler(20, () => frames++, now, 250);
    scheduler.request();
    vi.advanceTimersByTime(0);
    expect(frames).toBe(1);
    scheduler.requestData();
    vi.advanceTimersByTime(249);
    expect(frames).toBe(1); // data waits a quarter second after the last frame
    vi.advanceTimersByTime(1);
    expect(frames).toBe(2);
    scheduler.requestData();
    vi.advanceTimersByTime(100);
    scheduler.request(); // a key: due 20 ms after the last frame, i.e. now
    vi.advanceTimersByTime(0);
    expect(frames).toBe(3);
    vi.advanceTimersByTime(500);
    expect(frames).toBe(3); // the data request was drawn by the key's frame
    scheduler.stop();
  });

  it('draws for a once-a-second sample only when no frame was drawn within the second', () => {
    let frames = 0;
    const scheduler = new FrameScheduler(20, () => frames++, now);
    scheduler.request();
    vi.advanceTimersByTime(0);
    vi.advanceTimersByTime(600);
    scheduler.requestIfOlderThan(1000);
    vi.advanceTimersByTime(100);
    expect(frames).toBe(1); // the last frame is 700 ms old: the next one shows the sample
    vi.advanceTimersByTime(400);
    scheduler.requestIfOlderThan(1000);
    vi.advanceTimersByTime(0);
    expect(frames).toBe(2);
    scheduler.stop();
  });

  it('never draws after stop(), even for a request already scheduled', () => {
    let frames = 0;
    const stopped = new FrameScheduler(10, () => frames++, now);
    stopped.request();
    stopped.stop();
    stopped.request();
    vi.advanceTimersByTime(100);
    expect(frames).toBe(0);
  });
});
