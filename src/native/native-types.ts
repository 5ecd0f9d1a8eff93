// The exact shape the compiled addon (build/Release/cntop_connector.node) exports.
// Keep in sync with addon/module.cc, addon/connector.cc and addon/control_socket.cc.
import type { ConnectorStats } from '../core/event-source.js';
import type { ProcEvent, ProcEventKind } from '../core/types.js';

/** Errors from system calls come back as values, never as exceptions. */
export type NativeStatus =
  | { readonly ok: true }
  | { readonly ok: false; readonly syscall: string; readonly errno: number; readonly code: string };

export interface NativeConnectorOptions {
  /** Receive buffer to ask for; SO_RCVBUFFORCE is tried first, then SO_RCVBUF. */
  readonly rcvbufBytes: number;
  /** Read /proc/<pid>/comm and cmdline on the reader thread right after each exec event. */
  readonly readExecInfo: boolean;
  /** Event kinds a classic-BPF socket filter drops in the kernel (empty: no filter). */
  readonly dropKinds: readonly ProcEventKind[];
  /** A batch is handed to JS when it holds this many events … */
  readonly maxBatchEvents: number;
  /** … or when its oldest event has waited this long. */
  readonly maxBatchMs: number;
  /** cn_msg.ack of our LISTEN; the kernel answers with ack + 1. IGNORE uses ackCookie + 2. */
  readonly ackCookie: number;
  /** How long start() waits for the LISTEN ack. */
  readonly ackWaitMs: number;
}

export interface NativeBatch {
  readonly events: ProcEvent[];
  readonly overruns: number;
  readonly seqGapMessages: number;
  readonly foreignAcks: { readonly ack: number; readonly err: number }[];
}

export type NativeStartResult =
  | {
      readonly ok: true;
      readonly ack: { readonly err: number; readonly latencyMs: number } | null;
      readonly rcvbufBytes: number;
      readonly rcvbufForced: boolean;
      readonly filterAttached: boolean;
    }
  | { readonly ok: false; readonly syscall: string; readonly errno: number; readonly code: string };

/** The connector's counters as core knows them, plus what only the native side can tell. */
export interface NativeStats extends ConnectorStats {
  /** Events dropped because JS fell so far behind that the reader would hold more than it may (also counted in overruns). */
  readonly queueFullDrops: number;
}

export interface NativeConnector {
  /** Opens, binds, sends LISTEN, waits for the ack, then starts the reader thread. */
  start(onBatch: (batch: NativeBatch) => void): NativeStartResult;
  stats(): NativeStats;
  /** Test hook: the reader thread stops reading for ms milliseconds (to provoke ENOBUFS). */
  pauseReader(ms: number): void;
  /** Idempotent. IGNORE exactly once iff LISTEN was sent; joins the reader; closes the fd. */
  close(): { readonly ignoreSent: boolean };
}

export interface NativeControlSocketOptions {
  /** Keep only acks (PROC_EVENT_NONE) with a kernel-side BPF filter, so a storm cannot push them out. */
  readonly acksOnly?: boolean;
  /** Receive buffer to ask for (SO_RCVBUFFORCE, else SO_RCVBUF); the kernel default otherwise. */
  readonly rcvbufBytes?: number;
}

/**
 * A bare subscribed socket for health probes: send any op, wait for the matching ack. No reader thread.
 * close() NEVER sends IGNORE: whoever sends LISTEN on a ControlSocket owes the IGNORE and must send it.
 */
export interface NativeControlSocket {
  /** Opens and binds to CN_IDX_PROC. */
  open(options?: NativeControlSocketOptions): NativeStatus;
  /** Sends a proc_cn_mcast_op (1 LISTEN, 2 IGNORE, anything else is invalid) with cn_msg.ack = ackCookie. */
  sendOp(op: number, ackCookie: number): NativeStatus;
  /** Waits for an ack with cn_msg.ack === ackCookie + 1, skipping everything else. */
  waitAck(ackCookie: number, timeoutMs: number): { readonly err: number; readonly latencyMs: number } | null;
  /** Counts the events (not acks) received since open(), cumulative, draining the socket without blocking. */
  drainEvents(): number;
  /** Every ack (anyone's) received since the previous drainAcks() that waitAck did not consume. */
  drainAcks(): { readonly ack: number; readonly err: number; readonly cpu: number; readonly seq: number }[];
  /** Releases the socket. Sends nothing. */
  close(): void;
}

export interface NativeDecoded {
  readonly events: ProcEvent[];
  readonly acks: { readonly ack: number; readonly err: number; readonly cpu: number; readonly seq: number }[];
  /** Per event, its cn_msg.seq, in the same order as events. */
  readonly seqs: number[];
  readonly malformed: number;
  readonly foreign: number;
}

export interface NativeAddon {
  readonly Connector: new (options: NativeConnectorOptions) => NativeConnector;
  readonly ControlSocket: new () => NativeControlSocket;
  /** The pure decoder, exposed so tests can feed it crafted datagrams. exec events get comm/cmdline null. */
  decodeDatagram(datagram: Uint8Array): NativeDecoded;
  /** clock_gettime(CLOCK_MONOTONIC) in ms, the clock of ProcEvent.timeMs. */
  monotonicMs(): number;
  /** clock_gettime(CLOCK_THREAD_CPUTIME_ID) in ms: the calling thread's CPU time (the benchmarks time frames with it). */
  threadCpuMs(): number;
}
