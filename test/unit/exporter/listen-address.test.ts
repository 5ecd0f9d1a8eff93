import { describe, expect, it } from 'vitest';
import { DEFAULT_LISTEN, formatListenAddress, parseListenAddress } from '../../../src/exporter/listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:29100', { host: '127.0.0.1', port: 29100 }],
    ['0.0.0.0:9100', { host: '0.0.0.0', port: 9100 }],
    ['[::1]:29100', { host: '::1', port: 29100 }],
    ['[::]:1', { host: '::', port: 1 }],
    ['localhost:65535', { host: '127.0.0.1', port: 65535 }],
  ])('reads %s', (text, address) => {
    expect(parseListenAddress(text)).toEqual({ ok: true, value: address });
  });

  it.each([
    ['29100', 'is not ADDR:PORT'],
    [':29100', 'to listen on every interface say 0.0.0.0:29100 or [::]:29100'],
    ['::1:29100', 'is not ADDR:PORT'],
    ['[127.0.0.1]:29100', 'is not an IPv6 address'],
    ['host.example:29100', 'host names are not resolved'],
    ['256.0.0.1:80', 'is not an IPv4 address'],
    ['127.0.0.1:0', 'is not a port'],
    ['127.0.0.1:65536', 'is not a port'],
    ['127.0.0.1:http', 'is not a port'],
    ['127.0.0.1:', 'is not a port'],
  ])('refuses %s', (text, why) => {
    const parsed = parseListenAddress(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(why);
  });

  it('defaults to loopback and writes IPv6 back in brackets', () => {
    expect(formatListenAddress(DEFAULT_LISTEN)).toBe('127.0.0.1:29100');
    expect(formatListenAddress({ host: '::1', port: 80 })).toBe('[::1]:80');
  });
});
