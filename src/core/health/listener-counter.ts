// Pure algorithms over the kernel's global listener counter (proc_event_num_listeners), written against
// ProbeSocketFactory: the side-effect-free gate probe, the exact deficit measurement (raise one fresh
// LISTEN at a time until acked), and its two endings: undo (measure without repair) or keep (repair).
import { err, ok, type Result } from '../types.js';
import {
  EINVAL,
  OP_IGNORE,
  OP_INVALID,
  OP_LISTEN,
  recordOp,
  type CounterLedger,
  type ProbeSocket,
  type ProbeSocketError,
  type ProbeSocketFactory,
} from './probe-port.js';

export interface GateState {
  /** True when the counter is >= 1: the kernel answered the invalid op (with EINVAL). */
  readonly open: boolean;
  readonly err: number | null;
  readonly latencyMs: number | null;
}

/**
 * From a fresh subscribed socket, send an invalid op: the kernel answers EINVAL exactly when the counter
 * is >= 1, and the counter does not change on either kernel generation. Never IGNORE on that socket
 * afterwards (on 6.6+ an IGNORE after any op on a socket decrements).
 */
export function probeGate(
  factory: ProbeSocketFactory,
  cookie: number,
  timeoutMs: number,
  ledger: CounterLedger,
): Result<GateState, ProbeSocketError> {
  const opened = factory.open();
  if (!opened.ok) return opened;
  const socket = opened.value;
  try {
    const sent = socket.sendOp(OP_INVALID, cookie);
    if (!sent.ok) return sent;
    recordOp(ledger, OP_INVALID);
    const ack = socket.waitAck(cookie, timeoutMs);
    if (ack === null) return ok({ open: false, err: null, latencyMs: null });
    return ok({ open: ack.err === EINVAL, err: ack.err, latencyMs: ack.latencyMs });
  } finally {
    socket.close();
  }
}

export interface MeasureOptions {
  readonly cookie: number;
  readonly undoCookie: number;
  /** Give up (and undo) after this many LISTENs: a runaway buggy client can push the counter far down. */
  readonly maxSteps: number;
  /** LISTEN is handled inside send(), so a present ack is already queued: this only bounds the "no" case. */
  readonly stepTimeoutMs: number;
  /** Monotonic clock for the per-step timing. */
  readonly nowMs: () => number;
}

/** LISTENs held open on fresh sockets; the caller must end it with undo() or keep(), exactly once. */
export interface HeldRaise {
  /** LISTENs needed until the kernel acked one; null when maxSteps passed without an ack. */
  readonly deficit: number | null;
  readonly steps: number;
  readonly stepMs: readonly number[];
  /** Measure without repair: one IGNORE from each socket that sent a LISTEN (exact on both generations). */
  undo(): Result<number, ProbeSocketError>;
  /** Repair: close the sockets without IGNORE, so the counter keeps the raise. Returns how many leaked. */
  keep(): number;
}

/**
 * Measures how far below 1 the counter stands now (call it right after our own LISTEN went unacked:
 * the result is then the "deficit"). One fresh socket per LISTEN, because 6.6+ counts a
 * repeated LISTEN on one socket only once; the first acked LISTEN lifted the counter to exactly 1.
 */
export function measureDeficit(
  factory: ProbeSocketFactory,
  options: MeasureOptions,
  ledger: CounterLedger,
): Result<HeldRaise, ProbeSocketError> {
  const held: ProbeSocket[] = [];
  const stepMs: number[] = [];
  let deficit: number | null = null;
  while (held.length < options.maxSteps && deficit === null) {
    const started = options.nowMs();
    const step = listenOnFreshSocket(factory, options.cookie, ledger);
    if (!step.ok) {
      undoAll(held, options.undoCookie, ledger);
      return step;
    }
    held.push(step.value);
    const ack = step.value.waitAck(options.cookie, options.stepTimeoutMs);
    stepMs.push(options.nowMs() - started);
    if (ack !== null) deficit = held.length;
  }
  return ok(makeHeldRaise(held, deficit, stepMs, options.undoCookie, ledger));
}

function listenOnFreshSocket(
  factory: ProbeSocketFactory,
  cookie: number,
  ledger: CounterLedger,
): Result<ProbeSocket, ProbeSocketError> {
  const opened = factory.open();
  if (!opened.ok) return opened;
  const sent = opened.value.sendOp(OP_LISTEN, cookie);
  if (!sent.ok) {
    opened.value.close();
    return sent;
  }
  recordOp(ledger, OP_LISTEN);
  return ok(opened.value);
}

function makeHeldRaise(
  held: ProbeSocket[],
  deficit: number | null,
  stepMs: readonly number[],
  undoCookie: number,
  ledger: CounterLedger,
): HeldRaise {
  let ended = false;
  const end = (): void => {
    if (ended) throw new Error('HeldRaise ended twice');
    ended = true;
  };
  return {
    deficit,
    steps: held.length,
    stepMs,
    undo: () => {
      end();
      return undoAll(held, undoCookie, ledger);
    },
    keep: () => {
      end();
      for (const socket of held) socket.close();
      ledger.leaked += held.length;
      return held.length;
    },
  };
}

/** IGNORE from each socket that LISTENed, newest first, then close them all. Returns IGNOREs sent. */
function undoAll(held: ProbeSocket[], undoCookie: number, ledger: CounterLedger): Result<number, ProbeSocketError> {
  let sent = 0;
  let failure: ProbeSocketError | null = null;
  for (const socket of [...held].reverse()) {
    const result = socket.sendOp(OP_IGNORE, undoCookie);
    if (result.ok) {
      recordOp(ledger, OP_IGNORE);
      sent += 1;
    } else {
      failure ??= result.error;
    }
    socket.close();
  }
  held.length = 0;
  return failure === null ? ok(sent) : err(failure);
}
