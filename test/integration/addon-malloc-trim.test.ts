// The addon's trimMalloc on the real glibc: after megabytes of small malloc'd blocks are freed (glibc
// keeps them for reuse), it hands them back to the kernel, which the viewer's RSS at 10,000 processes
// relies on (src/native/malloc-trimmer.ts). Off glibc it is a no-op that says so (false).
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon } from '../../src/native/native-types.js';

const loaded = loadAddon();
const isGlibc =
  typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime ===
  'string';
const skipReason = !loaded.ok
  ? `the addon does not load: ${JSON.stringify(loaded.error)}`
  : !isGlibc
    ? 'not glibc: malloc_trim does not exist'
    : null;
if (skipReason !== null) console.warn(`addon-malloc-trim: skipped: ${skipReason}`);

/** Anonymous resident memory of this process, MB (where freed malloc blocks stay until trimmed). */
function rssAnonMb(): number {
  const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
  return Number(kb) / 1024;
}

/**
 * Allocates `mb` MB in 1 KiB blocks and drops them: each Buffer's memory is a malloc'd block, below
 * mmap's threshold, so once collected the pages stay with glibc, not the kernel.
 */
function allocateAndDrop(mb: number): number {
  const blocks = Array.from({ length: mb * 1024 }, () => Buffer.allocUnsafeSlow(1024).fill(1));
  return blocks.length;
}

describe.skipIf(skipReason !== null)('trimMalloc', () => {
  const addon = (loaded.ok ? loaded.value : null) as NativeAddon;

  it('returns freed malloc memory to the kernel', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    addon.trimMalloc();
    expect(allocateAndDrop(48)).toBe(48 * 1024);
    gc();
    gc();
    // V8 frees array buffers' memory on a background thread after the collection.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = rssAnonMb();
    expect(addon.trimMalloc()).toBe(true);
    expect(before - rssAnonMb()).toBeGreaterThan(16);
  });
});
