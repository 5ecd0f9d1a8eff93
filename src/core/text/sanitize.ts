// Makes text that comes from a process (comm, cmdline, user names) safe to put on a terminal.
// A process can name itself anything, escape sequences included; none of it may reach the tty.
import { codePointClass, type CodePoints } from './code-point-class.js';

/** Code points that must never reach a terminal raw, and why. */
const UNSAFE_RANGES: readonly CodePoints[] = [
  [0x0000, 0x001f], // C0 controls: ESC starts every escape sequence; BEL, BS and CR rewrite the line
  [0x007f, 0x009f], // DEL and the C1 controls (some terminals obey U+009B as an 8-bit CSI, U+009D as OSC)
  [0x061c, 0x061c], // the Arabic letter mark and the bidi controls below can reorder what a line
  [0x200e, 0x200f], //   appears to say (LRM, RLM; embeddings and overrides; isolates)
  [0x202a, 0x202e],
  [0x2066, 0x2069],
  [0xfffe, 0xffff], // noncharacters
];

const UNSAFE_CLASS = codePointClass(UNSAFE_RANGES);
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');

/**
 * Replaces every control character with a visible stand-in: '?' by default, so that column widths
 * stay predictable and an ESC can never start a sequence. Lone surrogates (from broken UTF-8
 * decoded as UTF-16) are replaced too.
 */
export function sanitizeForTerminal(text: string, replacement = '?'): string {
  return text.replace(UNSAFE, replacement).replace(/[\ud800-\udfff]/g, (ch, index: number, whole: string) => {
    const code = ch.charCodeAt(0);
    const isHigh = code < 0xdc00;
    const partner = whole.charCodeAt(isHigh ? index + 1 : index - 1);
    const paired = isHigh ? partner >= 0xdc00 && partner <= 0xdfff : partner >= 0xd800 && partner < 0xdc00;
    return paired ? ch : replacement;
  });
}

/** A command line for display: arguments joined by spaces, each sanitized. */
export function formatCommandLine(args: readonly string[]): string {
  return sanitizeForTerminal(args.join(' '));
}
