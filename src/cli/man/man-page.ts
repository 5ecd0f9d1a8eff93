// cntop(1): the man page, rendered in roff from the same usage spec as --help (usage-spec.ts) and
// from the viewer's key tables (man-keys.ts). scripts/build-man.mjs writes it to man/cntop.1 when
// the package is packed; npm installs it from there (package.json "man").
import { USAGE_SPEC, type CommandSpec, type OptionSpec, type UsageSpec } from '../usage-spec.js';
import { keyGroups, screenTitles, type KeyGroup } from './man-keys.js';
import { paragraph, roffFlag, roffText, roffValue, section, subsection, tagged } from './roff.js';

/** `-d, --delay TENTHS` in roff: names bold, the value italic. */
function optionTerm(option: OptionSpec): string {
  const names = [option.short, option.long].filter((n): n is string => n !== undefined).map(roffFlag).join(', ');
  const aliases = (option.aliases ?? []).map(roffFlag);
  const value = option.value === undefined ? '' : option.value.optional === true ? `[=${roffValue(option.value.name)}]` : ` ${roffValue(option.value.name)}`;
  return `${names}${value}${aliases.length > 0 ? ` (also ${aliases.join(', ')})` : ''}`;
}

function commandTerm(command: CommandSpec): string {
  const words = (command.words ?? []).map((w) => (w.optional === true ? `[${roffValue(w.name)}]` : roffValue(w.name)));
  return command.name === null ? roffFlag('cntop') : [roffFlag('cntop'), roffFlag(command.name), ...words].join(' ');
}

function synopsis(spec: UsageSpec): string[] {
  return spec.commands.flatMap((command, i) => [
    ...(i > 0 ? ['.br'] : []),
    [commandTerm(command), ...command.options.map((o) => `[${roffFlag(o.long)}]`), `[${roffValue('options')}]`].join(' '),
  ]);
}

function commands(spec: UsageSpec): string[] {
  return spec.commands.flatMap((command) => [
    ...tagged(commandTerm(command), command.summary),
    ...(command.options.length === 0 ? [] : ['.RS', ...command.options.flatMap((o) => tagged(optionTerm(o), o.help)), '.RE']),
  ]);
}

function options(list: readonly OptionSpec[]): string[] {
  return list.flatMap((option) => tagged(optionTerm(option), option.help));
}

function keys(groups: readonly KeyGroup[]): string[] {
  return groups.flatMap((group) => [
    ...subsection(group.title),
    ...group.keys.flatMap((k) => tagged(k.keys.map((key) => `\\fB${roffText(key)}\\fR`).join(', '), k.help)),
  ]);
}

export function renderManPage(version: string, spec: UsageSpec = USAGE_SPEC, groups: readonly KeyGroup[] = keyGroups()): string {
  const lines = [
    `.TH CNTOP 1 "" "cntop ${roffText(version)}" "User Commands"`,
    // No hyphenation, left-aligned: option names and key names stay whole words to search for.
    '.nh',
    '.ad l',
    ...section('name'),
    `cntop \\- ${roffText(spec.tagline)}`,
    ...section('synopsis'),
    ...synopsis(spec),
    ...section('description'),
    roffText('cntop shows every process, even one that lives a millisecond: one /proc scan seeds a process tree, and from then on the kernel\'s netlink process connector streams every fork, exec, exit, comm, uid, gid, sid, ptrace and coredump event into it.'),
    ...paragraph('cntop is never silently blind: it proves that events flow, measures and explains a failure (cntop doctor), repairs it when asked, and falls back to /proc polling, saying so, while it cannot listen.'),
    ...paragraph(`The viewer has these screens, in tab order: ${screenTitles().join(', ')}.`),
    ...paragraph('Live events need root (or CAP_NET_ADMIN) on most kernels; without them cntop polls /proc and says why.'),
    ...section('commands'),
    ...commands(spec),
    ...section('options'),
    ...options(spec.globalOptions),
    ...subsection('Viewer options'),
    roffText('For cntop without a command; with a command they are a usage error.'),
    ...options(spec.viewerOptions),
    ...subsection('Information'),
    ...options(spec.infoOptions),
    ...paragraph('Short switches bundle (-tCM). -d 15, -d15, --delay 15 and --delay=15 are all accepted.'),
    ...section('keys'),
    roffText('The viewer\'s keys, as its help screen (F1) lists them. A screen\'s own keys come before the keys of every screen.'),
    ...keys(groups),
    ...paragraph('Mouse: a click selects a process or a tab; a click on a column header sorts by it (again: inverts); the wheel scrolls.'),
    ...section('event schema'),
    roffText('cntop events --json writes NDJSON: one JSON object per event, with type (fork, exec, exit, comm, uid, gid, sid, ptrace, coredump), time, pid, tgid and cpu, and fields by type; an exit carries its exit code or signal, lifetime and the kernel\'s accounting (CPU, peak memory, I/O). The full schema is in the README.md that the package installs (section "Event schema"), e.g. $(npm root -g)/cntop/README.md.'),
    ...section('environment'),
    ...spec.environment.flatMap((e) => tagged(`\\fB${roffText(e.term)}\\fR`, e.help)),
    ...section('files'),
    ...spec.files.flatMap((f) => tagged(`\\fI${roffText(f.term)}\\fR`, f.help)),
    ...section('exit status'),
    ...spec.exitStatus.flatMap((e) => tagged(`\\fB${roffText(e.term)}\\fR`, e.help)),
    ...paragraph('On every one of these paths cntop restores the terminal and sends the kernel exactly one PROC_CN_MCAST_IGNORE for its one LISTEN before it exits.'),
    ...section('see also'),
    '\\fBhtop\\fR(1), \\fBforkstat\\fR(8), \\fBps\\fR(1), \\fBproc\\fR(5)',
  ];
  return `${lines.join('\n')}\n`;
}
