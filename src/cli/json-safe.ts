// JSON output that stays inert on a terminal. JSON.stringify escapes U+0000-U+001F and lone
// surrogates but leaves DEL, the C1 controls (some terminals obey U+009B as CSI), bidi overrides and
// the line separators raw; this escapes them too. The decoded strings are unchanged.

const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// The same class without /g: test() on a global regex is stateful (lastIndex), this one is not.
const HAS_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const escapeChar = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Escapes the characters above in text JSON.stringify produced (or in several such texts joined).
 * They can only stand inside JSON strings, so escaping them keeps the JSON valid and its meaning.
 * Almost no text has one: a single scan that finds none returns the text itself, with no copy.
 */
export function escapeRawUnsafe(json: string): string {
  return HAS_RAW_UNSAFE.test(json) ? json.replace(RAW_UNSAFE, escapeChar) : json;
}

/** JSON.stringify (compact) with the extra escapes; never contains a raw control character. */
export function stringifySafe(value: unknown): string {
  return escapeRawUnsafe(JSON.stringify(value));
}
