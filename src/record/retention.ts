// Retention: deletes the oldest data in small steps between two flushes, so that ingestion never
// waits for a long delete. Two limits: an age (--retain) and a size (--max-size, on the pages in use;
// freed pages are reused, and returned to the file system a little at a time).
import type { Db } from './open-db.js';

export interface RetentionPolicy {
  /** Keep this much history, ms; null: no age limit. */
  readonly retainMs: number | null;
  /** Keep the database's pages in use under this many bytes; null: no size limit. */
  readonly maxBytes: number | null;
}

export interface StepResult {
  /** Rows deleted by this step. */
  readonly deleted: number;
  /** Data before this wall ms is gone now (null: nothing deleted yet, ever). */
  readonly retainedFromMs: number | null;
}

/** Deletions start when the pages in use pass this share of --max-size (room for a few flushes). */
const SIZE_HIGH_WATER = 0.9;
/** Free pages beyond this share of the file are returned to the file system, a few at a time. */
const FREE_SHARE_TO_RETURN = 0.25;
const PAGES_RETURNED_PER_STEP = 256;

export class Retention {
  private readonly kthEnded;
  private readonly kthSample;
  private readonly kthHost;
  private readonly endedBefore;
  private readonly openOfStoppedBefore;
  private readonly deleteProcess;
  private readonly deleteExecs;
  private readonly deleteReparents;
  private readonly deleteSamples;
  private readonly deleteHosts;
  private readonly deleteCoverage;
  private readonly deleteSessions;
  private readonly setRetainedFrom;
  private readonly step: (cutoffMs: number, limit: number, currentSession: number) => number;
  private retainedFromMs: number | null;

  constructor(
    private readonly db: Db,
    private readonly policy: RetentionPolicy,
  ) {
    this.kthEnded = db.prepare('SELECT end_ms FROM process WHERE end_ms < ? ORDER BY end_ms LIMIT 1 OFFSET ?').pluck();
    this.kthSample = db.prepare('SELECT t_ms FROM sample WHERE t_ms < ? ORDER BY t_ms LIMIT 1 OFFSET ?').pluck();
    this.kthHost = db.prepare('SELECT t_ms FROM host WHERE t_ms < ? ORDER BY t_ms LIMIT 1 OFFSET ?').pluck();
    this.endedBefore = db.prepare('SELECT id FROM process WHERE end_ms < ?').pluck();
    this.openOfStoppedBefore = db
      .prepare(
        `SELECT id FROM process WHERE (end_ms IS NULL OR end_ms - start_ms > 3600000) AND end_ms IS NULL
           AND session IN (SELECT id FROM session WHERE ended_ms < ? AND id <> ?)`,
      )
      .pluck();
    this.deleteProcess = db.prepare('DELETE FROM process WHERE id = ?');
    this.deleteExecs = db.prepare('DELETE FROM exec WHERE process = ?');
    this.deleteReparents = db.prepare('DELETE FROM reparent WHERE process = ?');
    this.deleteSamples = db.prepare('DELETE FROM sample WHERE t_ms < ?');
    this.deleteHosts = db.prepare('DELETE FROM host WHERE t_ms < ?');
    this.deleteCoverage = db.prepare('DELETE FROM coverage WHERE end_ms < ?');
    this.deleteSessions = db.prepare('DELETE FROM session WHERE ended_ms < ? AND id <> ?');
    this.setRetainedFrom = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('retained_from_ms', ?)");
    const stored = db.prepare("SELECT value FROM meta WHERE key = 'retained_from_ms'").pluck().get() as
      string | undefined;
    this.retainedFromMs = stored === undefined ? null : Number(stored);
    this.step = db.transaction((cutoffMs: number, limit: number, currentSession: number) =>
      this.deleteBefore(cutoffMs, limit, currentSession),
    );
  }

  get active(): boolean {
    return this.policy.retainMs !== null || this.policy.maxBytes !== null;
  }

  /** Bytes of the pages in use (the file may be larger by its free pages). */
  usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /**
   * One small step: deletes about `limit` of the oldest lifetimes (and as many samples, and host rows)
   * older than the age limit, or, while the size limit is passed, the oldest of all.
   */
  run(nowWallMs: number, limit: number, currentSession: number): StepResult {
    let deleted = 0;
    if (this.policy.retainMs !== null)
      deleted += this.step(Math.floor(nowWallMs - this.policy.retainMs), limit, currentSession);
    if (this.policy.maxBytes !== null && deleted === 0 && this.usedBytes() > this.policy.maxBytes * SIZE_HIGH_WATER) {
      deleted += this.step(Math.floor(nowWallMs), limit, currentSession);
    }
    if (deleted > 0) this.returnFreePages();
    return { deleted, retainedFromMs: this.retainedFromMs };
  }

  /**
   * Deletes everything older than a time t <= cutoffMs chosen so that the step stays small: no later
   * than the limit-th oldest lifetime's end, the (4 x limit)-th oldest sample or the limit-th host row.
   * Everything before t is then gone, so t is where the data starts.
   */
  private deleteBefore(cutoffMs: number, limit: number, currentSession: number): number {
    let t = cutoffMs;
    const bound = (kth: number | undefined): void => {
      if (kth !== undefined && kth < t) t = kth;
    };
    bound(this.kthEnded.get(cutoffMs, limit) as number | undefined);
    bound(this.kthSample.get(cutoffMs, limit * 4) as number | undefined);
    bound(this.kthHost.get(cutoffMs, limit) as number | undefined);
    // Rows sharing the oldest millisecond (a flush's samples) go together, or the step would never move.
    if (t < cutoffMs) t += 1;
    const ids = [
      ...(this.endedBefore.all(t) as number[]),
      ...(this.openOfStoppedBefore.all(t, currentSession) as number[]),
    ];
    for (const id of ids) {
      this.deleteExecs.run(id);
      this.deleteReparents.run(id);
      this.deleteProcess.run(id);
    }
    let deleted = ids.length;
    deleted += this.deleteSamples.run(t).changes;
    deleted += this.deleteHosts.run(t).changes;
    deleted += this.deleteCoverage.run(t).changes;
    deleted += this.deleteSessions.run(t, currentSession).changes;
    if (deleted > 0 && (this.retainedFromMs === null || t > this.retainedFromMs)) {
      this.retainedFromMs = t;
      this.setRetainedFrom.run(String(t));
    }
    return deleted;
  }

  /** Gives free pages back to the file system in small steps once many are free (auto_vacuum = INCREMENTAL). */
  private returnFreePages(): void {
    if (this.policy.maxBytes !== null) return; // under a size cap, free pages are the room the next rows reuse
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    if (free > pages * FREE_SHARE_TO_RETURN) this.db.pragma(`incremental_vacuum(${PAGES_RETURNED_PER_STEP})`);
  }
}
