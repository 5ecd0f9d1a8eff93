// Unit tests for the history view's pure part: the series it charts, the chart grid, when braille is
// trusted, the axis maxima, and the sparkline fallback that says why there are no line charts.
import { describe, expect, it } from 'vitest';
import { Canvas } from '../../../src/ui/canvas.js';
import { ASCII_GLYPHS } from '../../../src/ui/glyphs.js';
import { MeterHistory, RateHistory } from '../../../src/ui/history.js';
import {
  brailleAllowed,
  chartGrid,
  drawHistoryView,
  historySeries,
  niceCeiling,
} from '../../../src/ui/history-view.js';
import { FakeEngine } from '../../helpers/fake-engine.js';

function histories(samples: number): { rates: RateHistory; meters: MeterHistory } {
  const engine = new FakeEngine();
  const rates = new RateHistory(120);
  const meters = new MeterHistory(120);
  for (let i = 0; i < samples; i++) {
    rates.push({ ...engine.status.eventRates, fork: 10 * i, exec: i, exit: 10 * i, comm: 1 });
    meters.push({ ...engine.system, cpuPercentTotal: i, memUsedBytes: engine.system.memTotalBytes / 4 });
  }
  return { rates, meters };
}

describe('history view', () => {
  it('charts fork, exec, exit, all events, CPU% and memory %', () => {
    const { rates, meters } = histories(3);
    const series = historySeries(rates, meters);
    expect(series.map((s) => s.id)).toEqual(['fork', 'exec', 'exit', 'all', 'cpu', 'mem']);
    expect(series.find((s) => s.id === 'all')?.values).toEqual([1, 22, 43]);
    expect(series.find((s) => s.id === 'mem')?.values).toEqual([25, 25, 25]);
  });

  it('keeps at most its capacity of samples', () => {
    const { rates, meters } = histories(130);
    expect(rates.of('fork')).toHaveLength(120);
    expect(meters.cpuPercent).toHaveLength(120);
    expect(meters.cpuPercent[119]).toBe(129);
  });

  it('trusts braille only on a Unicode terminal that is not a console or VT', () => {
    expect(brailleAllowed('xterm-256color', false)).toBe(true);
    expect(brailleAllowed('tmux-256color', false)).toBe(true);
    expect(brailleAllowed('xterm-256color', true)).toBe(false);
    expect(brailleAllowed('linux', false)).toBe(false);
    expect(brailleAllowed('vt100', false)).toBe(false);
  });

  it('rounds axis maxima up to 1, 2 or 5 times a power of ten, never to zero', () => {
    expect([0, 0.5, 9, 10, 95, 692, 1729, 45_000].map(niceCeiling)).toEqual([1, 1, 10, 20, 200, 1000, 2000, 50_000]);
  });

  it('lays six charts out in two columns, three on wide terminals, inside the area', () => {
    const two = chartGrid({ x: 0, y: 5, width: 100, height: 24 }, 6);
    expect(two.map((r) => [r.x, r.y])).toEqual([
      [0, 5],
      [50, 5],
      [0, 13],
      [50, 13],
      [0, 21],
      [50, 21],
    ]);
    const three = chartGrid({ x: 0, y: 0, width: 200, height: 40 }, 6);
    expect(three.filter((r) => r.y === 0)).toHaveLength(3);
  });

  it('returns line charts (x labels ending at "now") when braille is allowed', () => {
    const { rates, meters } = histories(5);
    const charts = drawHistoryView(
      new Canvas(100, 30),
      { x: 0, y: 5, width: 100, height: 24 },
      historySeries(rates, meters),
      true,
      ASCII_GLYPHS,
    );
    expect(charts).toHaveLength(6);
    expect(charts[0]?.xLabels).toEqual(['-4s', '-3s', '-2s', '-1s', 'now']);
    expect(charts[0]?.title).toBe('fork/s: now 40.0, max 40.0');
    expect(charts.find((c) => c.id === 'cpu')?.maxY).toBe(100);
  });

  it('hands the charts only finite values within their axis (a NaN would hang the braille line drawing)', () => {
    const { rates, meters } = histories(3);
    const series = historySeries(rates, meters).map((s) => ({
      ...s,
      values: [Number.NaN, s.percent ? 140 : -5, Infinity],
    }));
    const charts = drawHistoryView(
      new Canvas(100, 30),
      { x: 0, y: 5, width: 100, height: 24 },
      series,
      true,
      ASCII_GLYPHS,
    );
    expect(charts.find((c) => c.id === 'fork')?.values).toEqual([0, 0, 0]);
    expect(charts.find((c) => c.id === 'cpu')?.values).toEqual([0, 100, 0]);
  });

  it('draws sparklines instead, and says why, without braille, before two samples, or when too small', () => {
    const cases: Array<[boolean, number, number, string]> = [
      [false, 5, 30, 'no braille on this terminal'],
      [true, 1, 30, 'line charts start after two samples'],
      [true, 5, 14, 'terminal too small for line charts'],
    ];
    for (const [braille, samples, height, why] of cases) {
      const { rates, meters } = histories(samples);
      const canvas = new Canvas(100, height);
      const charts = drawHistoryView(
        canvas,
        { x: 0, y: 0, width: 100, height },
        historySeries(rates, meters),
        braille,
        ASCII_GLYPHS,
      );
      expect(charts).toEqual([]);
      expect(canvas.text()).toContain(why);
      expect(canvas.text()).toMatch(/fork\/s +now [\d.]+ max/);
    }
  });
});
