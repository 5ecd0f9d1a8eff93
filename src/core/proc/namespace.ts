// Which PID namespace the /proc we read belongs to. The connector reports initial-namespace pids;
// in any other namespace they would not match /proc, so the engine must not mix the two.
import { readlinkSync } from 'node:fs';

/** PROC_PID_INIT_INO (include/linux/proc_ns.h): the inode of the initial PID namespace, fixed. */
export const INITIAL_PID_NS_INODE = 0xeffffffc;

export type PidNamespace = 'initial' | 'other' | 'unknown';

/** Parses a readlink of /proc/<pid>/ns/pid, e.g. "pid:[4026531836]". */
export function classifyPidNamespaceLink(link: string): PidNamespace {
  const match = /^pid:\[(\d+)\]$/.exec(link.trim());
  if (match === null) return 'unknown';
  return Number(match[1]) === INITIAL_PID_NS_INODE ? 'initial' : 'other';
}

/** Our own PID namespace as seen through procRoot; 'unknown' when the link cannot be read. */
export function ownPidNamespace(procRoot: string): PidNamespace {
  try {
    return classifyPidNamespaceLink(readlinkSync(`${procRoot}/self/ns/pid`));
  } catch {
    return 'unknown';
  }
}
