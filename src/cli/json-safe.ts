// JSON output that stays inert on a terminal. JSON.stringify escapes U+0000-U+001F and lone
// surrogates but leaves DEL, the C1 controls (some terminals obey U+009B as CSI), bidi overrides and
// the line separators raw; this escapes them too. The decoded strings are unchanged.

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** JSON.stringify (compact) with the extra escapes; never contains a raw control character. */
export function stringifySafe(value: unknown): string {
  return JSON.stringify(value).replace(RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
