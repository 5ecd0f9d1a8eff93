import { describe, expect, it } from 'vitest';
import { PidIndex } from '../../../src/ui/pid-index.js';

describe('PidIndex', () => {
  it('stores and finds every pid, including colliding and overwritten ones, and answers -1 for absent ones', () => {
    const pids = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 4_194_304);
    const index = new PidIndex(pids.length);
    pids.forEach((pid, i) => index.set(pid, i));
    expect(pids.every((pid, i) => index.get(pid) === i)).toBe(true);
    index.set(pids[10] as number, 99_999);
    expect(index.get(pids[10] as number)).toBe(99_999);
    expect(index.get(4_194_303)).toBe(-1);
    const tiny = new PidIndex(0);
    expect(tiny.get(1)).toBe(-1);
  });

  it('forgets every entry on reset, also when it grows and when it keeps its arrays', () => {
    const index = new PidIndex(4);
    index.set(7, 1);
    index.reset(2);
    expect(index.get(7)).toBe(-1);
    const many = Array.from({ length: 3000 }, (_, i) => 100 + i * 3);
    index.reset(many.length);
    many.forEach((pid, i) => index.set(pid, i));
    expect(many.every((pid, i) => index.get(pid) === i)).toBe(true);
    index.reset(10);
    expect(many.some((pid) => index.get(pid) !== -1)).toBe(false);
  });
});
