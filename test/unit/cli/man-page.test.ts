// cntop(1) rendered by groff, as man shows it: no warnings, and it says everything --help says (from
// the same spec) plus every key of the viewer's tables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyGroups } from '../../../src/cli/man/man-keys.js';
import { renderManPage } from '../../../src/cli/man/man-page.js';
import { USAGE_SPEC, allOptions, spellings } from '../../../src/cli/usage-spec.js';
import { allBindings } from '../../../src/ui/widgets/help.js';
import { ensureDebianCommands } from '../../helpers/debian-packages.js';

const missing = ensureDebianCommands({ groff: 'groff-base' });
if (missing !== null) console.log(`man page rendering skipped: ${missing}`);

const squash = (text: string): string => text.replace(/\s+/g, ' ');

/** The page as groff typesets it for man: plain ASCII (no overstrike), 300 columns so no line breaks inside a sentence. */
function typeset(roff: string): { text: string; warnings: string; status: number | null } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cntop-man-')), 'cntop.1');
  writeFileSync(file, roff);
  const run = spawnSync('groff', ['-man', '-Tascii', '-ww', '-rLL=300n', '-P-cbou', file], { encoding: 'utf8' });
  return { text: squash(run.stdout), warnings: run.stderr, status: run.status };
}

describe.skipIf(missing !== null)('cntop(1)', () => {
  const page = typeset(renderManPage('9.9.9'));

  it('renders without a warning', () => {
    expect(page.status).toBe(0);
    expect(page.warnings).toBe('');
    expect(page.text).toContain('CNTOP(1)');
    expect(page.text).toContain('cntop 9.9.9');
  });

  it('has the sections a man page needs', () => {
    for (const heading of [
      'NAME',
      'SYNOPSIS',
      'DESCRIPTION',
      'COMMANDS',
      'OPTIONS',
      'KEYS',
      'EVENT SCHEMA',
      'ENVIRONMENT',
      'FILES',
      'EXIT STATUS',
      'SEE ALSO',
    ]) {
      expect(page.text).toContain(` ${heading} `);
    }
  });

  it('says what --help says: every command, every spelling of every option, every description', () => {
    for (const command of USAGE_SPEC.commands) {
      expect(page.text).toContain(command.name === null ? 'cntop open' : `cntop ${command.name}`);
      expect(page.text).toContain(squash(command.summary));
    }
    for (const option of allOptions(USAGE_SPEC)) {
      for (const spelling of spellings(option)) expect(page.text).toContain(spelling);
      if (option.value !== undefined) expect(page.text).toContain(option.value.name);
      expect(page.text).toContain(squash(option.help));
    }
    for (const entry of [...USAGE_SPEC.environment, ...USAGE_SPEC.files, ...USAGE_SPEC.exitStatus]) {
      expect(page.text).toContain(squash(entry.help));
    }
  });

  it("lists every key binding of the viewer's tables, with its keys", () => {
    const listed = keyGroups().flatMap((g) => g.keys);
    expect(listed.length).toBe(allBindings().length);
    for (const binding of listed) expect(page.text).toContain(`${binding.keys.join(', ')} ${squash(binding.help)}`);
    for (const key of ['F10, q, Ctrl-C quit', 'F4, \\ filter', 'Shift-Tab', '0-9 type a PID'])
      expect(page.text).toContain(key);
  });

  it('points to the event schema and the settings file documentation', () => {
    expect(page.text).toContain('README.md');
    expect(page.text).toContain('Event schema');
    expect(page.text).toContain('docs/CONFIG.md');
  });
});
