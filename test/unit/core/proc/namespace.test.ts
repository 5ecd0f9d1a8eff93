import { describe, expect, it } from 'vitest';
import { classifyPidNamespaceLink, ownPidNamespace } from '../../../../src/core/proc/namespace.js';

describe('PID namespace detection', () => {
  it('recognises the initial namespace by its fixed inode, and anything else as other', () => {
    expect(classifyPidNamespaceLink('pid:[4026531836]')).toBe('initial');
    expect(classifyPidNamespaceLink('pid:[4026532178]')).toBe('other');
    expect(classifyPidNamespaceLink('garbage')).toBe('unknown');
  });
  it('reads the real link (initial on a host, other in a container), and unknown under a fake root', () => {
    expect(['initial', 'other']).toContain(ownPidNamespace('/proc'));
    expect(ownPidNamespace('/nonexistent')).toBe('unknown');
  });
});
