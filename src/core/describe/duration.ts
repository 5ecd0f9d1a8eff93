// Durations and times of day as cntop prints them everywhere (cntop events, the viewer's panes, the
// doctor), so the same lifetime reads the same in each: "0.42ms", "812ms", "1.234s", "2m03s", "5h07m", "3d04h".

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${pad2(totalSeconds % 60)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 24 * 60) return `${Math.floor(totalMinutes / 60)}h${pad2(totalMinutes % 60)}m`;
  const totalHours = Math.floor(totalMinutes / 60);
  return `${Math.floor(totalHours / 24)}d${pad2(totalHours % 24)}h`;
}

// A Date and four paddings per event were a visible cost in a storm; events come in time order, so
// the text of the current second is kept and only the milliseconds are appended (local time zone
// offsets are whole seconds, so a second never straddles two of them).
let clockSecond = Number.NaN;
let clockPrefix = '';
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));

/** Local wall-clock time of day with milliseconds: "17:45:01.123". */
export function formatClock(wallMs: number): string {
  const whole = Math.trunc(wallMs); // as Date does with a fractional time
  const second = Math.floor(whole / 1000);
  if (second !== clockSecond) {
    const d = new Date(second * 1000);
    clockPrefix = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
    clockSecond = second;
  }
  return `${clockPrefix}${MILLIS[whole - second * 1000] ?? 'NaN'}`;
}
