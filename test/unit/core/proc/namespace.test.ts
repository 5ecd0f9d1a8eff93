// PID namespace detection from the /proc/self/ns/pid link; the real /proc (host and a new namespace)
// is checked in test/integration/pid-namespace.test.ts.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyPidNamespaceLink, ownPidNamespace } from '../../../../src/core/proc/namespace.js';

const roots = mkdtempSync(path.join(tmpdir(), 'cntop-ns-'));
afterAll(() => rmSync(roots, { recursive: true, force: true }));

/** A directory shaped like /proc whose self/ns/pid link says `link` (a symlink's target may be any text). */
function fakeProc(name: string, link: string): string {
  const root = path.join(roots, name);
  mkdirSync(path.join(root, 'self/ns'), { recursive: true });
  symlinkSync(link, path.join(root, 'self/ns/pid'));
  return root;
}

describe('PID namespace detection', () => {
  it('recognises the initial namespace by its fixed inode, and anything else as other', () => {
    expect(classifyPidNamespaceLink('pid:[4026531836]')).toBe('initial');
    expect(classifyPidNamespaceLink('pid:[4026532178]')).toBe('other');
    expect(classifyPidNamespaceLink('garbage')).toBe('unknown');
  });

  it('reads the link under the given root: initial, other, unknown for garbage or no link at all', () => {
    expect(ownPidNamespace(fakeProc('host', 'pid:[4026531836]'))).toBe('initial');
    expect(ownPidNamespace(fakeProc('container', 'pid:[4026532178]'))).toBe('other');
    expect(ownPidNamespace(fakeProc('odd', 'not-a-namespace'))).toBe('unknown');
    expect(ownPidNamespace(path.join(roots, 'nonexistent'))).toBe('unknown');
  });
});
