// A storm of random process names (hostile ones included: quotes, backslashes, newlines, escape
// sequences, broken UTF-8) cannot explode the exporter's cardinality: at most N command series plus
// `other`, every label value printable, the exposition still valid for promtool, and no counter ever
// goes down; a command that then runs often still wins a series of its own.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianCommands } from '../helpers/debian-packages.js';
import { UNSAFE_FOR_TERMINAL } from '../helpers/terminal-text.js';
import { missingBuild, sleep } from './cli-harness.js';
import {
  commandLinks,
  parseExposition,
  runShell,
  startExporter,
  stopExporter,
  valueOf,
  type ExporterRun,
  type Sample,
} from './exporter-harness.js';
import { present } from '../helpers/present.js';

const skipReason = missingBuild();
if (skipReason !== null) console.warn(`exporter cardinality tests skipped: ${skipReason}`);
// promtool is optional here (the Prometheus test needs it): without it, that one check says why and is skipped.
const noPromtool = skipReason === null ? ensureDebianCommands({ promtool: 'prometheus' }) : skipReason;

const MAX_COMMANDS = 10;
const STORM = 400;
const PER_COMMAND = ['cntop_process_starts_total', 'cntop_process_exits_total', 'cntop_exited_cpu_seconds_total'];

/** A name no other process has, with something a label must survive in most of them. */
function randomName(i: number): string {
  const hostile = ['"', '\\', '\n', '\x1b[31m', '{', '}', '=', ',', ' ', 'é', '\u202e', '\xff'];
  const pick = hostile[i % hostile.length] as string;
  return `s${i.toString(36)}${pick}${Math.random().toString(36).slice(2, 6)}`;
}

function commandsOf(samples: readonly Sample[], name: string): Set<string> {
  return new Set(samples.filter((s) => s.name === name).map((s) => s.labels['command'] ?? ''));
}

describe.skipIf(skipReason !== null)('cntop exporter under a storm of random names', () => {
  // Unset until beforeAll sets them, and still unset in afterAll if it failed first.
  let exporter: ExporterRun | undefined;
  let links: ReturnType<typeof commandLinks> | undefined;
  /** What beforeAll set up, for the tests (which run only when it succeeded). */
  const setUp = () => ({ exporter: present(exporter, 'the exporter'), links: present(links, 'the command links') });
  const hot = `hot-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    // Broken UTF-8 in a file name: Node writes names as UTF-8, so the 0xff byte comes from the shell.
    links = commandLinks([
      ...Array.from({ length: STORM }, (_, i) => randomName(i)).filter((n) => !n.includes('\xff')),
      hot,
    ]);
    spawnSync('dash', ['-c', `ln -s "$(command -v dash)" "$(printf 'bad\\377utf8')"`], { cwd: links.dir });
    exporter = await startExporter(['--max-commands', String(MAX_COMMANDS)]);
  });

  afterAll(async () => {
    if (exporter !== undefined) expect(await stopExporter(exporter)).toEqual({ code: 0, signal: null });
    links?.remove();
  });

  it(`keeps at most ${MAX_COMMANDS} command series plus other, printable and valid, and never lowers a counter`, async () => {
    const { exporter, links } = setUp();
    const before = parseExposition(await exporter.metrics());
    const exitsBefore = before
      .filter((s) => s.name === 'cntop_process_exits_total')
      .reduce((sum, s) => sum + s.value, 0);
    runShell(`for f in ./*; do [ "$f" = "./${hot}" ] || "$f" -c ':'; done`, links.dir);
    const stormed = readdirSync(links.dir).length - 1; // every link but the hot one ran once
    // Every exit of the storm is counted somewhere (own series or other; the machine's own processes
    // may add to it, never take away); wait for the last ones.
    let after: Sample[];
    const deadline = Date.now() + 10_000;
    for (;;) {
      after = parseExposition(await exporter.metrics());
      const exits = after.filter((s) => s.name === 'cntop_process_exits_total').reduce((sum, s) => sum + s.value, 0);
      if (exits - exitsBefore >= stormed) break;
      if (Date.now() > deadline) throw new Error(`only ${exits - exitsBefore} of ${stormed} storm exits counted`);
      await sleep(200);
    }
    for (const name of PER_COMMAND) {
      const commands = commandsOf(after, name);
      expect(commands.size, name).toBeLessThanOrEqual(MAX_COMMANDS + 1);
      expect(commands).toContain('other');

      for (const command of commands) expect(command, JSON.stringify(command)).not.toMatch(UNSAFE_FOR_TERMINAL);
    }
    // Exits: three outcomes per command at most.
    expect(after.filter((s) => s.name === 'cntop_process_exits_total').length).toBeLessThanOrEqual(
      3 * (MAX_COMMANDS + 1),
    );
    // Monotonic: a series present in both scrapes never went down.
    for (const sample of before) {
      if (!PER_COMMAND.includes(sample.name)) continue;
      const now = after.find(
        (s) => s.name === sample.name && JSON.stringify(s.labels) === JSON.stringify(sample.labels),
      );
      if (now !== undefined)
        expect(now.value, `${sample.name} ${JSON.stringify(sample.labels)}`).toBeGreaterThanOrEqual(sample.value);
    }
  });

  it.skipIf(noPromtool !== null)('still passes promtool check metrics with the hostile names in it', async () => {
    const text = await setUp().exporter.metrics();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });
  });

  it('gives a command that runs often a series of its own, taking it from a one-off', async () => {
    const { exporter, links } = setUp();
    const before = parseExposition(await exporter.metrics());
    const otherBefore = valueOf(before, 'cntop_process_exits_total', { command: 'other', outcome: 'ok' }) ?? 0;
    runShell(`n=0; while [ $n -lt 30 ]; do ./${hot} -c ':'; n=$((n+1)); done`, links.dir);
    let after: Sample[];
    const deadline = Date.now() + 10_000;
    do {
      await sleep(200);
      after = parseExposition(await exporter.metrics());
    } while (
      (valueOf(after, 'cntop_process_exits_total', { command: hot, outcome: 'ok' }) ?? 0) < 25 &&
      Date.now() < deadline
    );
    // It took over after a few runs (it must be clearly busier than the weakest holder): the first
    // ones were counted as other, the rest under its name.
    const own = valueOf(after, 'cntop_process_exits_total', { command: hot, outcome: 'ok' }) ?? 0;
    expect(own).toBeGreaterThanOrEqual(25);
    expect(own).toBeLessThanOrEqual(30);
    expect(valueOf(after, 'cntop_command_evictions_total')).toBeGreaterThanOrEqual(1);
    expect(commandsOf(after, 'cntop_process_exits_total').size).toBeLessThanOrEqual(MAX_COMMANDS + 1);
    expect(
      valueOf(after, 'cntop_process_exits_total', { command: 'other', outcome: 'ok' }) ?? 0,
    ).toBeGreaterThanOrEqual(otherBefore);
  });
});
