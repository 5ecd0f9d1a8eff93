// Reading and writing the settings file. Reading never throws: a missing file is the defaults, an
// unreadable one is a problem. Writing is atomic (a 0600 temporary file beside the target, fsync'd,
// then renamed over it, in a directory created 0700), so a full disk or a read-only path leaves the
// old file as it was and says why.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseSettings, type ParsedSettings } from './settings-file.js';
import { DEFAULT_SAVED_SETTINGS } from '../viewer-settings.js';
import { err, ok, type Result } from '../../core/types.js';

/** Reads and parses the file; `named` (the user named it in $CNTOPRC) makes a missing file a problem. */
export function readSettingsFile(path: string, named: boolean): ParsedSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const empty = { settings: DEFAULT_SAVED_SETTINGS, keys: new Set<never>() };
    if (code === 'ENOENT' && !named) return { ...empty, problems: [] };
    const why = code === 'ENOENT' ? 'no such file (named by CNTOPRC)' : `cannot read it: ${describeFsError(e)}`;
    return { ...empty, problems: [{ file: path, line: 0, message: `${why}; using the defaults` }] };
  }
  return parseSettings(text, path);
}

/** The file-system calls the writer makes; tests replace one to simulate a full disk. */
export interface WriterFs {
  readonly mkdirSync: typeof mkdirSync;
  readonly openSync: typeof openSync;
  readonly writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  readonly fsyncSync: typeof fsyncSync;
  readonly closeSync: typeof closeSync;
  readonly renameSync: typeof renameSync;
  readonly unlinkSync: typeof unlinkSync;
}

const REAL_FS: WriterFs = { mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync };

/** An fs error as a few words a user understands (the common ones), else Node's message. */
export function describeFsError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const x = e as NodeJS.ErrnoException;
  if (x.code === 'ENOSPC') return 'no space left on the device';
  if (x.code === 'EROFS') return 'read-only file system';
  if (x.code === 'EACCES' || x.code === 'EPERM') return 'permission denied';
  if (x.code === 'EDQUOT') return 'disk quota exceeded';
  return x.message;
}

/**
 * Writes `text` to `path` atomically: the old file (if any) stays intact until the new one is
 * complete on disk. Returns the error as one sentence naming the path, never throws.
 */
export function writeSettingsFile(path: string, text: string, fs: WriterFs = REAL_FS): Result<void, string> {
  const dir = dirname(path);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    return err(`cannot create ${dir}: ${describeFsError(e)}; settings not saved`);
  }
  // A name of its own (pid and a random part), so a temporary file left by a crash is never in the way.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | null = null;
  try {
    // 'wx': never follow or reuse a file someone else put there.
    fd = fs.openSync(temp, 'wx', 0o600);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, path);
    return ok(undefined);
  } catch (e) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the unlink below is what matters.
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // The temporary file may never have been created.
    }
    return err(`cannot write ${path}: ${describeFsError(e)}; settings not saved, the previous file is unchanged`);
  }
}
