import { describe, expect, it } from 'vitest';
import { describeMissingSqlite } from '../../../src/cli/missing-sqlite.js';

describe('describeMissingSqlite', () => {
  it('explains a better-sqlite3 that npm left out', async () => {
    // A real resolution failure of the same shape: a package that is not installed.
    // A string variable, not a literal, so the type checker does not try to resolve it.
    const absent: string = 'better-sqlite3-not-installed-here';
    const error: unknown = await import(absent).catch((e: unknown) => e);
    const shaped = Object.assign(
      new Error((error as Error).message.replace('better-sqlite3-not-installed-here', 'better-sqlite3')),
      { code: (error as { code?: string }).code },
    );
    expect(describeMissingSqlite(shaped)).toMatch(/optional package better-sqlite3.*install cntop again/);
  });

  it('explains a better-sqlite3 whose native module was never built', () => {
    expect(
      describeMissingSqlite(new Error('Could not locate the bindings file. Tried: → …/build/better_sqlite3.node')),
    ).toMatch(/did not install here/);
  });

  it('leaves other errors alone', () => {
    expect(
      describeMissingSqlite(
        Object.assign(new Error("Cannot find package 'blessed'"), { code: 'ERR_MODULE_NOT_FOUND' }),
      ),
    ).toBeNull();
    expect(describeMissingSqlite(new Error('SQLITE_BUSY: database is locked'))).toBeNull();
  });
});
