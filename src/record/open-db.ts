// Opens a cntop recording: for writing (one recorder per file, enforced by a lock file beside it;
// created 0600 in a 0700 directory, since command lines carry secrets), or for reading (read-only
// connection). Every refusal is a value naming its cause, and nothing is written before the checks pass.
import Database from 'better-sqlite3';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { err, ok, type Result } from '../core/types.js';
import { APPLICATION_ID, MIGRATIONS, REQUIRED_TABLES, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export type OpenFailure =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'empty'; readonly path: string }
  | { readonly kind: 'not-cntop'; readonly path: string; readonly detail: string }
  | { readonly kind: 'newer-schema'; readonly path: string; readonly version: number }
  | { readonly kind: 'read-only'; readonly path: string; readonly detail: string }
  | { readonly kind: 'locked'; readonly path: string; readonly holder: string | null }
  | { readonly kind: 'disk-full'; readonly path: string }
  | { readonly kind: 'io'; readonly path: string; readonly detail: string };

/** One line naming the cause, for `cntop: …` on stderr. */
export function describeOpenFailure(failure: OpenFailure): string {
  const p = failure.path;
  switch (failure.kind) {
    case 'missing':
      return `${p}: no such recording (start one with 'cntop record --db ${p}')`;
    case 'empty':
      return `${p} is empty: nothing was recorded in it`;
    case 'not-cntop':
      return `${p} is not a cntop recording (${failure.detail}); refusing to touch it`;
    case 'newer-schema':
      return `${p} was written by a newer cntop (schema version ${failure.version}; this cntop reads up to ${SCHEMA_VERSION}); upgrade cntop to use it`;
    case 'read-only':
      return `cannot write ${p}: ${failure.detail}`;
    case 'locked':
      return `${p} is being written by another recorder${failure.holder === null ? '' : ` (${failure.holder})`}; one recorder per file`;
    case 'disk-full':
      return `cannot write ${p}: the disk is full`;
    case 'io':
      return `cannot open ${p}: ${failure.detail}`;
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** The lock file beside a recording: a small SQLite file whose exclusive lock the writer holds for its whole life. */
export function lockPathOf(path: string): string {
  return `${path}-lock`;
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? '';
}

function sqliteCode(error: unknown): string {
  return (error as { code?: unknown }).code === undefined ? '' : String((error as { code: unknown }).code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** EROFS, EACCES and EPERM as 'read-only'; anything else as 'io'. */
function fsFailure(path: string, error: unknown): OpenFailure {
  const code = errnoOf(error);
  if (code === 'EROFS') return { kind: 'read-only', path, detail: 'read-only file system' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'read-only', path, detail: 'permission denied' };
  if (code === 'ENOSPC') return { kind: 'disk-full', path };
  return { kind: 'io', path, detail: messageOf(error) };
}

function sqliteFailure(path: string, error: unknown): OpenFailure {
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return { kind: 'not-cntop', path, detail: 'not a valid SQLite database' };
  if (code === 'SQLITE_FULL') return { kind: 'disk-full', path };
  if (code.startsWith('SQLITE_READONLY'))
    return { kind: 'read-only', path, detail: 'read-only database or file system' };
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return { kind: 'locked', path, holder: null };
  return { kind: 'io', path, detail: messageOf(error) };
}

/**
 * Why the nearest existing ancestor of dir cannot be written to, or null. A recursive mkdir on a
 * read-only file system may say ENOENT for the part it could not create; the ancestor says EROFS.
 */
function writabilityOf(dir: string): unknown {
  let ancestor = dir;
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  try {
    accessSync(ancestor, constants.W_OK);
    return null;
  } catch (error) {
    return error;
  }
}

/** Whether the file starts like an SQLite database (true for an empty file: SQLite treats it as a new one). */
function checkHeader(path: string): Result<'empty' | 'sqlite', OpenFailure> {
  let fd: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile())
      return err({ kind: 'not-cntop', path, detail: stat.isDirectory() ? 'a directory' : 'not a regular file' });
    if (stat.size === 0) return ok('empty');
    fd = openSync(path, 'r');
  } catch (error) {
    return err(fsFailure(path, error));
  }
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n < head.length || head.toString('latin1') !== SQLITE_MAGIC)
      return err({ kind: 'not-cntop', path, detail: 'not an SQLite database' });
    return ok('sqlite');
  } finally {
    closeSync(fd);
  }
}

/** The schema version of a cntop database, 0 for an empty one, or why the file is not one this build can use. */
function identify(db: Db, path: string): Result<number, OpenFailure> {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
  if (appId !== APPLICATION_ID) {
    if (appId === 0 && tables.length === 0 && version === 0) return ok(0);
    const what =
      tables.length === 0
        ? 'an SQLite database of another program'
        : `an SQLite database with tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}`;
    return err({ kind: 'not-cntop', path, detail: what });
  }
  if (version > SCHEMA_VERSION) return err({ kind: 'newer-schema', path, version });
  if (version === SCHEMA_VERSION) {
    const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
    if (missing.length > 0) return err({ kind: 'not-cntop', path, detail: `damaged: no table ${missing.join(', ')}` });
  }
  return ok(version);
}

