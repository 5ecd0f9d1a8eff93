// A test-side witness of the kernel's acks. It holds the listener gate open with its own LISTEN (so
// every other LISTEN/IGNORE is answered, even an IGNORE that leaves no other listener), collects
// every ack anyone's op produced, and on close sends its own IGNORE so the kernel's listener count
// is back where it was. Acks are attributed by ackCookieFor's scheme: ack >>> 8 is the sender's pid.
import { ackCookieFor, connectorAckRole, pidOfAck, type AckRole } from '../../src/native/ack-cookie.js';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeControlSocket } from '../../src/native/native-types.js';

const PROC_CN_MCAST_LISTEN = 1;
const PROC_CN_MCAST_IGNORE = 2;
/** Low byte of the monitor's own cookie: apart from a Connector's 0x10..0x13. */
const MONITOR_TAG = 0x40;

export interface SeenAck {
  readonly ack: number;
  readonly err: number;
  /** The pid that sent the op this ack answers. */
  readonly pid: number;
  /** What a Connector's op this is (by the cookie's low byte). */
  readonly role: AckRole;
}

export interface AckMonitor {
  /** Every ack seen since open, in arrival order (drains the socket first). */
  all(): readonly SeenAck[];
  /** Acks answering ops sent by pid. */
  from(pid: number): readonly SeenAck[];
  /** Polls until check(all acks) holds or timeoutMs passes; returns whether it held. */
  waitFor(check: (acks: readonly SeenAck[]) => boolean, timeoutMs: number): Promise<boolean>;
  /** Sends the monitor's IGNORE (exactly once) and releases the socket. */
  close(): void;
}

export type MonitorOpen =
  { readonly ok: true; readonly monitor: AckMonitor } | { readonly ok: false; readonly reason: string };

export function openAckMonitor(ackWaitMs = 500): MonitorOpen {
  const addon = loadAddon();
  if (!addon.ok) return { ok: false, reason: `addon not loadable: ${JSON.stringify(addon.error)}` };
  const socket = new addon.value.ControlSocket();
  // acksOnly: a kernel-side filter drops events, so a fork storm cannot overflow this socket.
  const opened = socket.open({ acksOnly: true, rcvbufBytes: 4 * 1024 * 1024 });
  if (!opened.ok) return { ok: false, reason: `monitor socket: ${opened.syscall} ${opened.code}` };
  const cookie = ackCookieFor(process.pid, MONITOR_TAG);
  const sent = socket.sendOp(PROC_CN_MCAST_LISTEN, cookie);
  if (!sent.ok) {
    socket.close(); // LISTEN did not go out: no IGNORE is owed
    return { ok: false, reason: `monitor LISTEN: ${sent.syscall} ${sent.code}` };
  }
  const monitor = new SocketAckMonitor(socket, cookie);
  const answer = socket.waitAck(cookie, ackWaitMs);
  if (answer === null || answer.err !== 0) {
    monitor.close(); // our LISTEN counted (+1) even unanswered: take it back
    const why =
      answer === null
        ? `no ack within ${ackWaitMs} ms (listener gate closed or not the initial namespaces)`
        : `ack err ${answer.err}`;
    return { ok: false, reason: `the kernel did not acknowledge the monitor's LISTEN: ${why}` };
  }
  return { ok: true, monitor };
}

class SocketAckMonitor implements AckMonitor {
  readonly #socket: NativeControlSocket;
  readonly #cookie: number;
  readonly #seen: SeenAck[] = [];
  #closed = false;

  constructor(socket: NativeControlSocket, cookie: number) {
    this.#socket = socket;
    this.#cookie = cookie;
  }

  all(): readonly SeenAck[] {
    if (!this.#closed) {
      for (const { ack, err } of this.#socket.drainAcks()) {
        this.#seen.push({ ack, err, pid: pidOfAck(ack), role: connectorAckRole(ack) });
      }
    }
    return this.#seen;
  }

  from(pid: number): readonly SeenAck[] {
    return this.all().filter((seen) => seen.pid === pid);
  }

  async waitFor(check: (acks: readonly SeenAck[]) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.all())) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  close(): void {
    if (this.#closed) return;
    this.all(); // keep what is queued: close() must not lose acks a test still reads
    this.#closed = true;
    this.#socket.sendOp(PROC_CN_MCAST_IGNORE, this.#cookie + 2);
    this.#socket.close();
  }
}
