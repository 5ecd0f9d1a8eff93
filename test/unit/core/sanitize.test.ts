import { describe, expect, it } from 'vitest';
import { formatCommandLine, sanitizeForTerminal } from '../../../src/core/text/sanitize.js';
import { C0_OR_DEL } from '../../helpers/terminal-text.js';

describe('sanitizeForTerminal', () => {
  it('neutralises escape sequences a process may put in its name', () => {
    const hostile = 'evil\x1b[2J\x1b]0;pwned\x07name';
    const safe = sanitizeForTerminal(hostile);
    expect(safe).not.toMatch(C0_OR_DEL);
    expect(safe).toBe('evil?[2J?]0;pwned?name');
  });
  it('replaces C1 controls, bidi overrides and lone surrogates', () => {
    expect(sanitizeForTerminal('a\u009b31mb')).toBe('a?31mb');
    expect(sanitizeForTerminal('x\u202Ey')).toBe('x?y');
    expect(sanitizeForTerminal('p\ud800q')).toBe('p?q');
  });
  it('keeps ordinary Unicode, including astral characters', () => {
    expect(sanitizeForTerminal('naïve 进程 🚀 (sd-pam)')).toBe('naïve 进程 🚀 (sd-pam)');
  });
  it('joins a command line and sanitizes each argument', () => {
    expect(formatCommandLine(['sh', '-c', 'echo\nhi'])).toBe('sh -c echo?hi');
  });
});
