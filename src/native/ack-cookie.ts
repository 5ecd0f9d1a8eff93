// The cn_msg.ack values cntop puts on its LISTEN/IGNORE, and how to read them back. The kernel
// answers an op carrying ack A with a multicast ack of A + 1 that every subscriber sees, so the
// cookie embeds our pid: anyone watching can tell whose LISTEN/IGNORE an ack answers (ack >>> 8).
//
//   cookie  = ((pid << 8) | 0x10) >>> 0     LISTEN carries cookie,     kernel answers cookie + 1
//                                           IGNORE carries cookie + 2, kernel answers cookie + 3
// Pids are below 2^22 (PID_MAX_LIMIT), so pid << 8 fits in 32 bits. Low bytes 0x10..0x13 are the
// Connector's; other users (health probes, test monitors) pick other low bytes to stay apart.

/** Low byte of a Connector's cookie. */
export const CONNECTOR_COOKIE_TAG = 0x10;

export function ackCookieFor(pid: number, tag: number = CONNECTOR_COOKIE_TAG): number {
  return ((pid << 8) | (tag & 0xff)) >>> 0;
}

/** The ack value the kernel sends back for our LISTEN. */
export const listenAckOf = (cookie: number): number => (cookie + 1) >>> 0;
/** The cn_msg.ack our IGNORE carries. */
export const ignoreCookieOf = (cookie: number): number => (cookie + 2) >>> 0;
/** The ack value the kernel sends back for our IGNORE. */
export const ignoreAckOf = (cookie: number): number => (cookie + 3) >>> 0;

/** The pid that sent the op an ack answers (when the sender used ackCookieFor). */
export const pidOfAck = (ack: number): number => ack >>> 8;

export type AckRole = 'listen' | 'ignore' | 'other';

/** Whether an ack answers a Connector's LISTEN or IGNORE (by the low byte of the cookie scheme). */
export function connectorAckRole(ack: number): AckRole {
  const low = ack & 0xff;
  if (low === CONNECTOR_COOKIE_TAG + 1) return 'listen';
  if (low === CONNECTOR_COOKIE_TAG + 3) return 'ignore';
  return 'other';
}
