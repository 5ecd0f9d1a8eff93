// Patterns over what a program writes to a terminal. The control characters are built from their
// code points, not written into regular-expression literals: a control character in a literal is
// nearly always a mistake (ESLint's no-control-regex), here it is the point of the test.
import { codePointClass, type CodePoints } from '../../src/core/text/code-point-class.js';

/** A character class of code points and inclusive [first, last] ranges; `negated` for [^…]. */
function charClass(members: readonly CodePoints[], negated = false): RegExp {
  return new RegExp(codePointClass(members, negated));
}

const C0: readonly [number, number] = [0x00, 0x1f];
const DEL = 0x7f;
const ESC = 0x1b;
const DEL_AND_C1: readonly [number, number] = [0x7f, 0x9f];
const RIGHT_TO_LEFT_OVERRIDE = 0x202e;
const LINE_SEPARATOR = 0x2028;

/** A C0 control character or DEL. */
export const C0_OR_DEL = charClass([C0, DEL]);

/** A C0 control, DEL or a C1 control. */
export const CONTROL = charClass([C0, DEL_AND_C1]);

/** A control character other than the newline: for text of several lines. */
export const CONTROL_BUT_NEWLINE = charClass([[0x00, 0x09], [0x0b, 0x1f], DEL_AND_C1]);

/** A control character or the right-to-left override: never to reach a terminal from a process name. */
export const UNSAFE_FOR_TERMINAL = charClass([C0, DEL_AND_C1, RIGHT_TO_LEFT_OVERRIDE]);

/** What UNSAFE_FOR_TERMINAL names, and U+2028, which some readers of a JSON line take for its end. */
export const UNSAFE_IN_JSON_LINE = charClass([C0, DEL_AND_C1, RIGHT_TO_LEFT_OVERRIDE, LINE_SEPARATOR]);

/** A character outside 7-bit ASCII. */
export const NON_ASCII = charClass([[0x00, 0x7f]], true);

/** Every SGR parameter (the numbers in `ESC [ … m`) in what was written, in order. */
export function sgrParams(raw: string): string[] {
  return [...raw.matchAll(new RegExp(`${codePointClass([ESC])}\\[([0-9;]*)m`, 'g'))].flatMap((m) =>
    (m[1] ?? '').split(';'),
  );
}
