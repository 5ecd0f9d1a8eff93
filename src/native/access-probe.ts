// Reads the privilege and namespace facts the kernel's connector checks depend on from /proc.
// The interpretation is pure (core/health/access-facts.ts); this file only reads.
import { readFileSync, readlinkSync } from 'node:fs';
import { deriveAccessFacts } from '../core/health/access-facts.js';
import type { AccessFacts } from '../core/health/health-facts.js';

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null; // unreadable (hardened /proc, hidepid): the fact stays unknown
  }
}

export function readAccessFacts(): AccessFacts {
  return deriveAccessFacts({
    uid: process.getuid?.() ?? -1,
    statusText: readOrNull(() => readFileSync('/proc/self/status', 'utf8')),
    pidNsLink: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
    userNsLink: readOrNull(() => readlinkSync('/proc/self/ns/user')),
    uidMapText: readOrNull(() => readFileSync('/proc/self/uid_map', 'utf8')),
  });
}

/** The running kernel's release (uname -r). */
export function kernelRelease(): string {
  return readOrNull(() => readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()) ?? 'unknown';
}
