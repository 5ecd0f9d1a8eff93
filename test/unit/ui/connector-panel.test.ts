import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../src/core/engine-api.js';
import type { HealthReport } from '../../../src/core/health/health-types.js';
import { ASCII_GLYPHS, UNICODE_GLYPHS, sparkline } from '../../../src/ui/glyphs.js';
import { RateHistory } from '../../../src/ui/history.js';
import { panelLines, wrap, type PanelData } from '../../../src/ui/widgets/connector-panel.js';
import { FakeEngine } from '../../helpers/fake-engine.js';

const text = (data: PanelData): string =>
  panelLines(data, 38)
    .map((l) => l.map((s) => s.text).join(''))
    .join('\n');

function data(status: Partial<EngineStatus>, health: HealthReport | null = null): PanelData {
  const engine = new FakeEngine();
  return {
    status: { ...engine.status, ...status },
    health,
    rates: new RateHistory(60),
    nowMs: engine.status.startedMs + 5000,
    glyphs: UNICODE_GLYPHS,
    ascii: false,
  };
}

describe('connector panel', () => {
  it('shows live netlink with the ack latency and every event kind', () => {
    const t = text(data({}));
    expect(t).toMatch(/Mode +live netlink/);
    expect(t).toMatch(/LISTEN +ack in 0\.42 ms/);
    for (const kind of ['fork', 'exec', 'exit', 'comm', 'uid', 'gid', 'sid', 'ptrace', 'coredump'])
      expect(t).toMatch(new RegExp(`^${kind} `, 'm'));
    expect(t).toMatch(/Drops +0 ENOBUFS, 0 seq gaps/);
  });

  it('says polling and why, and that no ack came', () => {
    const t = text(
      data({
        mode: 'polling',
        pollingReason: 'the kernel did not answer LISTEN within 1000 ms (not in the initial pid namespace?)',
        start: { ack: null, rcvbufBytes: 0, rcvbufForced: false, droppedKinds: [] },
      }),
    );
    expect(t).toMatch(/Mode +POLLING \/proc/);
    expect(t).toContain('the kernel did not answer LISTEN');
    expect(t).toMatch(/LISTEN +NO ACK/);
  });

  it('shows the health verdict, the deficit and the cause when the health logic provides them', () => {
    const health: HealthReport = {
      status: 'blind',
      mode: 'netlink',
      kernel: { release: '6.1.0', semantics: 'global-counter' },
      ack: { received: false, err: null, latencyMs: null },
      canary: { ok: false, latencyMs: null, atMs: 1 },
      deficit: 3,
      lost: 0,
      lastLossMs: null,
      cause: 'another program sent PROC_CN_MCAST_IGNORE without LISTEN',
      fix: 'press R',
      taskstats: { status: 'ok', records: 12, lost: 0, cause: null, fix: null },
    };
    const t = text(data({}, health));
    expect(t).toMatch(/Health +BLIND/);
    expect(t).toMatch(/Canary +FAILED/);
    expect(t).toMatch(/Deficit +3 \(press R to repair\)/);
    expect(t).toContain('Cause: another program sent');
  });

  it('shows a Taskstats row: ok with records and lost on one line; silent or off with its cause and fix', () => {
    const base: HealthReport = {
      status: 'healthy',
      mode: 'netlink',
      kernel: { release: '6.18.0', semantics: 'per-socket' },
      ack: { received: true, err: 0, latencyMs: 0.1 },
      canary: { ok: true, latencyMs: 3, atMs: 1 },
      deficit: 0,
      lost: 0,
      lastLossMs: null,
      cause: null,
      fix: null,
      taskstats: { status: 'ok', records: 123_456, lost: 2, cause: null, fix: null },
    };
    const ok = panelLines(data({}, base), 38);
    const row = ok.find((l) => l[0]?.text === 'Taskstats ');
    expect(row?.map((s) => s.text).join('')).toBe('Taskstats ok, 123k rec, 2 lost');
    expect(row?.[1]?.style).toBe('good');
    const silent = text(
      data(
        {},
        {
          ...base,
          taskstats: {
            status: 'silent',
            records: 0,
            lost: 0,
            cause: "the canary's exit produced no record",
            fix: 'run cntop as root',
          },
        },
      ),
    );
    expect(silent).toMatch(/^Taskstats SILENT, 0 rec, 0 lost$/m);
    expect(silent).toMatch(/^ {2}the canary's exit produced no record$/m);
    expect(silent).toMatch(/^ {2}Fix: run cntop as root$/m);
    expect(silent).toMatch(/^Health +HEALTHY$/m);
    const off = text(
      data(
        {},
        {
          ...base,
          taskstats: { status: 'off', records: 0, lost: 0, cause: 'this kernel has no taskstats', fix: null },
        },
      ),
    );
    expect(off).toMatch(/^Taskstats OFF$/m);
    expect(off).toMatch(/^ {2}this kernel has no taskstats$/m);
  });

  it('shows the Taskstats row from the engine status before the health logic reports', () => {
    const on = text(data({ accounting: { state: 'on', cause: null, records: 5, overruns: 0, malformed: 0 } }));
    expect(on).toMatch(/^Taskstats ok, 5 rec, 0 lost$/m);
    const off = text(
      data({
        accounting: {
          state: 'off',
          cause: 'the kernel refused taskstats (send: EPERM); run cntop as root',
          records: 0,
          overruns: 0,
          malformed: 0,
        },
      }),
    );
    expect(off).toMatch(/^Taskstats OFF$/m);
    expect(off).toContain('the kernel refused taskstats');
  });

  it('draws sparklines scaled to their maximum, in block or ASCII glyphs, never braille', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5, UNICODE_GLYPHS)).toBe(' ▂▃▅█');
    expect(sparkline([0, 1, 2, 4, 8], 5, ASCII_GLYPHS)).toBe(' .:=#');
    expect(sparkline([3], 4, UNICODE_GLYPHS)).toBe('   █');
    expect(sparkline([1, 2, 3], 8, UNICODE_GLYPHS)).not.toMatch(/[\u2800-\u28ff]/);
  });

  it('wraps long reasons to the panel width', () => {
    const lines = wrap('one two three four five six seven', 10);
    expect(lines.every((l) => l.length <= 10)).toBe(true);
    expect(lines.join(' ')).toBe('one two three four five six seven');
  });
});
