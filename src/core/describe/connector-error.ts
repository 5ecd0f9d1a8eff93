// Why the process connector cannot be used, in words a user can act on: one text per failure, shared
// by the engine (its polling reason, which `cntop events` prints) and `cntop doctor` (its cause). The
// doctor's fix is chosen from these words (health-causes.ts), so each keeps its tell-tale term.
import type { ConnectorError } from '../event-source.js';
import { assertNever } from '../types.js';

export function describeConnectorError(error: ConnectorError): string {
  switch (error.kind) {
    case 'addon-missing':
      return `the native addon is not built or cannot load (${error.detail}); run npm install to build it`;
    case 'unsupported':
      return 'this kernel has no process connector (EPROTONOSUPPORT: CONFIG_CONNECTOR / CONFIG_PROC_EVENTS missing)';
    case 'permission-denied':
      return `${error.syscall} was refused (errno ${error.errno}, EPERM/EACCES): permission denied; this kernel lets only root (or CAP_NET_ADMIN) subscribe to the process connector`;
    case 'network-namespace':
      return `${error.syscall} was refused (ECONNREFUSED): cntop is not in the host's network namespace, and the kernel has the process connector only there (the initial network namespace)`;
    case 'io':
      return `the connector failed (${error.syscall}: ${error.code}, errno ${error.errno})`;
    case 'disabled':
      return error.reason;
    default:
      return assertNever(error);
  }
}
