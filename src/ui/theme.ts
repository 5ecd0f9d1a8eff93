// Style names → blessed cell attributes, in colour or (NO_COLOR, --no-color) with bold, underline and
// inverse only. Colours stay within the 8 ANSI colours so that linux and vt100 consoles show them.
import type { StyleName } from './canvas.js';

// blessed packs a cell's attribute as flags << 18 | fg << 9 | bg, with 0x1ff meaning "default colour".
const DEFAULT = 0x1ff;
const BOLD = 1;
const UNDERLINE = 2;
const INVERSE = 8;

function attr(flags: number, fg: number = DEFAULT, bg: number = DEFAULT): number {
  return (flags << 18) | (fg << 9) | bg;
}

const [BLACK, RED, GREEN, YELLOW, BLUE, , CYAN, WHITE] = [0, 1, 2, 3, 4, 5, 6, 7];

const COLOUR: Readonly<Record<StyleName, number>> = {
  text: attr(0),
  dim: attr(0, BLUE),
  label: attr(0, CYAN),
  value: attr(BOLD),
  columnHeader: attr(0, BLACK, GREEN),
  sortColumn: attr(0, BLACK, CYAN),
  selected: attr(0, BLACK, CYAN),
  menuSelected: attr(0, BLACK, YELLOW),
  tagged: attr(BOLD, YELLOW),
  new: attr(0, BLACK, GREEN),
  exited: attr(0, WHITE, RED),
  kernel: attr(0, BLUE),
  // htop draws thread rows in green too.
  thread: attr(0, GREEN),
  good: attr(0, GREEN),
  warn: attr(0, YELLOW),
  bad: attr(BOLD, RED),
  meterLow: attr(0, GREEN),
  meterMid: attr(0, YELLOW),
  meterHigh: attr(0, RED),
  spark: attr(0, CYAN),
  fkey: attr(BOLD),
  fkeyLabel: attr(0, BLACK, CYAN),
  input: attr(0, BLACK, YELLOW),
  border: attr(0, BLUE),
  title: attr(BOLD),
  tab: attr(0, CYAN),
  tabActive: attr(BOLD, BLACK, GREEN),
};

const MONO: Readonly<Record<StyleName, number>> = {
  text: attr(0),
  dim: attr(0),
  label: attr(0),
  value: attr(BOLD),
  columnHeader: attr(INVERSE),
  sortColumn: attr(INVERSE | BOLD),
  selected: attr(INVERSE),
  menuSelected: attr(INVERSE | BOLD),
  tagged: attr(BOLD | UNDERLINE),
  new: attr(BOLD),
  exited: attr(UNDERLINE),
  kernel: attr(0),
  thread: attr(0),
  good: attr(0),
  warn: attr(BOLD),
  bad: attr(BOLD),
  meterLow: attr(0),
  meterMid: attr(0),
  meterHigh: attr(BOLD),
  spark: attr(0),
  fkey: attr(BOLD),
  fkeyLabel: attr(INVERSE),
  input: attr(INVERSE),
  border: attr(0),
  title: attr(BOLD),
  tab: attr(0),
  tabActive: attr(INVERSE | BOLD),
};

export function themeAttrs(color: boolean): Readonly<Record<StyleName, number>> {
  return color ? COLOUR : MONO;
}

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function colorAllowed(env: NodeJS.ProcessEnv, flag: boolean): boolean {
  return flag && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
}
