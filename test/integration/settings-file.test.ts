// Saving settings where the file system says no, on real file systems (tmpfs mounts the test makes):
// read-only and full. Each time: a one-line error that says so, the previous file unchanged, no
// temporary file left behind. Needs root for the mounts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSettingsFile } from '../../src/cli/config/settings-io.js';

const skipWhy = process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : null;
if (skipWhy !== null) console.warn(`settings-file: skipped: ${skipWhy}`);

let dir = '';
const mount = (...args: string[]): void => {
  const result = spawnSync('mount', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${result.stderr}`);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cntop-settings-fs-'));
});
afterEach(() => {
  spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skipWhy !== null)('saving settings on a file system that refuses', () => {
  it('read-only: says so and leaves the previous file', () => {
    mount('-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir);
    const path = join(dir, 'cntoprc');
    writeFileSync(path, 'tree=no\n');
    mount('-o', 'remount,ro', dir);
    const result = writeSettingsFile(path, 'tree=yes\n');
    expect(result).toEqual({
      ok: false,
      error: `cannot write ${path}: read-only file system; settings not saved, the previous file is unchanged`,
    });
    expect(readFileSync(path, 'utf8')).toBe('tree=no\n');
    expect(readdirSync(dir)).toEqual(['cntoprc']);
  });

  it('full: says so, leaves the previous file and no temporary file', () => {
    mount('-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir);
    const path = join(dir, 'cntoprc');
    writeFileSync(path, 'tree=no\n');
    // Fill what is left, leaving less than a page for the new file.
    spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=4k', 'count=64'], { stdio: 'ignore' });
    const result = writeSettingsFile(path, 'columns=pid,user,command\n'.repeat(400));
    expect(result).toEqual({
      ok: false,
      error: `cannot write ${path}: no space left on the device; settings not saved, the previous file is unchanged`,
    });
    expect(readFileSync(path, 'utf8')).toBe('tree=no\n');
    expect(readdirSync(dir).sort()).toEqual(['cntoprc', 'filler']);
  });
});
