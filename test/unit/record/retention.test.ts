// Retention deletes the oldest data a bounded step at a time, says where the data now starts, and
// keeps processes that are still running however old their start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openForWriting, type WriterDb } from '../../../src/record/open-db.js';
import { Retention } from '../../../src/record/retention.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.reverse()) fn();
  cleanup = [];
});

const HOUR = 3_600_000;
const NOW = 1_800_000_000_000;

/** A recording of `hours` hours before NOW: one session, 100 exits and 100 samples an hour, one process running throughout. */
function filled(hours: number): WriterDb {
  const dir = mkdtempSync(join(tmpdir(), 'cntop-ret-'));
  const opened = openForWriting(join(dir, 'rec.db'));
  if (!opened.ok) throw new Error(opened.error.kind);
  cleanup.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => opened.value.close(),
  );
  const db = opened.value.db;
  const start = NOW - hours * HOUR;
  db.prepare(
    'INSERT INTO session (id, started_ms, ended_ms, mono_offset_ms, recorder_pid, sample_ms) VALUES (1, ?, ?, 0, 1, 10000)',
  ).run(start, NOW);
  const process = db.prepare(
    'INSERT INTO process (id, session, pid, ppid, start_ms, start_exact, end_ms, comm, uid, kthread) VALUES (?, 1, ?, 1, ?, 1, ?, ?, 0, 0)',
  );
  const exec = db.prepare('INSERT INTO exec (process, t_ms, comm) VALUES (?, ?, ?)');
  const sample = db.prepare(
    "INSERT INTO sample (process, t_ms, cpu_ms, rss_kib, state, threads) VALUES (1, ?, 0, 0, 'S', 1)",
  );
  db.transaction(() => {
    process.run(1, 1, start - HOUR, null, 'daemon');
    for (let i = 0; i < hours * 100; i++) {
      const t = start + (i * HOUR) / 100;
      process.run(i + 2, 1000 + i, t, t + 10, 'job');
      exec.run(i + 2, t + 1, 'job');
      sample.run(t);
    }
  })();
  return opened.value;
}

const count = (w: WriterDb, table: string): number =>
  w.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('retention', () => {
  it('deletes what is older than --retain in steps of about the limit, and records where the data starts', () => {
    const w = filled(10);
    const retention = new Retention(w.db, { retainMs: 4 * HOUR, maxBytes: null });
    const first = retention.run(NOW, 100, 1);
    // One step: at most the limit of lifetimes (plus their execs), the rest waits for the next steps.
    expect(count(w, 'process')).toBeGreaterThanOrEqual(1001 - 101);
    expect(first.deleted).toBeGreaterThan(0);
    let steps = 1;
    while (retention.run(NOW, 100, 1).deleted > 0) steps++;
    expect(steps).toBeGreaterThanOrEqual(6);
    expect(
      w.db.prepare('SELECT min(end_ms) FROM process WHERE end_ms IS NOT NULL').pluck().get(),
    ).toBeGreaterThanOrEqual(NOW - 4 * HOUR);
    expect(count(w, 'process')).toBe(1 + 400);
    expect(count(w, 'exec')).toBe(400);
    expect(count(w, 'sample')).toBe(400);
    // The daemon started before everything and still runs: it stays.
    expect(w.db.prepare('SELECT comm FROM process WHERE id = 1').pluck().get()).toBe('daemon');
    expect(Number(w.db.prepare("SELECT value FROM meta WHERE key = 'retained_from_ms'").pluck().get())).toBe(
      NOW - 4 * HOUR,
    );
  });

  it('keeps the pages in use under --max-size, oldest first', () => {
    const w = filled(40);
    const retention = new Retention(w.db, { retainMs: null, maxBytes: 256 * 1024 });
    expect(retention.usedBytes()).toBeGreaterThan(256 * 1024);
    for (let i = 0; i < 200 && retention.run(NOW, 200, 1).deleted > 0; i++);
    expect(retention.usedBytes()).toBeLessThanOrEqual(256 * 1024 * 0.9);
    const oldest = w.db.prepare('SELECT min(end_ms) FROM process').pluck().get() as number;
    const newest = w.db.prepare('SELECT max(end_ms) FROM process').pluck().get() as number;
    expect(newest).toBe(NOW - HOUR / 100 + 10);
    expect(oldest).toBeGreaterThan(NOW - 40 * HOUR);
  });
});
