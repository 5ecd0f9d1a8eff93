// A faithful simulation of the process connector's listener counter, per generation, following the
// measured table in shared CONNECTOR.md and cn_proc_mcast_ctl(): before 6.6 one global counter that
// every LISTEN raises and every IGNORE lowers; from 6.6 per-socket state (initial / last op).
import { err, ok, type Result } from '../../../src/core/types.js';
import {
  EINVAL,
  OP_IGNORE,
  OP_LISTEN,
  type ProbeAck,
  type ProbeSocket,
  type ProbeSocketError,
  type ProbeSocketFactory,
} from '../../../src/core/health/probe-port.js';

export type Generation = 'global-counter' | 'per-socket';

interface SimSocketState {
  readonly id: number;
  /** Last op this socket sent (6.6+ keeps it in sk_user_data); null = never sent anything. */
  lastOp: number | null;
  closed: boolean;
  readonly queue: { ack: number; err: number }[];
  events: number;
}

export interface SimOptions {
  readonly generation: Generation;
  readonly counter?: number;
  /** A caller outside the initial user/PID namespace: the kernel silently drops its ops. */
  readonly initNamespace?: boolean;
}

export class SimKernel {
  counter: number;
  readonly generation: Generation;
  initNamespace: boolean;
  private readonly sockets: SimSocketState[] = [];
  /** Every op the kernel processed, for assertions. */
  readonly log: { socket: number; op: number }[] = [];

  constructor(options: SimOptions) {
    this.generation = options.generation;
    this.counter = options.counter ?? 0;
    this.initNamespace = options.initNamespace ?? true;
  }

  openSocket(): SimSocketState {
    const socket: SimSocketState = { id: this.sockets.length, lastOp: null, closed: false, queue: [], events: 0 };
    this.sockets.push(socket);
    return socket;
  }

  /** cn_proc_mcast_ctl: change the counter, then cn_proc_ack (which is skipped while counter < 1). */
  send(socket: SimSocketState, op: number, cookie: number): void {
    if (!this.initNamespace) return;
    this.log.push({ socket: socket.id, op });
    const error = this.generation === 'global-counter' ? this.applyGlobal(op) : this.applyPerSocket(socket, op);
    if (this.counter >= 1) this.multicast({ ack: (cookie + 1) >>> 0, err: error });
  }

  private applyGlobal(op: number): number {
    if (op === OP_LISTEN) this.counter += 1;
    else if (op === OP_IGNORE) this.counter -= 1;
    else return EINVAL;
    return 0;
  }

  private applyPerSocket(socket: SimSocketState, op: number): number {
    const initial = socket.lastOp === null;
    const previous = socket.lastOp;
    socket.lastOp = op; // stored before the switch, as the kernel does, whatever the op
    if (op === OP_LISTEN) {
      if (initial || previous !== OP_LISTEN) this.counter += 1;
    } else if (op === OP_IGNORE) {
      if (!initial && previous !== OP_IGNORE) this.counter -= 1;
    } else {
      return EINVAL;
    }
    return 0;
  }

  /** An event (e.g. a fork somewhere): delivered only while the gate is open. */
  emitEvent(): void {
    if (this.counter < 1) return;
    for (const socket of this.receivers()) socket.events += 1;
  }

  private multicast(message: { ack: number; err: number }): void {
    for (const socket of this.receivers()) socket.queue.push(message);
  }

  /** 6.6+ filters everything to a socket whose last op was IGNORE (cn_filter); before 6.6 nothing is filtered. */
  private receivers(): SimSocketState[] {
    return this.sockets.filter((s) => !s.closed && (this.generation === 'global-counter' || s.lastOp !== OP_IGNORE));
  }

  close(socket: SimSocketState): void {
    socket.closed = true; // close never changes the counter
  }

  openCount(): number {
    return this.sockets.filter((s) => !s.closed).length;
  }

  /** A ProbeSocketFactory for the algorithms under test. */
  factory(options: { failOpenAfter?: number } = {}): ProbeSocketFactory & { opened: number } {
    const result = {
      opened: 0,
      open: (): Result<ProbeSocket, ProbeSocketError> => {
        if (options.failOpenAfter !== undefined && result.opened >= options.failOpenAfter) {
          return err({ syscall: 'socket', code: 'EMFILE', errno: 24 });
        }
        result.opened += 1;
        return ok(this.probeSocket(this.openSocket()));
      },
    };
    return result;
  }

  probeSocket(state: SimSocketState): ProbeSocket {
    return {
      sendOp: (op, cookie) => {
        if (state.closed) throw new Error('send on a closed socket');
        this.send(state, op, cookie);
        return ok(undefined);
      },
      waitAck: (cookie, _timeoutMs): ProbeAck | null => {
        while (state.queue.length > 0) {
          const message = state.queue.shift();
          if (message !== undefined && message.ack === (cookie + 1) >>> 0) return { err: message.err, latencyMs: 0.01 };
        }
        return null;
      },
      close: () => this.close(state),
    };
  }

  /** A buggy client lowering the counter by one, the way each generation allows. */
  strayIgnore(): void {
    const socket = this.openSocket();
    if (this.generation === 'per-socket') this.send(socket, 99, 0x77);
    this.send(socket, OP_IGNORE, 0x77);
    this.close(socket);
  }

  /** A well-behaved program's LISTEN, returning its socket so it can IGNORE later. */
  listen(cookie = 0x55): SimSocketState {
    const socket = this.openSocket();
    this.send(socket, OP_LISTEN, cookie);
    return socket;
  }
}
