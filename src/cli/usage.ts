// The --help text and the one-line usage printed after a usage error, rendered from the usage spec
// (usage-spec.ts), which the man page (man-page.ts) renders too. Pure strings.
import { USAGE_SPEC, commandWithWords, optionLabel, usageLine, type OptionSpec, type UsageSpec } from './usage-spec.js';

export const USAGE_LINE = usageLine(USAGE_SPEC);

/** Help lines stay within this many columns. */
const WIDTH = 100;
/** Where descriptions start: after a two-space indent and a label of up to 21 columns and two spaces. */
const DESCRIPTION_COLUMN = 25;

export function helpText(version: string, spec: UsageSpec = USAGE_SPEC): string {
  const commandRows = spec.commands.flatMap((command) => [
    row(`  ${command.name === null ? '(none)' : commandWithWords(command)}`, command.summary),
    ...command.options.map((option) =>
      row(`    ${option.long}${option.value === undefined ? '' : ` ${option.value.name}`}`, option.help),
    ),
  ]);
  const optionRows = (options: readonly OptionSpec[]): string[] =>
    options.map((option) => row(`  ${optionLabel(option)}`, option.help));
  return [
    `cntop ${version}: ${spec.tagline}`,
    '',
    usageLine(spec),
    '',
    'Commands:',
    ...commandRows,
    '',
    "Options (htop's, with htop's meaning):",
    ...optionRows(spec.globalOptions),
    '',
    'Viewer options (cntop without a command):',
    ...optionRows(spec.viewerOptions),
    ...optionRows(spec.infoOptions),
    '',
    ...spec.files.flatMap((file) => wrap(`Saved settings: ${file.term} (${file.help}).`, WIDTH, '')),
    '',
    'Exit status:',
    ...spec.exitStatus.map((status) => row(`  ${status.term}`, status.help)),
    '',
  ].join('\n');
}

/** A label and its description: on one line when the label leaves room, else the description below. */
function row(label: string, help: string): string {
  const indent = ' '.repeat(DESCRIPTION_COLUMN);
  const lines = wrap(help, WIDTH, indent);
  if (label.length <= DESCRIPTION_COLUMN - 2) {
    const first = (lines[0] ?? '').slice(indent.length);
    return [`${label.padEnd(DESCRIPTION_COLUMN)}${first}`, ...lines.slice(1)].join('\n');
  }
  return [label, ...lines].join('\n');
}

/** Greedy word wrap; every line starts with indent. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