/** Who holds the lock, from the newest session still marked running ("pid 1234, since 12:00:01"). */
function lockHolder(path: string): string | null {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare('SELECT recorder_pid, started_ms FROM session WHERE stop_reason IS NULL ORDER BY id DESC LIMIT 1')
        .get() as { recorder_pid: number; started_ms: number } | undefined;
      return row === undefined ? null : `pid ${row.recorder_pid}, since ${new Date(row.started_ms).toISOString()}`;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Keeps the owner's bits only: a recording of root's view is readable by root alone. */
function restrictMode(path: string): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

export interface WriterDb {
  readonly db: Db;
  readonly path: string;
  /** True when this open created the file. */
  readonly created: boolean;
  /** Closes the database, then releases the lock. Idempotent. */
  close(): void;
}

export interface WriterOptions {
  /** SQLite page cache, KiB (the viewer keeps its memory small). Default 8192. */
  readonly cacheKiB?: number;
}

/**
 * Opens (creating when absent) a recording for writing. The directory is created 0700 and the file,
 * its WAL and shared-memory files and the lock file 0600. Refuses, with the cause and without writing
 * anything, a file that is not a cntop database, one of a newer schema, a path it cannot write, and a
 * file another recorder holds.
 */
export function openForWriting(pathArg: string, options: WriterOptions = {}): Result<WriterDb, OpenFailure> {
  const path = resolve(pathArg);
  const dir = dirname(path);
  // Whatever SQLite or we create from here on is private, even if a chmod below were to fail.
  const previousUmask = process.umask(0o077);
  try {
    return openLocked(path, dir, options);
  } finally {
    process.umask(previousUmask);
  }
}

function openLocked(path: string, dir: string, options: WriterOptions): Result<WriterDb, OpenFailure> {
  try {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return err(fsFailure(path, writabilityOf(dir) ?? error));
  }
  const existed = existsSync(path);
  if (existed) {
    const header = checkHeader(path);
    if (!header.ok) return header;
  }
  try {
    accessSync(dir, constants.W_OK);
    if (existed) accessSync(path, constants.W_OK);
  } catch (error) {
    return err(fsFailure(path, error));
  }
  const lockPath = lockPathOf(path);
  const lockExisted = existsSync(lockPath);
  let lock: Db;
  try {
    lock = new Database(lockPath, { timeout: 0 });
    // No journal: the lock file never holds data, only the lock (a journal file would stay beside it).
    lock.pragma('journal_mode = MEMORY');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    const failure = sqliteFailure(path, error);
    if (failure.kind === 'locked') return err({ kind: 'locked', path, holder: existed ? lockHolder(path) : null });
    if (!lockExisted) removeQuietly(lockPath);
    return err(failure.kind === 'io' ? fsFailure(path, error) : failure);
  }
  const releaseLock = (): void => {
    try {
      lock.close();
    } catch {
      // closing a connection whose file vanished: nothing left to release
    }
  };
  const fail = (failure: OpenFailure, created: boolean): Result<never, OpenFailure> => {
    releaseLock();
    if (!lockExisted) removeQuietly(lockPath);
    if (created) removeQuietly(path);
    return err(failure);
  };
  let created = false;
  if (!existed) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
      created = true;
    } catch (error) {
      return fail(fsFailure(path, error), false);
    }
  }
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 200 });
  } catch (error) {
    return fail(sqliteFailure(path, error), created);
  }
  try {
    const version = identify(db, path);
    if (!version.ok) {
      db.close();
      return fail(version.error, created);
    }
    if (version.value === 0) db.pragma('auto_vacuum = INCREMENTAL'); // only takes effect before the first table
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma(`cache_size = ${-(options.cacheKiB ?? 8192)}`);
    // The WAL is cut back to this after each checkpoint, so it never keeps a storm's worth of disk.
    db.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);
    migrate(db, version.value);
    for (const file of [path, `${path}-wal`, `${path}-shm`, lockPath]) restrictMode(file);
  } catch (error) {
    try {
      db.close();
    } catch {
      // already unusable
    }
    return fail(
      sqliteCode(error) === '' ? { kind: 'io', path, detail: messageOf(error) } : sqliteFailure(path, error),
      created,
    );
  }
  let closed = false;
  return ok({
    db,
    path,
    created,
    close() {
      if (closed) return;
      closed = true;
      try {
        // Back to a rollback journal: the file stands alone (no -wal or -shm), so it can be copied, and
        // read where nothing can be written (a read-only mount). Refused while a reader is attached: fine.
        db.pragma('journal_mode = DELETE');
      } catch {
        // a reader holds it, or the disk is full: it stays in WAL mode, which is valid too
      }
      try {
        db.close();
      } finally {
        releaseLock();
      }
    },
  });
}

/** Brings the schema from `from` to SCHEMA_VERSION in one transaction. */
function migrate(db: Db, from: number): void {
  if (from === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}

/**
 * Opens a recording read-only (query_only too): for `cntop query`, `snapshot --db`, `report`, `replay`.
 * Works while a recorder writes to it (WAL: readers see the last commit).
 */
export function openForReading(pathArg: string): Result<Db, OpenFailure> {
  const path = resolve(pathArg);
  if (!existsSync(path)) return err({ kind: 'missing', path });
  const header = checkHeader(path);
  if (!header.ok) return header;
  if (header.value === 'empty') return err({ kind: 'empty', path });
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 });
  } catch (error) {
    return err(sqliteFailure(path, error));
  }
  try {
    const version = identify(db, path);
    if (!version.ok) {
      db.close();
      return version;
    }
    if (version.value === 0) {
      db.close();
      return err({ kind: 'empty', path });
    }
    db.pragma('query_only = 1');
    return ok(db);
  } catch (error) {
    db.close();
    return err(sqliteFailure(path, error));
  }
}
