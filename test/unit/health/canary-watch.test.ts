// Recognising the canary's fork/exec/exit, including events that arrive before its pid is known.
import { describe, expect, it } from 'vitest';
import { CanaryWatch } from '../../../src/core/health/canary-watch.js';
import type { ProcEvent } from '../../../src/core/types.js';

const base = { cpu: 0, timeMs: 1 };
const fork = (pid: number, tgid = pid): ProcEvent => ({
  ...base,
  kind: 'fork',
  pid,
  tgid,
  parentPid: 1,
  parentTgid: 1,
});
const exec = (pid: number): ProcEvent => ({ ...base, kind: 'exec', pid, tgid: pid, comm: 'true', cmdline: ['true'] });
const exit = (pid: number, tgid = pid): ProcEvent => ({
  ...base,
  kind: 'exit',
  pid,
  tgid,
  exitCode: 0,
  exitSignal: 17,
  parentPid: 1,
  parentTgid: 1,
});

describe('CanaryWatch', () => {
  it('completes on fork, exec and exit of the expected pid, even when they came before expect()', () => {
    const watch = new CanaryWatch();
    watch.feed([fork(10), fork(11)], 5);
    watch.expect(10);
    expect(watch.seen()).toEqual(['fork']);
    watch.feed([exec(11), exec(10)], 7);
    watch.feed([exit(10)], 9);
    expect(watch.complete()).toBe(true);
    expect(watch.completedMs()).toBe(9);
  });

  it('ignores thread creation and thread exit of the same tgid', () => {
    const watch = new CanaryWatch();
    watch.expect(20);
    watch.feed([fork(21, 20), exec(20), exit(21, 20)], 3);
    expect(watch.seen()).toEqual(['exec']);
    expect(watch.completedMs()).toBeNull();
  });

  it('bounds what it buffers before the pid is known', () => {
    const watch = new CanaryWatch(2);
    watch.feed([fork(1), fork(2), fork(3)], 1);
    watch.expect(3);
    expect(watch.seen()).toEqual([]);
  });
});
