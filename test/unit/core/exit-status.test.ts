import { describe, expect, it } from 'vitest';
import { decodeWaitStatus, describeExitStatus, signalName, signalNumber } from '../../../src/core/exit-status.js';

describe('decodeWaitStatus', () => {
  it.each([
    [0, { code: 0, signal: null, coreDumped: false }],
    [3 << 8, { code: 3, signal: null, coreDumped: false }],
    [255 << 8, { code: 255, signal: null, coreDumped: false }],
    [9, { code: null, signal: 9, coreDumped: false }],
    [11 | 0x80, { code: null, signal: 11, coreDumped: true }],
  ])('decodes wait status %i', (status, expected) => {
    expect(decodeWaitStatus(status)).toEqual(expected);
  });
});

describe('signal names', () => {
  it('names classic and real-time signals', () => {
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(34)).toBe('SIGRTMIN+0');
    expect(signalName(99)).toBe('SIG99');
  });
  it('parses names with or without the SIG prefix, and numbers', () => {
    expect(signalNumber('kill')).toBe(9);
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('2')).toBe(2);
    expect(signalNumber('NOPE')).toBeNull();
    expect(signalNumber('0')).toBeNull();
  });
  it('describes an exit for people', () => {
    expect(describeExitStatus(decodeWaitStatus(11 | 0x80))).toBe('SIGSEGV (core dumped)');
    expect(describeExitStatus(decodeWaitStatus(1 << 8))).toBe('exit 1');
  });
});
