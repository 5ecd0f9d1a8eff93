// The connector panel: where events come from (live netlink or polling, and why), the LISTEN ack and
// its latency, events per second by kind as sparklines, totals, loss, resyncs, time since the last
// event, the health verdict when the health logic provides one, and the Taskstats row (the per-exit
// accounting beside the connector: its own verdict, records, lost). Displays; never diagnoses.
import type { EngineStatus } from '../../core/engine-api.js';
import type { HealthReport, TaskstatsReport } from '../../core/health/health-types.js';
import { PROC_EVENT_KINDS } from '../../core/types.js';
import { drawBox, type Canvas, type Rect, type Segment, type StyleName } from '../canvas.js';
import { formatBytes, formatDuration, toCellText } from '../format.js';
import { sparkline, type Glyphs } from '../glyphs.js';
import type { RateHistory } from '../history.js';

export interface PanelData {
  readonly status: EngineStatus;
  readonly health: HealthReport | null;
  readonly rates: RateHistory;
  readonly nowMs: number;
  readonly glyphs: Glyphs;
  readonly ascii: boolean;
}

export const PANEL_WIDTH = 40;

export function drawConnectorPanel(canvas: Canvas, rect: Rect, data: PanelData): void {
  const inner = drawBox(canvas, rect, 'Connector', data.ascii);
  const lines = panelLines(data, inner.width);
  lines
    .slice(0, inner.height)
    .forEach((segments, i) => canvas.writeSegments(inner.x, inner.y + i, segments, inner.width));
}

const kv = (key: string, value: string, style: StyleName = 'value'): Segment[] => [
  { text: key.padEnd(9), style: 'label' },
  { text: value, style },
];

export function panelLines(data: PanelData, width: number): Segment[][] {
  const { status, nowMs } = data;
  const lines: Segment[][] = [];
  if (status.mode === 'netlink') lines.push(kv('Mode', 'live netlink', 'good'));
  else {
    lines.push(kv('Mode', 'POLLING /proc', 'bad'));
    for (const part of wrap(status.pollingReason ?? 'reason unknown', width - 2))
      lines.push([{ text: `  ${part}`, style: 'warn' }]);
  }
  lines.push(kv('LISTEN', ackText(status), status.start?.ack?.err === 0 ? 'good' : 'warn'));
  if (data.health !== null) lines.push(...healthLines(data.health, width));
  lines.push(...taskstatsLines(data.health?.taskstats ?? taskstatsFromStatus(status), width));
  const last = status.connector?.lastEventMs ?? null;
  lines.push(kv('Last evt', last === null ? 'none yet' : `${formatDuration(Math.max(0, nowMs - last))} ago`));
  lines.push([{ text: 'Events/s, last 60 s        now   total', style: 'title' }]);
  const sparkWidth = Math.max(4, width - 9 - 14);
  for (const kind of PROC_EVENT_KINDS) {
    const series = data.rates.of(kind);
    const total = status.connector?.eventsByKind[kind] ?? 0;
    lines.push([
      { text: kind.padEnd(9), style: 'label' },
      { text: sparkline(series, sparkWidth, data.glyphs), style: 'spark' },
      { text: String(Math.round(status.eventRates[kind])).padStart(6), style: 'value' },
      { text: compactCount(total).padStart(8), style: 'dim' },
    ]);
  }
  const c = status.connector;
  const lost = c === null ? 'n/a' : `${c.overruns} ENOBUFS, ${c.seqGapMessages} seq gaps`;
  lines.push(kv('Drops', lost, c !== null && c.overruns + c.seqGapMessages > 0 ? 'bad' : 'value'));
  lines.push(
    kv(
      'Resyncs',
      `${status.resyncs}${status.lastResyncMs === null ? '' : `, last ${formatDuration(nowMs - status.lastResyncMs)} ago`}`,
    ),
  );
  lines.push(
    kv(
      'Missed',
      `${status.missedForks} forks, ${status.missedExits} exits`,
      status.missedForks + status.missedExits > 0 ? 'warn' : 'value',
    ),
  );
  if (status.start !== null)
    lines.push(
      kv('rcvbuf', `${formatBytes(status.start.rcvbufBytes)}${status.start.rcvbufForced ? ' (forced)' : ''}`, 'dim'),
    );
  return lines;
}

