import { describe, expect, it } from 'vitest';
import { defaultReadingPath, defaultRecordingPath } from '../../../src/record/default-path.js';
import { parseDuration, parseInstant, parseSize } from '../../../src/record/units.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['0.5h', 1_800_000],
    ['250ms', 250],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toEqual({ ok: true, value: ms }));

  it.each(['30', 'h', '1x', '-1h', '', '0s'])('refuses %j', (text) => expect(parseDuration(text).ok).toBe(false));
});

describe('parseSize', () => {
  it.each([
    ['500M', 500 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['100MB', 100 * 1024 ** 2],
    ['65536', 65_536],
    ['64k', 65_536],
  ])('reads %s', (text, bytes) => expect(parseSize(text)).toEqual({ ok: true, value: bytes }));

  it.each(['1K', 'lots', '2X', '-5M'])('refuses %j', (text) => expect(parseSize(text).ok).toBe(false));
});

describe('parseInstant', () => {
  const now = new Date(2026, 11, 6, 14, 30, 0, 0).getTime();

  it('reads relative times, epoch seconds and ms, and now', () => {
    expect(parseInstant('-5m', now)).toEqual({ ok: true, value: now - 300_000 });
    expect(parseInstant('2h ago', now)).toEqual({ ok: true, value: now - 7_200_000 });
    expect(parseInstant('@1733456000', now)).toEqual({ ok: true, value: 1_733_456_000_000 });
    expect(parseInstant('@1733456000123', now)).toEqual({ ok: true, value: 1_733_456_000_123 });
    expect(parseInstant('now', now)).toEqual({ ok: true, value: now });
  });

  it('reads a time of day as today, or yesterday when it is still to come', () => {
    expect(parseInstant('03:12', now)).toEqual({ ok: true, value: new Date(2026, 11, 6, 3, 12).getTime() });
    expect(parseInstant('14:29:59.5', now)).toEqual({
      ok: true,
      value: new Date(2026, 11, 6, 14, 29, 59, 500).getTime(),
    });
    expect(parseInstant('23:00', now)).toEqual({ ok: true, value: new Date(2026, 11, 5, 23, 0).getTime() });
  });

  it('reads ISO dates in local time unless a zone is given', () => {
    expect(parseInstant('2026-12-06T03:12', now)).toEqual({ ok: true, value: new Date(2026, 11, 6, 3, 12).getTime() });
    expect(parseInstant('2026-12-06 03:12:05.250', now)).toEqual({
      ok: true,
      value: new Date(2026, 11, 6, 3, 12, 5, 250).getTime(),
    });
    expect(parseInstant('2026-12-06T03:12:00Z', now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 6, 3, 12) });
    expect(parseInstant('2026-12-06T03:12:00+0100', now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 6, 2, 12) });
  });

  it.each(['yesterday', '25:00', '3:7', '@', '2026-13-40x'])('refuses %j', (text) =>
    expect(parseInstant(text, now).ok).toBe(false),
  );
});

describe('the default recording', () => {
  it('is under systemd state directory, else XDG_STATE_HOME, else ~/.local/state', () => {
    expect(defaultRecordingPath({ STATE_DIRECTORY: '/var/lib/cntop' }, '/root')).toBe('/var/lib/cntop/cntop.db');
    expect(defaultRecordingPath({ XDG_STATE_HOME: '/home/a/state' }, '/home/a')).toBe('/home/a/state/cntop/cntop.db');
    expect(defaultRecordingPath({ XDG_STATE_HOME: 'relative' }, '/home/a')).toBe('/home/a/.local/state/cntop/cntop.db');
    expect(defaultRecordingPath({}, '/home/a')).toBe('/home/a/.local/state/cntop/cntop.db');
  });

  it("is read from the system service's file when the user has none", () => {
    expect(defaultReadingPath({}, '/root', (p) => p === '/var/lib/cntop/cntop.db')).toBe('/var/lib/cntop/cntop.db');
    expect(defaultReadingPath({}, '/root', () => true)).toBe('/root/.local/state/cntop/cntop.db');
  });
});
