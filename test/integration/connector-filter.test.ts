// The classic-BPF kind filter on the real kernel: dropped kinds never arrive, the rest do, and the
// holes the filter leaves in the per-CPU sequence are not reported as loss.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ProcEvent } from '../../src/core/types.js';
import { openKernelEventSource } from '../../src/native/kernel-event-source.js';

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('connector kind filter (real kernel)', () => {
  it('dropKinds fork+comm: no fork or comm event arrives, exec and exit still do, no false gaps', async ({ skip }) => {
    const opened = openKernelEventSource({ dropKinds: ['fork', 'comm'] });
    if (!opened.ok) return skip(`connector unavailable: ${JSON.stringify(opened.error)}`);
    const source = opened.value;
    const events: ProcEvent[] = [];
    const started = await source.start((batch) => events.push(...batch.events));
    try {
      expect(started).toMatchObject({ ok: true, value: { droppedKinds: ['fork', 'comm'] } });
      const children = Array.from(
        { length: 50 },
        () => spawnSync('/bin/sh', ['-c', 'printf x > /proc/$$/comm; exit 5']).pid,
      );
      await waitUntil(() => children.every((pid) => events.some((e) => e.kind === 'exit' && e.pid === pid)), 5000);
      for (const pid of children) {
        expect(events.filter((e) => e.pid === pid).map((e) => e.kind)).toEqual(['exec', 'exit']);
      }
      expect(events.some((e) => e.kind === 'fork' || e.kind === 'comm')).toBe(false);
      const stats = source.stats();
      expect(stats.eventsByKind.fork + stats.eventsByKind.comm).toBe(0);
      // ~100 forks and ~50 comm messages were filtered out of our sequence: holes, not loss.
      expect(stats.seqGapMessages).toBe(0);
    } finally {
      source.close();
    }
  });

  it('without a filter the same children do show fork and comm (the test above is not vacuous)', async ({ skip }) => {
    const opened = openKernelEventSource();
    if (!opened.ok) return skip(`connector unavailable: ${JSON.stringify(opened.error)}`);
    const events: ProcEvent[] = [];
    await opened.value.start((batch) => events.push(...batch.events));
    try {
      const pid = spawnSync('/bin/sh', ['-c', 'printf x > /proc/$$/comm; exit 5']).pid;
      await waitUntil(() => events.some((e) => e.kind === 'exit' && e.pid === pid), 5000);
      expect(events.filter((e) => e.pid === pid).map((e) => e.kind)).toEqual(['fork', 'exec', 'comm', 'exit']);
    } finally {
      opened.value.close();
    }
  });
});
