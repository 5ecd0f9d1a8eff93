// ownPidNamespace on the real /proc: this process's namespace as an independent witness sees it (the
// NSpid line of /proc/self/status has one entry in the initial PID namespace, one per level below
// it), and a child started in a new PID namespace with its own /proc (unshare -p -f --mount-proc).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownPidNamespace } from '../../src/core/proc/namespace.js';
import { present } from '../helpers/present.js';

const built = path.resolve(import.meta.dirname, '../../dist/core/proc/namespace.js');
const unshare = '/usr/bin/unshare';
const skipWhy =
  process.getuid?.() !== 0
    ? 'needs root to create a PID namespace'
    : !existsSync(unshare)
      ? `${unshare} (util-linux) is missing`
      : null;
if (skipWhy !== null) console.warn(`pid-namespace: the new-namespace test is skipped: ${skipWhy}`);

describe('PID namespace of the real /proc', () => {
  it("this process: 'initial' exactly when NSpid has a single entry", () => {
    const nspid = /^NSpid:\s+(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]?.trim().split(/\s+/);
    expect(nspid).toBeDefined();
    expect(ownPidNamespace('/proc')).toBe(present(nspid, 'the NSpid line').length === 1 ? 'initial' : 'other');
  });

  it.skipIf(skipWhy !== null)("a child in a new PID namespace with its own /proc: 'other'", () => {
    expect(existsSync(built), `${built} is missing: npm test builds it first`).toBe(true);
    const script = `import(${JSON.stringify(built)}).then((m) => console.log(m.ownPidNamespace('/proc')))`;
    const child = spawnSync(unshare, ['-p', '-f', '--mount-proc', process.execPath, '-e', script], {
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('other');
  });
});
