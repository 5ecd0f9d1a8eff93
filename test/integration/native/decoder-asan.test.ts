// The decoder's memory safety on hostile input: addon/proc_event_decoder.cc built with
// AddressSanitizer + UBSan and fed random and mutated datagrams in exact-size heap buffers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'cntop-asan-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const compiler = ['/usr/bin/c++', '/usr/bin/g++'].find((candidate) => existsSync(candidate));

/** Builds the driver with sanitizers; a reason string when this toolchain has no ASan runtime. */
function buildDriver(): string | { reason: string } {
  if (compiler === undefined) return { reason: 'no C++ compiler' };
  const binary = path.join(workDir, 'decoder_fuzz');
  const sources = [path.join(here, 'decoder_fuzz_driver.cc'), path.join(here, '../../../addon/proc_event_decoder.cc')];
  try {
    execFileSync(
      compiler,
      [
        '-std=c++17',
        '-O1',
        '-g',
        '-fsanitize=address,undefined',
        '-fno-sanitize-recover=all',
        '-o',
        binary,
        ...sources,
      ],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    return { reason: `cannot build with -fsanitize=address,undefined: ${String(error).slice(0, 200)}` };
  }
  return binary;
}

const driver = buildDriver();
if (typeof driver !== 'string') console.warn(`decoder-asan: skipped: ${driver.reason}`);

describe.skipIf(typeof driver !== 'string')('decoder under AddressSanitizer and UBSan', () => {
  it('100,000 random and mutated datagrams: no out-of-bounds read, no undefined behaviour', () => {
    // A sanitizer finding aborts the driver with a non-zero status, which makes execFileSync throw.
    const output = execFileSync(driver as string, ['100000'], { encoding: 'utf8', timeout: 60_000 });
    const decoded = Number(/^ok (\d+)$/m.exec(output)?.[1]);
    expect(decoded).toBeGreaterThan(1000); // the mutated-valid half really exercised the event paths
  });
});
