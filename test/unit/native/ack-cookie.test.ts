// The ack-cookie scheme (src/native/ack-cookie.ts) and errno classification (connector-error.ts).
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  ackCookieFor,
  connectorAckRole,
  ignoreAckOf,
  ignoreCookieOf,
  listenAckOf,
  pidOfAck,
} from '../../../src/native/ack-cookie.js';
import { connectorErrorFromErrno } from '../../../src/native/connector-error.js';

describe('ack cookies', () => {
  it('embed the pid so any observer can attribute an ack', () => {
    const cookie = ackCookieFor(4321);
    expect(cookie).toBe(0x10e110);
    expect(pidOfAck(listenAckOf(cookie))).toBe(4321);
    expect(pidOfAck(ignoreAckOf(cookie))).toBe(4321);
    expect([listenAckOf(cookie), ignoreCookieOf(cookie), ignoreAckOf(cookie)]).toEqual([0x10e111, 0x10e112, 0x10e113]);
  });

  it('stay unsigned 32-bit for the largest pid Linux allows (2^22)', () => {
    const cookie = ackCookieFor(4_194_304 - 1);
    expect(cookie).toBeGreaterThan(0);
    expect(ignoreAckOf(cookie)).toBeLessThan(2 ** 32);
    expect(pidOfAck(ignoreAckOf(cookie))).toBe(4_194_303);
  });

  it('tell LISTEN answers from IGNORE answers and from other tags', () => {
    const cookie = ackCookieFor(99);
    expect(connectorAckRole(listenAckOf(cookie))).toBe('listen');
    expect(connectorAckRole(ignoreAckOf(cookie))).toBe('ignore');
    expect(connectorAckRole(listenAckOf(ackCookieFor(99, 0x40)))).toBe('other');
  });
});

describe('connectorErrorFromErrno', () => {
  const { EPROTONOSUPPORT, EPERM, EACCES, EMFILE } = os.constants.errno;
  it('maps a kernel without the connector, refusals and everything else', () => {
    expect(connectorErrorFromErrno('socket', EPROTONOSUPPORT, 'EPROTONOSUPPORT')).toEqual({ kind: 'unsupported' });
    expect(connectorErrorFromErrno('bind', EPERM, 'EPERM')).toEqual({
      kind: 'permission-denied',
      syscall: 'bind',
      errno: EPERM,
    });
    expect(connectorErrorFromErrno('send', EACCES, 'EACCES')).toMatchObject({ kind: 'permission-denied' });
    expect(connectorErrorFromErrno('socket', EMFILE, 'EMFILE')).toEqual({
      kind: 'io',
      syscall: 'socket',
      errno: EMFILE,
      code: 'EMFILE',
    });
  });
});
