// Where the file is, reading it (missing, unreadable) and the atomic 0600 write (in a 0700 directory;
// a failure leaves the old file and says why). Real files under a temporary directory.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFsError, readSettingsFile, writeSettingsFile } from '../../../../src/cli/config/settings-io.js';
import { settingsPath } from '../../../../src/cli/config/settings-path.js';
import { loadViewerSettings } from '../../../../src/cli/config/load-settings.js';
import { DEFAULT_SAVED_SETTINGS } from '../../../../src/cli/viewer-settings.js';
import { present } from '../../../helpers/present.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cntop-config-'));
});
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe('settingsPath', () => {
  it('prefers CNTOPRC, then an absolute XDG_CONFIG_HOME, then HOME', () => {
    expect(settingsPath({ CNTOPRC: '/etc/my-rc', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/etc/my-rc');
    expect(settingsPath({ CNTOPRC: '', XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/cntop/cntoprc');
    expect(settingsPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/cntop/cntoprc');
    expect(settingsPath({ HOME: '/h' })).toBe('/h/.config/cntop/cntoprc');
    expect(settingsPath({})).toBeNull();
  });
});

describe('readSettingsFile', () => {
  it('takes a missing file at the default place as the defaults, silently', () => {
    expect(readSettingsFile(join(dir, 'none'), false)).toMatchObject({
      settings: DEFAULT_SAVED_SETTINGS,
      problems: [],
    });
  });

  it('says so when the file CNTOPRC names is missing', () => {
    const r = readSettingsFile(join(dir, 'none'), true);
    expect(r.settings).toEqual(DEFAULT_SAVED_SETTINGS);
    expect(r.problems).toEqual([
      { file: join(dir, 'none'), line: 0, message: 'no such file (named by CNTOPRC); using the defaults' },
    ]);
  });

  it('reports a directory where the file should be', () => {
    const r = readSettingsFile(dir, false);
    expect(present(r.problems[0], 'a problem').message).toMatch(/^cannot read it: .*; using the defaults$/);
  });

  it('parses the file it reads, naming it in problems, and never writes to it', () => {
    const path = join(dir, 'cntoprc');
    writeFileSync(path, 'tree=no\nnope=1\n');
    const before = statSync(path).mtimeMs;
    const r = readSettingsFile(path, false);
    expect(r.settings.tree).toBe(false);
    expect(r.problems).toEqual([
      { file: path, line: 2, message: expect.stringContaining("unknown setting 'nope'") as unknown },
    ]);
    expect(readFileSync(path, 'utf8')).toBe('tree=no\nnope=1\n');
    expect(statSync(path).mtimeMs).toBe(before);
  });
});

describe('writeSettingsFile', () => {
  it('creates the directory 0700 and the file 0600, with no temporary file left', () => {
    const path = join(dir, 'a', 'cntop', 'cntoprc');
    expect(writeSettingsFile(path, 'tree=no\n')).toEqual({ ok: true, value: undefined });
    expect(readFileSync(path, 'utf8')).toBe('tree=no\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'a', 'cntop')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'a', 'cntop'))).toEqual(['cntoprc']);
  });

  it('replaces an existing file whole', () => {
    const path = join(dir, 'cntoprc');
    writeFileSync(path, 'a very long old content\n'.repeat(100), { mode: 0o644 });
    expect(writeSettingsFile(path, 'delay=5\n').ok).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('delay=5\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('says why and keeps nothing half-written when the directory cannot be created', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const r = writeSettingsFile(join(blocker, 'cntop', 'cntoprc'), 'tree=no\n');
    expect(r).toEqual({
      ok: false,
      error: expect.stringMatching(new RegExp(`^cannot create ${blocker}/cntop: .*; settings not saved$`)) as unknown,
    });
  });

  it('leaves the old file intact and no temporary file when the rename fails (target is a directory)', () => {
    const path = join(dir, 'cntoprc');
    mkdirSync(path);
    writeFileSync(join(path, 'keep'), 'x');
    const r = writeSettingsFile(path, 'tree=yes\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      new RegExp(`^cannot write ${path}: .*; settings not saved, the previous file is unchanged$`),
    );
    expect(readdirSync(dir)).toEqual(['cntoprc']);
    expect(readFileSync(join(path, 'keep'), 'utf8')).toBe('x');
  });

  it('reports a full disk as such, removes its temporary file and keeps the old file', async () => {
    const fs = await import('node:fs');
    const path = join(dir, 'cntoprc');
    writeFileSync(path, 'tree=no\n');
    const full = {
      ...fs,
      writeSync: (): number => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const r = writeSettingsFile(path, 'tree=yes\n', full);
    expect(r).toEqual({
      ok: false,
      error: `cannot write ${path}: no space left on the device; settings not saved, the previous file is unchanged`,
    });
    expect(readFileSync(path, 'utf8')).toBe('tree=no\n');
    expect(readdirSync(dir)).toEqual(['cntoprc']);
  });

  it('names the common errors in plain words', () => {
    const e = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(describeFsError(e('ENOSPC'))).toBe('no space left on the device');
    expect(describeFsError(e('EROFS'))).toBe('read-only file system');
    expect(describeFsError(e('EACCES'))).toBe('permission denied');
    expect(describeFsError(e('EDQUOT'))).toBe('disk quota exceeded');
    expect(describeFsError(e('EIO'))).toBe('EIO: raw');
  });
});

describe('loadViewerSettings', () => {
  it('merges the file under the flags and keeps the file problems', () => {
    const path = join(dir, 'rc');
    writeFileSync(path, 'tree=no\ndelay=20\ncolor=yes\nbad\n');
    const s = loadViewerSettings({ refreshMs: 500, tree: true }, { CNTOPRC: path, NO_COLOR: '1' });
    expect(s.tree).toBe(true);
    expect(s.refreshMs).toBe(500);
    // The file's explicit color=yes overrides NO_COLOR (no-color.org: configuration overrides it).
    expect(s.color).toBe(true);
    expect(s.configPath).toBe(path);
    expect(s.problems).toEqual([{ file: path, line: 4, message: "'bad' is not a key=value line" }]);
  });

  it("uses XDG_CONFIG_HOME and gives today's defaults without a file", () => {
    const s = loadViewerSettings({}, { XDG_CONFIG_HOME: dir });
    expect(s.configPath).toBe(join(dir, 'cntop', 'cntoprc'));
    expect(s).toMatchObject({
      ...DEFAULT_SAVED_SETTINGS,
      mouse: true,
      user: null,
      pids: null,
      filter: null,
      readonly: false,
      maxIterations: null,
      problems: [],
    });
  });
});
