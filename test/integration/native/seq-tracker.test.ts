// The per-CPU cn_msg.seq gap counter (addon/seq_tracker.cc), compiled with a tiny stdin driver:
// gaps per CPU, late arrivals inside the reorder window, wrap-around, duplicates, expiry by time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { present } from '../../helpers/present.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'cntop-seq-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const compiler = ['/usr/bin/c++', '/usr/bin/g++'].find((candidate) => existsSync(candidate));
if (compiler === undefined) console.warn('seq-tracker: skipped: no C++ compiler (the addon could not be built either)');

function buildDriver(): string {
  const binary = path.join(workDir, 'seq_tracker_driver');
  const sources = [path.join(here, 'seq_tracker_driver.cc'), path.join(here, '../../../addon/seq_tracker.cc')];
  execFileSync(present(compiler, 'a C++ compiler'), [
    '-std=c++17',
    '-O1',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-o',
    binary,
    ...sources,
  ]);
  return binary;
}

let driver: string | null = null;
/** Runs a script; returns the running lost-total after each line. */
function lostAfterEach(lines: string[]): number[] {
  driver ??= buildDriver();
  return execFileSync(driver, { input: lines.join('\n') + '\n', encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
}
const observe = (cpu: number, seq: number, ms = 0) => `observe ${cpu} ${seq} ${ms}`;
const lostTotal = (lines: string[]) => lostAfterEach(lines).at(-1);

describe.skipIf(compiler === undefined)('SeqTracker', () => {
  it('an unbroken sequence loses nothing; the first message of a CPU sets its start', () => {
    expect(lostTotal([observe(0, 100), observe(0, 101), observe(0, 102), observe(1, 7), observe(1, 8)])).toBe(0);
  });

  it('sequences are per CPU: interleaving CPUs is not a gap', () => {
    expect(lostTotal([observe(0, 1), observe(1, 50), observe(0, 2), observe(1, 51), observe(0, 3)])).toBe(0);
  });

  it('a gap is declared lost once the reorder window has passed it', () => {
    const script = [observe(0, 1), observe(0, 5)]; // 2, 3, 4 missing
    for (let seq = 6; seq <= 70; seq++) script.push(observe(0, seq));
    const totals = lostAfterEach(script);
    expect(totals[1]).toBe(0); // not yet: they may still come late
    expect(totals.at(-1)).toBe(3);
  });

  it('a late arrival inside the window fills its hole and is not counted', () => {
    const script = [observe(0, 1), observe(0, 3), observe(0, 2)];
    for (let seq = 4; seq <= 100; seq++) script.push(observe(0, seq));
    script.push('expire 1000');
    expect(lostTotal(script)).toBe(0);
  });

  it('a hole on a CPU that went quiet expires after the time window', () => {
    const totals = lostAfterEach([observe(2, 10, 0), observe(2, 12, 0), 'expire 50', 'expire 150']);
    expect(totals).toEqual([0, 0, 0, 1]);
  });

  it('a huge jump is counted at once instead of being tracked number by number', () => {
    expect(lostAfterEach([observe(0, 1), observe(0, 1 + 1 + 100_000)])).toEqual([0, 100_000]);
  });

  it('the 32-bit counter may wrap without a false gap', () => {
    expect(
      lostTotal([observe(0, 4294967294), observe(0, 4294967295), observe(0, 0), observe(0, 1), 'expire 1000']),
    ).toBe(0);
  });

  it('duplicates and stale numbers change nothing', () => {
    expect(lostTotal([observe(0, 5), observe(0, 6), observe(0, 6), observe(0, 3), observe(0, 7), 'expire 1000'])).toBe(
      0,
    );
  });
});
