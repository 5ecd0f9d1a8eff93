// Prints `cntop report exits`: the window and its coverage, one row per command (the Exited tab's
// by-command figures), the crash loops and the latest failures; or the same as one JSON document.
import { describeExitStatus } from '../core/exit-status.js';
import { formatDuration } from '../core/describe/duration.js';
import { formatCommandLine, sanitizeForTerminal } from '../core/text/sanitize.js';
import type { ExitReport } from '../record/exit-report.js';
import type { CoverageRow } from '../record/recording-reader.js';
import { formatInstant } from '../record/units.js';
import { stringifySafe } from './json-safe.js';

function coverageText(rows: readonly CoverageRow[], sinceMs: number, untilMs: number): string {
  const span = untilMs - sinceMs;
  let covered = 0;
  const gaps: string[] = [];
  for (const row of rows) {
    const from = Math.max(sinceMs, row.startMs);
    const to = Math.min(untilMs, row.endMs);
    if (to <= from) continue;
    if (row.state === 'healthy') covered += to - from;
    else
      gaps.push(
        `${row.state} ${formatDuration(to - from)} from ${formatInstant(from)}${row.cause === null ? '' : ` (${sanitizeForTerminal(row.cause)})`}`,
      );
  }
  const unrecorded =
    span - rows.reduce((sum, r) => sum + Math.max(0, Math.min(untilMs, r.endMs) - Math.max(sinceMs, r.startMs)), 0);
  const parts = [`${((covered / Math.max(1, span)) * 100).toFixed(1)}% healthy`];
  if (unrecorded > 1000) parts.push(`not recorded ${formatDuration(unrecorded)}`);
  return [
    parts.join(', '),
    ...gaps.slice(0, 5).map((g) => `  ${g}`),
    ...(gaps.length > 5 ? [`  … ${gaps.length - 5} more`] : []),
  ].join('\n');
}

function cpuSeconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

export function formatExitReportText(report: ExitReport): string {
  const lines: string[] = [];
  lines.push(
    `Exits from ${formatInstant(report.sinceMs)} to ${formatInstant(report.untilMs)} (${formatDuration(report.untilMs - report.sinceMs)}): ${report.exits} exited, ${report.failures} failed`,
  );
  lines.push(`Coverage: ${coverageText(report.coverage, report.sinceMs, report.untilMs)}`);
  lines.push('');
  lines.push(
    `${'COUNT'.padStart(7)} ${'FAILED'.padStart(7)} ${'CPU s'.padStart(9)} ${'NO CPU'.padStart(7)} ${'PEAK MiB'.padStart(9)} COMMAND`,
  );
  for (const row of report.byCommand) {
    lines.push(
      `${String(row.count).padStart(7)} ${String(row.failures).padStart(7)} ${cpuSeconds(row.cpuMs).padStart(9)} ${String(row.withoutCpu).padStart(7)} ${(row.peakRssKiB / 1024).toFixed(1).padStart(9)} ${sanitizeForTerminal(row.command)}`,
    );
  }
  if (report.byCommand.length === 0) lines.push('  (no exits in this window)');
  if (report.crashLoops.length > 0) {
    lines.push('', 'Crash loops (3 or more failures, at least half of the runs):');
    for (const loop of report.crashLoops) {
      const lived = loop.medianLifetimeMs === null ? '' : `, lived ${formatDuration(loop.medianLifetimeMs)} (median)`;
      lines.push(
        `  ${sanitizeForTerminal(loop.command)}: ${loop.failures} of ${loop.runs} runs failed, ${loop.failuresPerMinute.toFixed(1)}/min, last ${describeExitStatus(loop.lastStatus)} at ${formatInstant(loop.lastExitMs)}${lived}; parent${loop.parents.length > 1 ? 's' : ''} ${loop.parents.join(', ')}`,
      );
    }
  }
  if (report.recentFailures.length > 0) {
    lines.push('', 'Latest failures:');
    for (const e of report.recentFailures) {
      const command =
        e.cmdline !== null && e.cmdline.length > 0 ? formatCommandLine(e.cmdline) : `[${sanitizeForTerminal(e.comm)}]`;
      lines.push(
        `  ${formatInstant(e.exitMs)} ${String(e.pid).padStart(7)} ${describeExitStatus(e.status).padEnd(14)} ${command}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function formatExitReportJson(report: ExitReport): string {
  return `${stringifySafe({
    since: new Date(report.sinceMs).toISOString(),
    until: new Date(report.untilMs).toISOString(),
    sinceMs: report.sinceMs,
    untilMs: report.untilMs,
    bucketMs: report.bucketMs,
    exits: report.exits,
    failures: report.failures,
    byCommand: report.byCommand,
    crashLoops: report.crashLoops,
    recentFailures: report.recentFailures.map((e) => ({
      pid: e.pid,
      ppid: e.ppid,
      comm: e.comm,
      cmdline: e.cmdline,
      user: e.user,
      status: e.status,
      exitMs: e.exitMs,
      lifetimeMs: e.lifetimeMs,
      cpuMs: e.accounting?.cpuMs ?? null,
    })),
    coverage: report.coverage,
  })}\n`;
}
