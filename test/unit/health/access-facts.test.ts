// Privilege and namespace facts from /proc text: the container cases that a naive check gets wrong.
import { describe, expect, it } from 'vitest';
import { deriveAccessFacts, hasNetAdmin } from '../../../src/core/health/access-facts.js';

const HOST_STATUS = 'Name:\tnode\nNSpid:\t25058\nCapEff:\t000001ffffffffff\n';

describe('deriveAccessFacts', () => {
  it('recognises the initial namespaces by their fixed inodes', () => {
    const facts = deriveAccessFacts({
      uid: 0,
      statusText: HOST_STATUS,
      pidNsLink: 'pid:[4026531836]',
      userNsLink: 'user:[4026531837]',
      uidMapText: '         0          0 4294967295\n',
    });
    expect(facts).toMatchObject({ initPidNs: true, initUserNs: true, netAdmin: true });
  });

  it('sees a nested PID namespace from NSpid even when the inode is unreadable', () => {
    const facts = deriveAccessFacts({
      uid: 0,
      statusText: 'NSpid:\t4242\t1\n',
      pidNsLink: null,
      userNsLink: null,
      uidMapText: null,
    });
    expect(facts.initPidNs).toBe(false);
    expect(facts.initUserNs).toBeNull();
  });

  it('does not trust a single NSpid entry: a container with its own /proc shows one (PID 1 looks like init)', () => {
    const facts = deriveAccessFacts({
      uid: 0,
      statusText: 'NSpid:\t1\n',
      pidNsLink: 'pid:[4026532201]',
      userNsLink: 'user:[4026532199]',
      uidMapText: '0 100000 65536\n',
    });
    expect(facts).toMatchObject({ initPidNs: false, initUserNs: false });
    expect(facts.evidence).toContain('not the initial one');
  });

  it('falls back to uid_map for the user namespace', () => {
    const base = { uid: 1000, statusText: null, pidNsLink: null, userNsLink: null };
    expect(deriveAccessFacts({ ...base, uidMapText: '0 0 4294967295' }).initUserNs).toBe(true);
    expect(deriveAccessFacts({ ...base, uidMapText: '0 1000 1' }).initUserNs).toBe(false);
  });

  it('reads CAP_NET_ADMIN (bit 12) from CapEff', () => {
    expect(hasNetAdmin('CapEff:\t0000000000001000\n')).toBe(true);
    expect(hasNetAdmin('CapEff:\t0000000000000000\n')).toBe(false);
    expect(hasNetAdmin('Name:\tx\n')).toBeNull();
  });
});
