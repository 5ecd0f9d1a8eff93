// The narrow port through which the health logic talks to the kernel's process connector: fresh
// subscribed control sockets that send one proc_cn_mcast_op and wait for its ack. native/ implements it
// on the addon; unit tests implement it on a simulated kernel. Also the ledger that proves we are a
// good citizen (one IGNORE per LISTEN, except the LISTENs a repair leaks on purpose).
import type { Result } from '../types.js';

/** enum proc_cn_mcast_op, plus an op the kernel rejects with EINVAL (used by the gate probe). */
export const OP_LISTEN = 1;
export const OP_IGNORE = 2;
export const OP_INVALID = 99;
export const EINVAL = 22;
export const EPERM = 1;

export interface ProbeAck {
  readonly err: number;
  readonly latencyMs: number;
}

export interface ProbeSocketError {
  readonly syscall: string;
  readonly code: string;
  readonly errno: number;
}

/** One fresh socket bound to CN_IDX_PROC. Closing it never sends anything. */
export interface ProbeSocket {
  sendOp(op: number, ackCookie: number): Result<void, ProbeSocketError>;
  /** The ack with cn_msg.ack === ackCookie + 1 (multicast: it may answer another socket's op), or null. */
  waitAck(ackCookie: number, timeoutMs: number): ProbeAck | null;
  close(): void;
}

export interface ProbeSocketFactory {
  open(): Result<ProbeSocket, ProbeSocketError>;
}

/**
 * Counts what this process did to the kernel's listener counter. Invariant checked by tests:
 * listens === ignores + leaked, and invalid ops never change the counter.
 */
export interface CounterLedger {
  listens: number;
  ignores: number;
  /** LISTENs deliberately left without IGNORE: the repair, which replaces stray IGNOREs. */
  leaked: number;
  invalidOps: number;
}

export function newLedger(): CounterLedger {
  return { listens: 0, ignores: 0, leaked: 0, invalidOps: 0 };
}

/** Records a successfully sent op in the ledger. */
export function recordOp(ledger: CounterLedger, op: number): void {
  if (op === OP_LISTEN) ledger.listens += 1;
  else if (op === OP_IGNORE) ledger.ignores += 1;
  else ledger.invalidOps += 1;
}

/**
 * Ack cookies of the health code use the low byte 0x20..0x2f, so acks stay attributable per process
 * and per purpose (the kernel answers cookie + 1; the connector itself uses 0x10/0x12).
 * Each purpose reserves cookie, cookie + 1 (its ack) and cookie + 2.
 */
export type CookiePurpose = 'measure' | 'undo' | 'gate' | 'semantics-listen' | 'semantics-ignore' | 'semantics-gate';

const COOKIE_LOW_BYTE: Readonly<Record<CookiePurpose, number>> = {
  measure: 0x20,
  undo: 0x22,
  gate: 0x24,
  'semantics-listen': 0x26,
  'semantics-ignore': 0x28,
  'semantics-gate': 0x2a,
};

export function healthCookie(pid: number, purpose: CookiePurpose): number {
  // pid_max is at most 2^22, so pid << 8 stays a positive 32-bit value.
  return ((pid << 8) | COOKIE_LOW_BYTE[purpose]) >>> 0;
}
