// Privilege and namespace facts from text read out of /proc (the reading is native/'s job). The kernel
// drops LISTEN/IGNORE from outside the initial user and PID namespaces, and before 6.6 wants CAP_NET_ADMIN.
import type { AccessFacts } from './health-facts.js';

/** The kernel's fixed inode numbers of the initial namespaces (include/linux/proc_ns.h). */
export const INIT_PID_NS_INODE = 0xeffffffc;
export const INIT_USER_NS_INODE = 0xeffffffd;
const CAP_NET_ADMIN_BIT = 12n;

export interface AccessInputs {
  readonly uid: number;
  /** /proc/self/status, or null when unreadable. */
  readonly statusText: string | null;
  /** readlink /proc/self/ns/pid and /proc/self/ns/user, e.g. "pid:[4026531836]", or null. */
  readonly pidNsLink: string | null;
  readonly userNsLink: string | null;
  /** /proc/self/uid_map, or null. */
  readonly uidMapText: string | null;
}

export function nsInode(link: string | null): number | null {
  const match = link === null ? null : /^\w+:\[(\d+)\]$/.exec(link.trim());
  return match === null ? null : Number(match[1]);
}

function statusField(statusText: string | null, name: string): string | null {
  if (statusText === null) return null;
  const line = statusText.split('\n').find((l) => l.startsWith(`${name}:`));
  return line === undefined ? null : line.slice(name.length + 1).trim();
}

/**
 * NSpid lists the pid in each nested PID namespace: more than one entry proves a nested namespace.
 * One entry proves nothing (a container's own /proc mount shows one), so the namespace inode decides.
 */
export function isInitPidNs(inputs: AccessInputs): boolean | null {
  const nspid = statusField(inputs.statusText, 'NSpid');
  if (nspid !== null && nspid.split(/\s+/).length > 1) return false;
  const inode = nsInode(inputs.pidNsLink);
  return inode === null ? null : inode === INIT_PID_NS_INODE;
}

/** The initial user namespace maps all 2^32-1 ids onto themselves: "0 0 4294967295". */
export function isInitUserNs(inputs: AccessInputs): boolean | null {
  const inode = nsInode(inputs.userNsLink);
  if (inode !== null) return inode === INIT_USER_NS_INODE;
  if (inputs.uidMapText === null) return null;
  return inputs.uidMapText.trim().split(/\s+/).join(' ') === '0 0 4294967295';
}

export function hasNetAdmin(statusText: string | null): boolean | null {
  const capEff = statusField(statusText, 'CapEff');
  if (capEff === null || !/^[0-9a-f]+$/i.test(capEff)) return null;
  return ((BigInt(`0x${capEff}`) >> CAP_NET_ADMIN_BIT) & 1n) === 1n;
}

export function deriveAccessFacts(inputs: AccessInputs): AccessFacts {
  const initPidNs = isInitPidNs(inputs);
  const initUserNs = isInitUserNs(inputs);
  const netAdmin = hasNetAdmin(inputs.statusText);
  const words = (value: boolean | null, yes: string, no: string): string =>
    value === null ? `${yes}: unknown` : value ? yes : no;
  const evidence = [
    `uid ${inputs.uid}`,
    words(netAdmin, 'CAP_NET_ADMIN', 'no CAP_NET_ADMIN'),
    words(initPidNs, 'initial PID namespace', `PID namespace ${inputs.pidNsLink ?? '?'} (not the initial one)`),
    words(initUserNs, 'initial user namespace', `user namespace ${inputs.userNsLink ?? '?'} (not the initial one)`),
  ].join(', ');
  return { uid: inputs.uid, netAdmin, initPidNs, initUserNs, evidence };
}
