// The usage spec is the one source of --help and the man page: it must name every flag and command
// the parser takes, and the parser must take every one it names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/cli/options.js';
import { helpText } from '../../../src/cli/usage.js';
import { USAGE_SPEC, allOptions, optionLabel, spellings, type OptionSpec } from '../../../src/cli/usage-spec.js';

// Comments mention flags as examples ('--jsn' as a typo); only code counts.
const PARSER_SOURCE = readFileSync(new URL('../../../src/cli/options.ts', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\/\/.*$/gm, '');
const squash = (text: string): string => text.replace(/\s+/g, ' ');

/** Every quoted flag in options.ts: '-d', '--delay', and the stems of '--delay=' prefixes. */
function flagsInParser(): string[] {
  const quoted = [...PARSER_SOURCE.matchAll(/['`](--?[A-Za-z][\w-]*)=?['`]/g)].map((m) => m[1] ?? '');
  return [...new Set(quoted)];
}

function subcommandsInParser(): string[] {
  const list = /const SUBCOMMANDS = \[([^\]]*)\]/.exec(PARSER_SOURCE)?.[1] ?? '';
  return [...list.matchAll(/'([a-z-]+)'/g)].map((m) => m[1] ?? '');
}

/** The command an option belongs to and example words after it, for parsing it in context (none: the viewer). */
function commandOf(option: OptionSpec): string[] {
  const command = USAGE_SPEC.commands.find((c) => c.options.includes(option));
  return command?.name == null ? [] : [command.name, ...(command.words ?? []).map((w) => w.example)];
}

describe('usage spec against the parser', () => {
  it('names every flag options.ts parses', () => {
    const named = new Set(allOptions(USAGE_SPEC).flatMap(spellings));
    const flags = flagsInParser();
    expect(flags.length).toBeGreaterThan(15);
    expect(flags.filter((flag) => !named.has(flag))).toEqual([]);
  });

  it('names every subcommand options.ts parses, and each parses to its own command', () => {
    const names = USAGE_SPEC.commands.map((c) => c.name).filter((n): n is string => n !== null);
    expect(subcommandsInParser().sort()).toEqual([...names].sort());
    for (const command of USAGE_SPEC.commands) {
      if (command.name === null) continue;
      const parsed = parseOptions([command.name, ...(command.words ?? []).map((w) => w.example)], {});
      expect(parsed.ok && parsed.value.command.kind).toBe(command.name);
    }
  });

  it.each(allOptions(USAGE_SPEC).flatMap((option) => spellings(option).map((spelling) => [spelling, option] as const)))(
    'the parser takes %s where the spec puts it',
    (spelling, option) => {
      const value = option.value === undefined ? [] : [option.value.example];
      const parsed = parseOptions([...commandOf(option), spelling, ...value], { USER: 'root' });
      expect(parsed.ok ? 'ok' : parsed.error.message).toBe('ok');
    },
  );
});

describe('help text from the spec', () => {
  const help = helpText('9.9.9');

  it('lists every command, option label and description', () => {
    for (const command of USAGE_SPEC.commands) {
      if (command.name !== null) expect(help).toContain(`  ${command.name} `);
      expect(squash(help)).toContain(command.summary);
    }
    for (const option of allOptions(USAGE_SPEC)) {
      if (USAGE_SPEC.commands.some((c) => c.options.includes(option))) expect(help).toContain(`    ${option.long}`);
      else expect(help).toContain(optionLabel(option));
      expect(squash(help)).toContain(squash(option.help));
    }
  });

  it('adds a command given as one more spec entry, in the usage line and the command list', () => {
    const spec = {
      ...USAGE_SPEC,
      commands: [
        ...USAGE_SPEC.commands,
        {
          name: 'exporter',
          summary: 'serve /metrics',
          options: [
            { long: '--listen', value: { name: 'ADDR:PORT', example: '127.0.0.1:9464' }, help: 'where to listen' },
          ],
        },
      ],
    };
    const text = helpText('1', spec);
    expect(text).toContain('\n       cntop exporter [--listen ADDR:PORT] [options]\n');
    expect(text).toMatch(/^ {2}exporter +serve \/metrics$/m);
    expect(text).toMatch(/^ {4}--listen ADDR:PORT +where to listen$/m);
  });

  it('keeps every line within 100 columns', () => {
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