function ackText(status: EngineStatus): string {
  if (status.start === null) return 'not subscribed';
  const ack = status.start.ack;
  if (ack === null) return 'NO ACK (kernel silent)';
  if (ack.err !== 0) return `refused, err ${ack.err}`;
  return `ack in ${ack.latencyMs.toFixed(2)} ms`;
}

function healthLines(h: HealthReport, width: number): Segment[][] {
  const style: StyleName = h.status === 'healthy' ? 'good' : h.status === 'degraded' ? 'warn' : 'bad';
  const lines: Segment[][] = [kv('Health', h.status.toUpperCase(), style)];
  if (h.canary.ok !== null)
    lines.push(
      kv(
        'Canary',
        h.canary.ok ? `ok${h.canary.latencyMs === null ? '' : ` in ${h.canary.latencyMs.toFixed(1)} ms`}` : 'FAILED',
        h.canary.ok ? 'good' : 'bad',
      ),
    );
  if (h.deficit !== null && h.deficit > 0) lines.push(kv('Deficit', `${h.deficit} (press R to repair)`, 'bad'));
  if (h.lost > 0) lines.push(kv('Lost', String(h.lost), 'bad'));
  for (const [label, text] of [
    ['Cause: ', h.cause],
    ['Fix: ', h.fix],
  ] as const) {
    if (text === null) continue;
    wrap(label + text, width).forEach((part) => lines.push([{ text: part, style: 'warn' }]));
  }
  return lines;
}

/** Without the health logic (no report yet): what the engine's status says, unjudged. */
function taskstatsFromStatus(status: EngineStatus): TaskstatsReport {
  const a = status.accounting;
  if (status.mode === 'polling')
    return { status: 'off', records: 0, lost: 0, cause: 'not started: the connector is not in use', fix: null };
  if (a.state === 'off') return { status: 'off', records: a.records, lost: a.overruns, cause: a.cause, fix: null };
  return { status: a.records > 0 ? 'ok' : 'unconfirmed', records: a.records, lost: a.overruns, cause: null, fix: null };
}

function taskstatsLines(t: TaskstatsReport, width: number): Segment[][] {
  const style: StyleName = t.status === 'ok' ? 'good' : t.status === 'silent' || t.status === 'lossy' ? 'bad' : 'warn';
  const word = t.status === 'ok' ? 'ok' : t.status.toUpperCase();
  const counts =
    t.status === 'off' && t.records === 0 ? '' : `, ${compactCount(t.records)} rec, ${compactCount(t.lost)} lost`;
  // 'Taskstats' fills the 9-column label: one space of its own keeps it apart from the value.
  const lines: Segment[][] = [
    [
      { text: 'Taskstats ', style: 'label' },
      { text: word + counts, style },
    ],
  ];
  for (const [label, text] of [
    ['', t.cause],
    ['Fix: ', t.fix],
  ] as const) {
    if (text === null) continue;
    wrap(label + text, width - 2).forEach((part) => lines.push([{ text: `  ${part}`, style: 'warn' }]));
  }
  return lines;
}

/** Word wrap to `width` columns; text here is our own, but sanitized anyway since reasons may quote paths. */
export function wrap(text: string, width: number): string[] {
  const words = toCellText(text, false)
    .split(/\s+/)
    .filter((w) => w !== '');
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = word.slice(0, width);
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word.slice(0, width);
    }
  }
  if (line !== '') out.push(line);
  return out;
}

function compactCount(n: number): string {
  if (n < 100_000) return String(n);
  if (n < 100_000_000) return `${Math.round(n / 1000)}k`;
  return `${Math.round(n / 1_000_000)}M`;
}
