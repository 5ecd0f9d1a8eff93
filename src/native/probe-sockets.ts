// The health logic's ProbeSocketFactory on the addon's bare ControlSocket: each open() is a fresh
// socket bound to CN_IDX_PROC, and close() sends nothing (a LISTEN left on it leaks on purpose).
import type { ProbeSocket, ProbeSocketError, ProbeSocketFactory } from '../core/health/probe-port.js';
import { err, ok, type Result } from '../core/types.js';
import type { NativeAddon, NativeControlSocket, NativeStatus } from './native-types.js';

function toError(status: Exclude<NativeStatus, { ok: true }>): ProbeSocketError {
  return { syscall: status.syscall, code: status.code, errno: status.errno };
}

function wrap(socket: NativeControlSocket): ProbeSocket {
  let closed = false;
  return {
    sendOp: (op, cookie) => {
      const status = socket.sendOp(op, cookie);
      return status.ok ? ok(undefined) : err(toError(status));
    },
    waitAck: (cookie, timeoutMs) => socket.waitAck(cookie, timeoutMs),
    close: () => {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

/**
 * acksOnly keeps only PROC_EVENT_NONE messages in the kernel (a classic-BPF filter attached before
 * bind), so a fork storm cannot overflow a probe socket and push out the ack it waits for.
 */
export function nativeProbeSockets(addon: NativeAddon): ProbeSocketFactory {
  return {
    open(): Result<ProbeSocket, ProbeSocketError> {
      const socket = new addon.ControlSocket();
      const opened = socket.open({ acksOnly: true });
      if (!opened.ok) {
        socket.close();
        return err(toError(opened));
      }
      return ok(wrap(socket));
    },
  };
}
