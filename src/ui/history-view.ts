// The history view (key g): the last two minutes of events/s by kind, total CPU% and memory%. Decides
// the chart grid and each chart's data for blessed-contrib's line charts (drawn by the terminal), or,
// where braille cannot be shown, draws honest ASCII sparklines instead and says so. Pure.
import type { Canvas, Rect } from './canvas.js';
import type { Glyphs } from './glyphs.js';
import { sparkline } from './glyphs.js';
import type { MeterHistory, RateHistory } from './history.js';
import { PROC_EVENT_KINDS } from '../core/types.js';

/** Seconds of history kept and charted (one sample per second). */
export const HISTORY_SECONDS = 120;

export type ChartColor = 'yellow' | 'cyan' | 'red' | 'green' | 'magenta' | 'white';

export interface HistorySeries {
  readonly id: string;
  readonly title: string;
  readonly values: readonly number[];
  /** Percentages are charted on a fixed 0-100 axis; rates on an axis that fits their maximum. */
  readonly percent: boolean;
  readonly color: ChartColor;
}

/** One blessed-contrib line chart: where it goes and what it shows. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly rect: Rect;
  readonly values: readonly number[];
  readonly xLabels: readonly string[];
  readonly maxY: number;
  readonly numYLabels: number;
  /** Columns left of the y axis, in braille pixels (two per cell): room for the widest y label. */
  readonly yLabelPixels: number;
  readonly color: ChartColor;
}

/** A line chart below this size has no room for its axes and a line between them. */
const MIN_CHART_WIDTH = 24;
const MIN_CHART_HEIGHT = 7;

export function historySeries(rates: RateHistory, meters: MeterHistory): HistorySeries[] {
  const all = rates.of('fork').map((_, i) => PROC_EVENT_KINDS.reduce((sum, kind) => sum + (rates.of(kind)[i] ?? 0), 0));
  return [
    { id: 'fork', title: 'fork/s', values: rates.of('fork'), percent: false, color: 'green' },
    { id: 'exec', title: 'exec/s', values: rates.of('exec'), percent: false, color: 'yellow' },
    { id: 'exit', title: 'exit/s', values: rates.of('exit'), percent: false, color: 'red' },
    { id: 'all', title: 'all events/s', values: all, percent: false, color: 'white' },
    { id: 'cpu', title: 'CPU% (all cores)', values: meters.cpuPercent, percent: true, color: 'cyan' },
    { id: 'mem', title: 'memory used %', values: meters.memPercent, percent: true, color: 'magenta' },
  ];
}

/**
 * Whether the terminal can be trusted with braille (what contrib.line draws with): not with --ascii or a
 * non-UTF-8 locale, and not on the Linux console or a VT, whose fonts have no braille cells.
 */
export function brailleAllowed(term: string | undefined, ascii: boolean): boolean {
  return !ascii && !/^(linux|vt\d+|cons\d+|dumb)/.test(term ?? '');
}

/** The cells of a grid of `count` charts inside `area`: three columns on wide terminals, else two. */
export function chartGrid(area: Rect, count: number): Rect[] {
  const columns = area.width >= 180 ? 3 : area.width >= 2 * MIN_CHART_WIDTH ? 2 : 1;
  const rows = Math.ceil(count / columns);
  const width = Math.floor(area.width / columns);
  const height = Math.floor(area.height / rows);
  return Array.from({ length: count }, (_, i) => ({
    x: area.x + (i % columns) * width,
    y: area.y + Math.floor(i / columns) * height,
    width,
    height,
  }));
}

/**
 * Draws the view's text into `area` (title line; sparklines when no line charts) and returns the line
 * charts for the terminal to draw over it. Line charts need braille, two samples and room for axes.
 */
