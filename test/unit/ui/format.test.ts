import { describe, expect, it } from 'vitest';
import {
  fitLeft,
  fitRight,
  formatAge,
  formatBytes,
  formatDuration,
  formatPercent,
  formatTimePlus,
  formatUptime,
  toCellText,
} from '../../../src/ui/format.js';

describe('format', () => {
  it.each([
    [0, '0K'],
    [812 * 1024, '812K'],
    [9_999 * 1024, '9999K'],
    [10_000 * 1024, '9.77M'],
    [10 * 2 ** 20, '10.0M'],
    [300 * 2 ** 20, '300M'],
    [3 * 2 ** 30, '3.00G'],
    [1.5 * 2 ** 40, '1.50T'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('prints TIME+ as htop does, with hours past sixty minutes', () => {
    expect(formatTimePlus(1234)).toBe('0:01.23');
    expect(formatTimePlus(61_000)).toBe('1:01.00');
    expect(formatTimePlus(59 * 60_000 + 59_990)).toBe('59:59.99');
    expect(formatTimePlus(3 * 3_600_000 + 25 * 60_000 + 7_000)).toBe('3h25:07');
  });

  it('keeps ages within five cells from milliseconds to weeks', () => {
    const cases: Array<[number, string]> = [
      [400, '0.4s'],
      [42_000, '42s'],
      [725_000, '12m05'],
      [3 * 3_600_000 + 300_000, '3h05m'],
      [3 * 86_400_000 + 4 * 3_600_000, '3d04h'],
      [12 * 86_400_000 + 3 * 3_600_000, '12d'],
    ];
    for (const [ms, text] of cases) {
      expect(formatAge(ms)).toBe(text);
      expect(text.length).toBeLessThanOrEqual(5);
    }
  });

  it('shows durations as cntop events does (one formatter): short-lived processes in milliseconds', () => {
    expect(formatDuration(0.35)).toBe('0.35ms');
    expect(formatDuration(2)).toBe('2.00ms');
    expect(formatDuration(1300)).toBe('1.300s');
    expect(formatDuration(247_000)).toBe('4m07s');
  });

  it('formats uptime and percentages', () => {
    expect(formatUptime(3_723_000)).toBe('01:02:03');
    expect(formatUptime(86_400_000 + 5_000)).toBe('1 day, 00:00:05');
    expect(formatPercent(12.34)).toBe('12.3');
    expect(formatPercent(1234.5)).toBe('1235');
  });

  it('pads and cuts to exact widths', () => {
    expect(fitLeft('abc', 5)).toBe('abc  ');
    expect(fitLeft('abcdef', 3)).toBe('abc');
    expect(fitRight('42', 4)).toBe('  42');
    expect(fitRight('123456', 4)).toBe('123+');
  });

  it('turns escape sequences, wide characters and (in ASCII mode) all non-ASCII into single safe cells', () => {
    expect(toCellText('evil\x1b]0;owned\x07name', false)).toBe('evil?]0;owned?name');
    expect(toCellText('a\u009b31mb', false)).toBe('a?31mb');
    expect(toCellText('日本', false)).toBe('??');
    expect(toCellText('café', false)).toBe('café');
    expect(toCellText('café', true)).toBe('caf?');
    expect(toCellText('e\u0301', false)).toBe('e?');
  });
});
