// The recorder's command-line values: durations (--retain 30d, --since 1h), sizes (--max-size 2G) and
// instants (--at 03:12, --at 2026-12-06T03:12:00Z, --at -5m). Pure; the caller passes "now".
import { err, ok, type Result } from '../core/types.js';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** "90s", "15m", "12h", "30d", "2w", "1h30m", "0.5h" → ms. A unit is required: "30" alone says nothing. */
export function parseDuration(text: string): Result<number, string> {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(trimmed)) {
    return err(`'${text}' is not a duration (a number and a unit: 90s, 15m, 12h, 30d, 2w, or 1h30m)`);
  }
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g))
    total += Number(match[1]) * (DURATION_UNITS[match[2] as string] as number);
  if (!(total > 0)) return err(`'${text}' is not a positive duration`);
  return ok(Math.round(total));
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "500M", "2G", "1.5GiB", "100MB", "65536" → bytes. K, M, G and T are powers of 1024, as du and ls -h count. */
export function parseSize(text: string): Result<number, string> {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$|^(\d+)\s*b$/i.exec(text.trim());
  if (match === null) return err(`'${text}' is not a size (e.g. 500M, 2G, 1.5GiB)`);
  const bytes =
    match[3] !== undefined
      ? Number(match[3])
      : Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toLowerCase()] as number);
  if (!(bytes >= 64 * 1024)) return err(`'${text}' is too small for a recording (at least 64K)`);
  return ok(Math.floor(bytes));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant, as wall-clock ms: "now"; an ISO date and time (local unless it ends in Z or an offset:
 * "2026-12-06T03:12", "2026-12-06 03:12:05.250"); a time of day, today ("03:12", "03:12:05"; if that
 * is still to come, yesterday's); "@1733456000" (Unix seconds, or ms with 13 digits); "-5m" or
 * "5m ago" (before now).
 */
export function parseInstant(text: string, nowMs: number): Result<number, string> {
  const t = text.trim();
  if (t === 'now') return ok(nowMs);
  const relative = /^-(.+)$/.exec(t) ?? /^(.+?)\s+ago$/.exec(t);
  if (relative !== null) {
    const duration = parseDuration(relative[1] as string);
    return duration.ok ? ok(nowMs - duration.value) : err(`'${text}': ${duration.error}`);
  }
  const epoch = /^@(\d+(?:\.\d+)?)$/.exec(t);
  if (epoch !== null) {
    const n = Number(epoch[1]);
    return ok(n >= 1e11 ? Math.floor(n) : Math.floor(n * 1000));
  }
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(t);
  if (clock !== null) {
    const now = new Date(nowMs);
    const at = new Date(
      now.getFullYear(),
      now.getMonth(),
      now.getDate(),
      Number(clock[1]),
      Number(clock[2]),
      Number(clock[3] ?? 0),
      Number((clock[4] ?? '0').padEnd(3, '0')),
    );
    if (Number(clock[1]) > 23 || Number(clock[2]) > 59 || Number(clock[3] ?? 0) > 59)
      return err(`'${text}' is not a time of day`);
    const ms = at.getTime();
    return ok(ms > nowMs ? ms - 86_400_000 : ms);
  }
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (iso !== null) {
    // Year, month and day are not optional in the pattern: the defaults only tell the type checker so.
    const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00', frac = '0', zone] = iso;
    if (zone === undefined) {
      const local = new Date(
        Number(y),
        Number(mo) - 1,
        Number(d),
        Number(h),
        Number(mi),
        Number(s),
        Number(frac.padEnd(3, '0')),
      );
      return Number.isNaN(local.getTime()) ? err(`'${text}' is not a date`) : ok(local.getTime());
    }
    const normalized = `${y}-${mo}-${d}T${pad(Number(h))}:${mi}:${s}.${frac.padEnd(3, '0')}${zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
    const ms = Date.parse(normalized);
    return Number.isNaN(ms) ? err(`'${text}' is not a date`) : ok(ms);
  }
  return err(`'${text}' is not a time (now, 03:12, 2026-12-06T03:12:00, @UNIXSECONDS, -5m, '5m ago')`);
}

/** "2026-12-06 03:12:05.250" in local time: how reports name instants. */
export function formatInstant(wallMs: number): string {
  const d = new Date(wallMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
