// Makes text that comes from a process (comm, cmdline, user names) safe to put on a terminal.
// A process can name itself anything, escape sequences included; none of it may reach the tty.

// C0 controls, DEL, C1 controls (U+0080–U+009F, which some terminals obey as 8-bit CSI/OSC),
// and the bidi/format controls that can reorder what a line appears to say.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

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
