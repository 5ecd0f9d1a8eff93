// The details panel (Enter on a process): full command line, parent chain, user, start, lifetime,
// state or exit status, CPU, memory and, for an exited process with a taskstats record, peak RSS and
// I/O. Pure text from the engine's view; every string from a process is sanitized before drawing.
import type { EngineView } from '../../core/engine-api.js';
import { describeExitStatus } from '../../core/exit-status.js';
import type { ExitedProcess, Pid, ProcessInfo } from '../../core/types.js';
import { drawBox, type Canvas, type Rect } from '../canvas.js';
import { formatBytes, formatClock, formatDuration, formatPercent, formatTimePlus, toCellText } from '../format.js';

export function detailsLines(
  engine: EngineView,
  pid: Pid,
  nowMs: number,
  epochNowMs: number,
  width: number,
  ascii: boolean,
  cgroup: string | null = null,
): string[] {
  const p = engine.processes.get(pid);
  const exit = engine.lastExit(pid);
  if (p === undefined && exit === undefined) return [`PID ${pid}: gone (no longer listed, not in the exited ring)`];
  const lines = linesOf(engine, pid, p, exit, nowMs, epochNowMs, width, ascii);
  if (cgroup !== null) lines.push(`Cgroup:   ${toCellText(cgroup === '' ? '(none)' : cgroup, ascii)}`);
  return lines;
}

/** One exit of the Exited list: its own entry, not whatever the pid means now (pids are reused). */
export function exitDetailsLines(
  engine: EngineView,
  exit: ExitedProcess,
  nowMs: number,
  epochNowMs: number,
  width: number,
  ascii: boolean,
): string[] {
  return linesOf(engine, exit.pid, undefined, exit, nowMs, epochNowMs, width, ascii);
}

function linesOf(
  engine: EngineView,
  pid: Pid,
  p: ProcessInfo | undefined,
  exit: ExitedProcess | undefined,
  nowMs: number,
  epochNowMs: number,
  width: number,
  ascii: boolean,
): string[] {
  const comm = p?.comm ?? exit?.comm ?? '?';
  const cmdline = p?.cmdline ?? exit?.cmdline ?? null;
  const lines: string[] = [`PID ${pid}  ${toCellText(comm, ascii)}`];
  const command = cmdline !== null && cmdline.length > 0 ? cmdline.join(' ') : `[${comm}]`;
  lines.push('Command line:');
  const text = toCellText(command, ascii);
  const room = Math.max(10, width - 2);
  for (let i = 0; i < text.length && lines.length < 12; i += room) lines.push(`  ${text.slice(i, i + room)}`);
  lines.push(`Parents:  ${parentChain(engine, p?.ppid ?? exit?.ppid ?? 0, ascii)}`);
  lines.push(`User:     ${toCellText(p?.user ?? exit?.user ?? '?', true)}`);
  const startMs = p?.startMs ?? exit?.startMs ?? null;
  if (startMs !== null)
    lines.push(
      `Started:  ${formatClock(epochNowMs - (nowMs - startMs))} (${formatDuration(Math.max(0, nowMs - startMs))} ago)`,
    );
  if (exit !== undefined && (p === undefined || p.exitMs !== null)) {
    lines.push(
      `Ended:    ${describeExitStatus(exit.status)} at ${formatClock(epochNowMs - (nowMs - exit.exitMs))}, lifetime ${exit.lifetimeMs === null ? '?' : formatDuration(exit.lifetimeMs)}`,
    );
    const a = exit.accounting;
    if (a === null) lines.push('Cost:     no taskstats record');
    else {
      lines.push(
        `CPU:      ${(a.cpuMs / 1000).toFixed(3)} s (user ${(a.userMs / 1000).toFixed(3)}, system ${(a.systemMs / 1000).toFixed(3)})`,
      );
      lines.push(`Peak RSS: ${formatBytes(a.peakRssKiB * 1024)}`);
      lines.push(
        `I/O:      read ${formatBytes(a.readBytes)}, written ${formatBytes(a.writeBytes)}; faults ${a.minorFaults} minor, ${a.majorFaults} major`,
      );
    }
  } else if (p !== undefined) {
    lines.push(
      `State:    ${p.state}, alive ${formatDuration(Math.max(0, nowMs - p.startMs))}, ${p.threads} thread${p.threads === 1 ? '' : 's'}`,
    );
    lines.push(`CPU:      ${formatPercent(p.cpuPercent)}%, TIME+ ${formatTimePlus(p.cpuTimeMs)}`);
    lines.push(
      `Memory:   RES ${formatBytes(p.rssBytes)}, VIRT ${formatBytes(p.virtBytes)} (${formatPercent(p.memPercent)}%)`,
    );
    lines.push('I/O:      counted when it exits (taskstats)');
  }
  return lines;
}

/** "1234 make <- 1200 bash <- 1 systemd", nearest parent first, at most 8. */
function parentChain(engine: EngineView, ppid: Pid, ascii: boolean): string {
  const parts: string[] = [];
  let pid = ppid;
  const seen = new Set<Pid>();
  while (pid > 0 && parts.length < 8 && !seen.has(pid)) {
    seen.add(pid);
    const p = engine.processes.get(pid);
    parts.push(`${pid} ${toCellText(p?.comm ?? '?', ascii)}`);
    if (p === undefined) break;
    pid = p.ppid;
  }
  return parts.length === 0 ? '(none)' : parts.join(ascii ? ' <- ' : ' ← ');
}

export function drawDetails(canvas: Canvas, area: Rect, lines: readonly string[], ascii: boolean): void {
  const width = Math.min(area.width, Math.max(50, ...lines.map((l) => l.length + 4)));
  const height = Math.min(area.height, lines.length + 3);
  const rect = {
    x: area.x + Math.floor((area.width - width) / 2),
    y: area.y + Math.floor((area.height - height) / 2),
    width,
    height,
  };
  const inner = drawBox(canvas, rect, 'Details (any key closes)', ascii);
  lines
    .slice(0, inner.height)
    .forEach((line, i) => canvas.write(inner.x + 1, inner.y + i, line, i === 0 ? 'title' : 'text', inner.width - 1));
}
