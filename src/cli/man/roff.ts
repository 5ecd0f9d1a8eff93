// The few roff (man(7)) pieces the man page is built from. Pure strings; escaping lives here only.

/** Text as roff reads it literally: backslashes escaped, no line taken for a request. */
export function roffText(text: string): string {
  const escaped = text.replace(/\\/g, '\\e');
  // A line that starts with '.' or "'" would be a request; \& is a zero-width guard.
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

/** An option or command name in bold, its hyphens as the minus sign so that copy-paste works. */
export function roffFlag(name: string): string {
  return `\\fB${roffText(name).replace(/-/g, '\\-')}\\fR`;
}

/** A value placeholder in italics. */
export function roffValue(name: string): string {
  return `\\fI${roffText(name)}\\fR`;
}

/** A tagged paragraph: term on its own line, text indented below (man(7) .TP). */
export function tagged(term: string, text: string): string[] {
  return ['.TP', term, roffText(text)];
}

export function section(title: string): string[] {
  return [`.SH ${title.toUpperCase()}`];
}

export function subsection(title: string): string[] {
  return [`.SS ${roffText(title)}`];
}

export function paragraph(text: string): string[] {
  return ['.PP', roffText(text)];
}
