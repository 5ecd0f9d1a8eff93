// The bench's C load generators on the real kernel: the storm reports exactly what it did, and the idle
// swarm's processes all exist while it runs and are all gone after it stops (no stray processes).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCPrograms } from '../../../bench/lib/build.mjs';
import { runStorm, startIdleSwarm } from '../../../bench/lib/load.mjs';
import { stopAll } from '../../../bench/lib/children.mjs';

const hasCc = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v cc']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasCc) console.warn('skipping the load-generator tests: no C compiler (cc) on this machine');

/** Pids whose parent is `ppid`, read from /proc (pids that vanish mid-read are skipped). */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) out.push(Number(name));
    } catch {
      // gone: normal
    }
  }
  return out;
}

describe.skipIf(!hasCc)('bench load generators', () => {
  beforeAll(() => {
    const built = buildCPrograms();
    expect(built.every((b: { ok: boolean }) => b.ok)).toBe(true);
  });
  afterAll(() => stopAll());

  it('storm (exec mode) starts, reaps and reports every child', async () => {
    const r = await runStorm({ mode: 'exec', durationS: 0.3 });
    expect(r.mode).toBe('exec');
    expect(r.children).toBeGreaterThan(10);
    expect(r.reaped).toBe(r.children);
    expect(r.nonzeroExits).toBe(0);
    expect(r.childrenPerS).toBeCloseTo(r.children / r.forkingS, 0);
    expect(childrenOf(r.pid)).toEqual([]);
  });

  it('storm honours a target rate', async () => {
    const r = await runStorm({ mode: 'exit', durationS: 0.5, rate: 200 });
    expect(r.children).toBeGreaterThanOrEqual(90);
    expect(r.children).toBeLessThanOrEqual(101);
  });

  it('idle swarm holds N processes while it runs and none after stop', async () => {
    const swarm = await startIdleSwarm(200);
    expect(childrenOf(swarm.pid)).toHaveLength(200);
    const kids = childrenOf(swarm.pid);
    await swarm.stop();
    const left = kids.filter((pid) => {
      try {
        return !readFileSync(`/proc/${pid}/stat`, 'latin1').includes(') Z');
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });
});
