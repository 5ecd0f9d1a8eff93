// `cntop query PATH "SQL"`: one read-only statement over a recording (the connection itself is
// read-only and query_only), its rows as they come.
import { err, ok, type Result } from '../core/types.js';
import type { Db } from './open-db.js';

export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: Iterable<readonly unknown[]>;
}

/** Prepares one statement; a write, or a statement that returns no rows, is refused with the reason. */
export function prepareQuery(db: Db, sql: string): Result<QueryRows, string> {
  let statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
  if (!statement.reader)
    return err('the recording is opened read-only: only statements that return rows (SELECT, WITH, PRAGMA …) run');
  const columns = statement.columns().map((c) => c.name);
  return ok({ columns, rows: statement.raw(true).iterate() as Iterable<unknown[]> });
}