export function drawHistoryView(
  canvas: Canvas,
  area: Rect,
  series: readonly HistorySeries[],
  braille: boolean,
  glyphs: Glyphs,
): ChartSpec[] {
  canvas.fill(area, 'text');
  const samples = series[0]?.values.length ?? 0;
  const body: Rect = { x: area.x, y: area.y + 1, width: area.width, height: Math.max(0, area.height - 1) };
  const cells = chartGrid(body, series.length);
  const roomy = cells.every((c) => c.width >= MIN_CHART_WIDTH && c.height >= MIN_CHART_HEIGHT);
  const title = `History: last ${HISTORY_SECONDS} s, one sample per second (${samples} so far); g closes`;
  if (braille && roomy && samples >= 2) {
    canvas.write(area.x + 1, area.y, title, 'title', area.width - 1);
    return series.map((s, i) => chartSpec(s, cells[i] as Rect));
  }
  const why = !braille
    ? 'no braille on this terminal: sparklines, not line charts (--ascii, non-UTF-8 locale, TERM=linux/vt*)'
    : !roomy
      ? 'terminal too small for line charts: sparklines'
      : 'line charts start after two samples';
  canvas.write(area.x + 1, area.y, title, 'title', area.width - 1);
  canvas.write(area.x + 1, body.y, why, 'warn', area.width - 1);
  drawSparklines(canvas, body, series, glyphs);
  return [];
}

function drawSparklines(canvas: Canvas, area: Rect, series: readonly HistorySeries[], glyphs: Glyphs): void {
  const labelWidth = 40;
  const sparkWidth = Math.max(0, area.width - labelWidth - 2);
  series.forEach((s, i) => {
    const y = area.y + 1 + 2 * i;
    if (y >= area.y + area.height) return;
    const now = s.values[s.values.length - 1] ?? 0;
    const max = Math.max(0, ...s.values);
    const unit = s.percent ? '%' : '';
    const label = `${s.title.padEnd(16)} now ${formatValue(now)}${unit} max ${formatValue(max)}${unit}`;
    canvas.write(area.x + 1, y, label, 'label', labelWidth);
    canvas.write(area.x + 1 + labelWidth, y, sparkline(s.values, sparkWidth, glyphs), 'spark', sparkWidth);
  });
}

function chartSpec(s: HistorySeries, rect: Rect): ChartSpec {
  // drawille's line routine never ends on a NaN coordinate: only finite, in-range values reach it.
  const values = s.values.map((v) => (Number.isFinite(v) && v > 0 ? (s.percent ? Math.min(100, v) : v) : 0));
  const n = values.length;
  const max = Math.max(0, ...values);
  const unit = s.percent ? '%' : '';
  const maxY = s.percent ? 100 : niceCeiling(max);
  // The plot area is about (height - 5) rows; at most one label per row, or they overwrite each other.
  const numYLabels = yLabelCount(rect.height - 5);
  return {
    id: s.id,
    title: `${s.title}: now ${formatValue(values[n - 1] ?? 0)}${unit}, max ${formatValue(max)}${unit}`,
    rect,
    values,
    // The newest sample is "now"; older ones are labelled by how many seconds ago they were taken.
    xLabels: values.map((_, i) => (i === n - 1 ? 'now' : `-${n - 1 - i}s`)),
    // An explicit, never-zero maximum: with a flat zero series contrib.line would divide by zero.
    maxY,
    numYLabels,
    // contrib.line prints labels below 1 with two decimals ("0.80"); otherwise maxY is the widest.
    yLabelPixels: 2 * (maxY / numYLabels < 1 ? 4 : String(maxY).length) + 2,
    color: s.color,
  };
}

/** 5, 4, 2 or 1 labels: each divides a 1, 2 or 5 times 10^k maximum into round steps. */
function yLabelCount(rows: number): number {
  return [5, 4, 2].find((n) => n <= rows) ?? 1;
}

/** The smallest 1, 2 or 5 times a power of ten that leaves a tenth of headroom above `max` (at least 1). */
export function niceCeiling(max: number): number {
  const target = Math.max(1, max * 1.1);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

function formatValue(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(0)}k`;
  if (v >= 100) return v.toFixed(0);
  return v.toFixed(1);
}
