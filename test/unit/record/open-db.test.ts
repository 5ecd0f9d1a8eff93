// Opening a recording: created private, refused (with the cause, and untouched) when it is not one,
// when a newer cntop wrote it, when another recorder holds it; read-only readers can write nothing.
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeOpenFailure, openForReading, openForWriting, type WriterDb } from '../../../src/record/open-db.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/record/schema.js';

let dirs: string[] = [];
let writers: WriterDb[] = [];
afterEach(() => {
  for (const w of writers) w.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  writers = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-open-'));
  dirs.push(dir);
  return dir;
}

function open(path: string): WriterDb {
  const result = openForWriting(path);
  if (!result.ok) throw new Error(describeOpenFailure(result.error));
  writers.push(result.value);
  return result.value;
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('openForWriting', () => {
  it('creates the directory 0700 and the database, its WAL, shared memory and lock 0600, with the schema', () => {
    const path = join(tempDir(), 'deep', 'er', 'rec.db');
    const writer = open(path);
    expect(writer.created).toBe(true);
    expect(mode(join(path, '..'))).toBe(0o700);
    expect(mode(join(path, '..', '..'))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-lock`]) expect(mode(file), file).toBe(0o600);
    expect(writer.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(writer.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(writer.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('makes an existing recording private again and opens it without rewriting it', () => {
    const path = join(tempDir(), 'rec.db');
    open(path).db.prepare("INSERT INTO meta (key, value) VALUES ('mark', 'kept')").run();
    writers.pop()?.close();
    chmodSync(path, 0o644);
    const again = open(path);
    expect(again.created).toBe(false);
    expect(mode(path)).toBe(0o600);
    expect(again.db.prepare("SELECT value FROM meta WHERE key = 'mark'").pluck().get()).toBe('kept');
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const path = join(tempDir(), 'notes.txt');
    writeFileSync(path, 'my notes\n');
    const result = openForWriting(path);
    expect(result).toMatchObject({ ok: false, error: { kind: 'not-cntop', detail: 'not an SQLite database' } });
    if (!result.ok) expect(describeOpenFailure(result.error)).toContain('is not a cntop recording');
    expect(readFileSync(path, 'utf8')).toBe('my notes\n');
    expect(() => statSync(`${path}-lock`)).toThrow();
  });

  it("refuses another program's SQLite database, naming its tables", () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (id INTEGER)');
    other.close();
    const before = readFileSync(path);
    const result = openForWriting(path);
    expect(result).toMatchObject({ ok: false, error: { kind: 'not-cntop' } });
    if (!result.ok) expect(describeOpenFailure(result.error)).toContain('invoices');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a recording of a newer schema, for writing and for reading', () => {
    const path = join(tempDir(), 'future.db');
    open(path);
    writers.pop()?.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    for (const result of [openForWriting(path), openForReading(path)]) {
      expect(result).toMatchObject({ ok: false, error: { kind: 'newer-schema', version: SCHEMA_VERSION + 1 } });
      if (!result.ok)
        expect(describeOpenFailure(result.error)).toMatch(
          new RegExp(`newer cntop .*schema version ${SCHEMA_VERSION + 1}`),
        );
    }
  });

  it('refuses a second writer of the same file, naming the first', () => {
    const path = join(tempDir(), 'rec.db');
    const first = open(path);
    first.db
      .prepare(
        'INSERT INTO session (started_ms, ended_ms, mono_offset_ms, recorder_pid, sample_ms) VALUES (0, 0, 0, 4242, 10000)',
      )
      .run();
    const second = openForWriting(path);
    expect(second).toMatchObject({ ok: false, error: { kind: 'locked' } });
    if (!second.ok) expect(describeOpenFailure(second.error)).toContain('pid 4242');
    first.close();
    writers = [];
    open(path); // free again once the first let go
  });
});

describe('openForReading', () => {
  it('says when there is no recording, or an empty file', () => {
    const dir = tempDir();
    expect(openForReading(join(dir, 'none.db'))).toMatchObject({ ok: false, error: { kind: 'missing' } });
    writeFileSync(join(dir, 'empty.db'), '');
    expect(openForReading(join(dir, 'empty.db'))).toMatchObject({ ok: false, error: { kind: 'empty' } });
  });

  it('reads while a writer holds the file, and cannot write', () => {
    const path = join(tempDir(), 'rec.db');
    open(path);
    const reader = openForReading(path);
    if (!reader.ok) throw new Error(describeOpenFailure(reader.error));
    expect(reader.value.prepare('SELECT count(*) FROM process').pluck().get()).toBe(0);
    expect(() => reader.value.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run()).toThrow(/readonly/);
    reader.value.close();
  });
});
