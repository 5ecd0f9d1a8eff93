// Tells the two kernel generations apart by behaviour, with no net change to the counter: a fresh
// socket sends LISTEN then IGNORE (+1 -1 on both), then a gate probe's ack is multicast. Before 6.6 the
// IGNOREd socket still receives it; from 6.6 the kernel filters every message to a socket after its IGNORE.
import type { KernelSemantics } from './health-types.js';
import { ok, type Result } from '../types.js';
import { probeGate } from './listener-counter.js';
import {
  OP_IGNORE,
  OP_LISTEN,
  recordOp,
  type CounterLedger,
  type ProbeSocket,
  type ProbeSocketError,
  type ProbeSocketFactory,
} from './probe-port.js';

export interface SemanticsCookies {
  readonly listen: number;
  readonly ignore: number;
  readonly gate: number;
}

export interface SemanticsProbe {
  readonly semantics: KernelSemantics;
  /** Plain words: what was observed. */
  readonly evidence: string;
}

/**
 * Needs the gate open (counter >= 1), e.g. on a healthy machine, or while a deficit measurement holds
 * the counter at exactly 1. Returns 'unknown' when the gate is closed.
 */
export function probeSemantics(
  factory: ProbeSocketFactory,
  cookies: SemanticsCookies,
  timeoutMs: number,
  ledger: CounterLedger,
): Result<SemanticsProbe, ProbeSocketError> {
  const listenerOpened = factory.open();
  if (!listenerOpened.ok) return listenerOpened;
  const listener = listenerOpened.value;
  try {
    const listened = listener.sendOp(OP_LISTEN, cookies.listen);
    if (!listened.ok) return listened;
    recordOp(ledger, OP_LISTEN);
    // The IGNORE is owed from here on, whatever the ack says.
    const listenAck = listener.waitAck(cookies.listen, timeoutMs);
    const ignored = listener.sendOp(OP_IGNORE, cookies.ignore);
    if (!ignored.ok) return ignored;
    recordOp(ledger, OP_IGNORE);
    if (listenAck === null) return ok(unknown('the gate is closed: a LISTEN got no ack'));
    return observeAfterIgnore(factory, listener, cookies.gate, timeoutMs, ledger);
  } finally {
    listener.close();
  }
}

function observeAfterIgnore(
  factory: ProbeSocketFactory,
  ignored: ProbeSocket,
  gateCookie: number,
  timeoutMs: number,
  ledger: CounterLedger,
): Result<SemanticsProbe, ProbeSocketError> {
  // The gate probe's ack is multicast: if the IGNOREd socket is still served, it is queued there too.
  const gate = probeGate(factory, gateCookie, timeoutMs, ledger);
  if (!gate.ok) return gate;
  if (gate.value.err === null) return ok(unknown('the gate closed during the probe'));
  // The ack is already queued on every socket that gets it, so a short wait suffices.
  const seenAfterIgnore = ignored.waitAck(gateCookie, timeoutMs) !== null;
  return ok(
    seenAfterIgnore
      ? {
          semantics: 'global-counter',
          evidence: 'a socket still received acks after its own IGNORE (kernel before 6.6)',
        }
      : {
          semantics: 'per-socket',
          evidence: 'a socket received nothing after its own IGNORE (per-socket state, 6.6 and later)',
        },
  );
}

function unknown(evidence: string): SemanticsProbe {
  return { semantics: 'unknown', evidence };
}

/** The prior from the version string, used until (or when) behaviour cannot be observed. */
export function semanticsFromRelease(release: string): KernelSemantics {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (match === null) return 'unknown';
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 6 || (major === 6 && minor >= 6) ? 'per-socket' : 'global-counter';
}
