import { describe, expect, it } from 'vitest';
import { decodeWaitStatus } from '../../../src/core/exit-status.js';
import { commandLabel } from '../../../src/exporter/command-label.js';
import { exitOutcome } from '../../../src/exporter/exit-outcome.js';

describe('exitOutcome', () => {
  it.each([
    [0, 'ok'],
    [1 << 8, 'failed'],
    [255 << 8, 'failed'],
    [9, 'signaled'],
    [11 | 0x80, 'signaled'],
    [15, 'signaled'],
  ])('wait status %i is %s', (status, outcome) => {
    expect(exitOutcome(decodeWaitStatus(status))).toBe(outcome);
  });

  it('is null when the status is unknown', () => {
    expect(exitOutcome({ code: null, signal: null, coreDumped: false })).toBeNull();
  });
});

describe('commandLabel', () => {
  it.each([
    ['bash', 'bash'],
    ['kworker/0:1', 'kworker/0:1'],
    ['a"b\\c', 'a"b\\c'], // escaping is the exposition format's job, not a reason to lose characters
    ['x\ny', 'x?y'],
    ['\x1b]0;pwned\x07', '?]0;pwned?'],
    ['rt\u202el', 'rt?l'],
  ])('%j becomes %j', (comm, label) => {
    expect(commandLabel(comm)).toBe(label);
  });

  it('is null for a process without a name', () => {
    expect(commandLabel(null)).toBeNull();
    expect(commandLabel('')).toBeNull();
  });
});
