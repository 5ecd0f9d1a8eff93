// Where `cntop exporter` listens: --listen ADDR:PORT, parsed (pure) and checked before anything opens.
import { isIP } from 'node:net';
import { err, ok, type Result } from '../core/types.js';

export interface ListenAddress {
  /** An IP literal (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
}

/**
 * Loopback, so that nothing leaves the machine unless asked: process names say what a host runs.
 * Port 29100: Prometheus's registry of exporter ports (9100-9999) has been wholly allocated since
 * 2023, so no port in it is free; 29100 is outside it (no registered exporter defaults to it), below
 * Linux's ephemeral range (32768-60999: no outgoing connection can be holding it), absent from
 * /etc/services, and easy to remember (the node exporter's 9100, plus 20000). See docs/EXPORTER.md.
 */
export const DEFAULT_LISTEN: ListenAddress = { host: '127.0.0.1', port: 29100 };

/** "127.0.0.1:29100", "[::1]:29100": how an address is written back to the user. */
export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * Parses ADDR:PORT, where ADDR is an IPv4 literal, a bracketed IPv6 literal or "localhost". Host names
 * are refused rather than resolved (which interface a name means is for the user to say), and so is an
 * empty ADDR: listening on every interface must be asked for by name (0.0.0.0 or [::]).
 */
export function parseListenAddress(text: string): Result<ListenAddress, string> {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(text);
  if (match === null)
    return err(`'${text}' is not ADDR:PORT (e.g. 127.0.0.1:${DEFAULT_LISTEN.port}, [::1]:${DEFAULT_LISTEN.port})`);
  const bracketed = match[1];
  const plain = match[2];
  const portText = match[3] ?? '';
  const host = bracketed ?? (plain === 'localhost' ? '127.0.0.1' : (plain ?? ''));
  if (host === '')
    return err(`'${text}' has no address; to listen on every interface say 0.0.0.0:${portText} or [::]:${portText}`);
  if (bracketed !== undefined && isIP(host) !== 6) return err(`'${host}' in '${text}' is not an IPv6 address`);
  if (bracketed === undefined && isIP(host) !== 4)
    return err(
      `'${host}' in '${text}' is not an IPv4 address (write IPv6 as [ADDR]:PORT; host names are not resolved)`,
    );
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    return err(`'${portText}' in '${text}' is not a port (1-65535)`);
  return ok({ host, port: Number(portText) });
}
