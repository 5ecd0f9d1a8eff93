// Classifies a failed system call from the addon into core's ConnectorError, so the engine can
// say why it fell back to /proc polling in words a user can act on.
import os from 'node:os';
import type { ConnectorError } from '../core/event-source.js';

const { EPROTONOSUPPORT, EPERM, EACCES, ECONNREFUSED } = os.constants.errno;

export function connectorErrorFromErrno(syscall: string, errno: number, code: string): ConnectorError {
  if (errno === EPROTONOSUPPORT) return { kind: 'unsupported' };
  if (errno === EPERM || errno === EACCES) return { kind: 'permission-denied', syscall, errno };
  // Only a netlink send to the kernel can be refused so: no connector socket in this network namespace.
  if (errno === ECONNREFUSED) return { kind: 'network-namespace', syscall, errno };
  return { kind: 'io', syscall, errno, code };
}
