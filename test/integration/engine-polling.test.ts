// The engine on the real /proc with no connector: the polling fallback sees processes come and go.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineControl } from '../../src/core/engine-api.js';
import { startEngine } from '../../src/core/engine.js';
import { err } from '../../src/core/types.js';
import { waitFor } from '../helpers/wait-for.js';

// Other programs on this shared machine may end thousands of processes during a test: keep every
// exit listed and in the ring, so that only our own children's fate decides the outcome.
const ROOMY = { exitedCapacity: 100_000, maxTombstones: 100_000 };

let engine: EngineControl | null = null;
afterEach(() => engine?.close());

describe('engine in polling mode on the real /proc', () => {
  it('seeds with this process and its real parent, user and command line', async () => {
    engine = await startEngine({ ...ROOMY, source: err({ kind: 'unsupported' }), refreshMs: 100 });
    expect(engine.status).toMatchObject({ mode: 'polling', connector: null });
    expect(engine.status.pollingReason).toMatch(/no process connector/);
    const self = engine.processes.get(process.pid);
    expect(self).toMatchObject({ ppid: process.ppid, uid: process.getuid?.(), exitMs: null });
    expect(self?.user).toBe(process.getuid?.() === 0 ? 'root' : expect.any(String));
    expect(self?.cmdline?.join(' ')).toContain('vitest');
    expect(engine.childrenOf(process.ppid)).toContain(process.pid);
    expect(engine.processes.get(2)?.isKernelThread).toBe(true);
    expect(engine.system.memTotalBytes).toBeGreaterThan(0);
  });

  it('finds a new child on the next pass and ends it when it is gone', async () => {
    engine = await startEngine({ ...ROOMY, source: err({ kind: 'unsupported' }), refreshMs: 100 });
    const child = spawn('sleep', ['30']);
    const pid = child.pid as number;
    const view = engine;
    await waitFor(() => view.processes.get(pid)?.comm === 'sleep');
    expect(view.processes.get(pid)).toMatchObject({ ppid: process.pid, cmdline: ['sleep', '30'], exitMs: null });
    expect(view.childrenOf(process.pid)).toContain(pid);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await waitFor(() => view.processes.get(pid)?.exitMs != null);
    // Polling cannot see exit statuses: the entry says so rather than guessing.
    expect(view.exited.find((p) => p.pid === pid)).toMatchObject({
      comm: 'sleep',
      status: { code: null, signal: null },
    });
  });

  it('samples CPU% of a busy child near one core', async () => {
    engine = await startEngine({ ...ROOMY, source: err({ kind: 'unsupported' }), refreshMs: 500 });
    const child = spawn('sh', ['-c', 'while :; do :; done']);
    const pid = child.pid as number;
    const view = engine;
    try {
      await waitFor(() => (view.processes.get(pid)?.cpuPercent ?? 0) > 0, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const cpu = view.processes.get(pid)?.cpuPercent ?? 0;
      // Two cores shared with other work: demand a clearly busy reading, not an exact one.
      expect(cpu).toBeGreaterThan(30);
      expect(cpu).toBeLessThanOrEqual(110);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
