// Which commands get a series of their own: at most N, the most active, the rest counted as `other`.
// Pure: activity is a count of events that halves every halfLifeMs, kept for a bounded set of names.
//
// Why slots are sticky, and taken over only by a clearly busier command: a series that changes
// hands disappears from the exposition, and one that flaps in and out churns Prometheus's index. So
// a command takes a free slot at its first event; once all are taken, a command only takes over when
// its recent activity is at least minChallengerScore and more than takeoverRatio times the weakest
// holder's. A storm of names that each run once never takes a slot, and never causes churn.
// What the evicted command had counted is kept by the caller (process-counters.ts) and resumed.

/** Commands with a series of their own unless --max-commands says otherwise, and the most it may say. */
export const DEFAULT_MAX_COMMANDS = 50;
export const MAX_MAX_COMMANDS = 1000;

export interface CommandSlotOptions {
  /** N: commands with a series of their own. */
  readonly maxCommands: number;
  /** Activity halves over this long without events. */
  readonly halfLifeMs: number;
  /** Recent events a command needs before it may take over a slot (a one-off never does). */
  readonly minChallengerScore: number;
  /** A challenger takes over only when busier than the weakest holder by this factor (no flapping). */
  readonly takeoverRatio: number;
  /** Names whose activity is tracked (holders included); beyond it the least active others are forgotten. */
  readonly maxTracked: number;
}

export function slotOptions(maxCommands: number): CommandSlotOptions {
  return {
    maxCommands,
    halfLifeMs: 5 * 60_000,
    minChallengerScore: 3,
    takeoverRatio: 2,
    maxTracked: Math.max(256, 8 * maxCommands),
  };
}

/** What one event did to the slots. */
export interface SlotVerdict {
  /** The command holds a slot now: count it under its own name. */
  readonly holds: boolean;
  /** It took a slot with this event. */
  readonly admitted: boolean;
  /** The holder it took the slot from, or null. */
  readonly evicted: string | null;
}

interface Activity {
  score: number;
  atMs: number;
}

const HOLDS: SlotVerdict = { holds: true, admitted: false, evicted: null };
const OUTSIDE: SlotVerdict = { holds: false, admitted: false, evicted: null };

export class CommandSlots {
  private readonly holders = new Set<string>();
  private readonly activity = new Map<string, Activity>();
  /** Slots that changed hands since the start. */
  evictions = 0;

  constructor(private readonly options: CommandSlotOptions) {
    if (!Number.isInteger(options.maxCommands) || options.maxCommands < 1)
      throw new Error(`maxCommands must be a positive integer, got ${options.maxCommands}`);
  }

  get holderCount(): number {
    return this.holders.size;
  }

  /** Names whose activity is tracked now (at most maxTracked). */
  get trackedCount(): number {
    return this.activity.size;
  }

  /** Records one event of command at nowMs and says where it is counted. */
  touch(command: string, nowMs: number): SlotVerdict {
    const score = this.bump(command, nowMs);
    if (this.holders.has(command)) return HOLDS;
    if (this.holders.size < this.options.maxCommands) {
      this.holders.add(command);
      return { holds: true, admitted: true, evicted: null };
    }
    if (score < this.options.minChallengerScore) return OUTSIDE;
    const weakest = this.weakestHolder(nowMs);
    if (weakest === null || score <= this.options.takeoverRatio * weakest.score) return OUTSIDE;
    this.holders.delete(weakest.command);
    this.holders.add(command);
    this.evictions++;
    return { holds: true, admitted: true, evicted: weakest.command };
  }

  /** The command's activity now (events, halved every halfLifeMs); 0 when not tracked. */
  scoreOf(command: string, nowMs: number): number {
    const entry = this.activity.get(command);
    return entry === undefined ? 0 : this.decayed(entry, nowMs);
  }

  private bump(command: string, nowMs: number): number {
    let entry = this.activity.get(command);
    if (entry === undefined) {
      if (this.activity.size >= this.options.maxTracked) this.forgetQuietest(nowMs);
      entry = { score: 0, atMs: nowMs };
      this.activity.set(command, entry);
    }
    entry.score = this.decayed(entry, nowMs) + 1;
    entry.atMs = nowMs;
    return entry.score;
  }

  private decayed(entry: Activity, nowMs: number): number {
    const ageMs = Math.max(0, nowMs - entry.atMs);
    return entry.score * Math.pow(2, -ageMs / this.options.halfLifeMs);
  }

  private weakestHolder(nowMs: number): { command: string; score: number } | null {
    let weakest: { command: string; score: number } | null = null;
    for (const command of this.holders) {
      const score = this.scoreOf(command, nowMs);
      if (weakest === null || score < weakest.score) weakest = { command, score };
    }
    return weakest;
  }

  /**
   * Forgets the quieter half of the names without a slot, at once: one sort per many new names, so a
   * storm of random names costs O(log n) per event, not a scan per event.
   */
  private forgetQuietest(nowMs: number): void {
    const others = [...this.activity.entries()].filter(([command]) => !this.holders.has(command));
    others.sort((a, b) => this.decayed(a[1], nowMs) - this.decayed(b[1], nowMs));
    const drop = Math.max(1, Math.ceil(others.length / 2));
    for (const [command] of others.slice(0, drop)) this.activity.delete(command);
  }
}
