// The few non-ASCII glyphs the UI draws, with their ASCII stand-ins for --ascii and non-UTF-8 locales.
// Block elements only: braille, which many fonts and the Linux console lack, appears only in the
// history view's line charts, and only where brailleAllowed() trusts the terminal with it.

export interface Glyphs {
  readonly branch: string; // a child that has later siblings
  readonly lastBranch: string; // the last child
  readonly vertical: string; // an ancestor's line continuing past this row
  readonly blank: string;
  /** Sparkline levels, lowest first. */
  readonly spark: readonly string[];
  readonly ellipsis: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  branch: '├─',
  lastBranch: '└─',
  vertical: '│ ',
  blank: '  ',
  spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  ellipsis: '…',
};

export const ASCII_GLYPHS: Glyphs = {
  branch: '|-',
  lastBranch: '`-',
  vertical: '| ',
  blank: '  ',
  spark: ['_', '.', ':', '-', '=', '+', '*', '#'],
  ellipsis: '~',
};

/** Whether the locale promises UTF-8 output (LC_ALL beats LC_CTYPE beats LANG, as setlocale does). */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
  return /utf-?8/i.test(locale);
}

/** A sparkline of `width` cells from the newest `width` values, scaled to their own maximum. */
export function sparkline(values: readonly number[], width: number, glyphs: Glyphs): string {
  const recent = values.slice(-width);
  const max = Math.max(0, ...recent);
  const levels = glyphs.spark.length;
  const cells = recent.map((v) => {
    if (max <= 0 || v <= 0) return ' ';
    return glyphs.spark[Math.min(levels - 1, Math.floor((v / max) * (levels - 1) + 0.5))] ?? ' ';
  });
  return cells.join('').padStart(width);
}
