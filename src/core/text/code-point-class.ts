// A regular-expression character class written from code points. Control characters are named by
// number, never typed into a regex literal: there a control character is nearly always a mistake
// (ESLint's no-control-regex), while in a sanitizer or a check of terminal output it is the point.

/** A code point, or an inclusive [first, last] range of them. */
export type CodePoints = number | readonly [number, number];

const escape = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** Regex source of a class of the members, e.g. `[\u0000-\u001f\u007f]`; `negated` for `[^…]`. */
export function codePointClass(members: readonly CodePoints[], negated = false): string {
  const body = members.map((m) => (typeof m === 'number' ? escape(m) : `${escape(m[0])}-${escape(m[1])}`)).join('');
  return `[${negated ? '^' : ''}${body}]`;
}
