// The exporter's counts of process starts and ends, by command: fed with the engine's event batches
// and accounted exits (never with /proc samples), so a process that lived a millisecond is counted.
// Pure: time comes in as an argument. The bounding of the command label lives in command-slots.ts.
//
// Monotonic by construction: every count only grows. A command that loses its slot stops being
// exposed (its series ends) and its later events go to `other`; what it had counted is kept, and if
// it wins a slot back its series resumes from there, so no series ever goes down or restarts at 0
// (a restart would make Prometheus's rate() under-count). Only after many other evictions (maxFrozen)
// is a quiet command's past forgotten.
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import { PROC_EVENT_KINDS, type Pid, type ProcEvent, type ProcEventKind } from '../core/types.js';
import { OTHER_COMMAND, commandLabel } from './command-label.js';
import { CommandSlots, slotOptions, type CommandSlotOptions } from './command-slots.js';
import { exitOutcome, type ExitOutcome } from './exit-outcome.js';

export interface CommandCounts {
  /** Execs under this name. */
  starts: number;
  /** Process ends by how they ended. */
  readonly exits: Record<ExitOutcome, number>;
  /** User + system CPU of the ended processes whose taskstats record came, in seconds. */
  cpuSeconds: number;
}

/** An exec whose name the reader could not read (the process was already gone): named by its exit. */
const UNNAMED_WAIT_MS = 10_000;
const MAX_UNNAMED = 4096;

export class ProcessCounters {
  readonly slots: CommandSlots;
  /** Commands with a series of their own, in the order they got it. */
  private readonly own = new Map<string, CommandCounts>();
  /** Counts of commands that lost their slot, oldest eviction first, kept to resume them. */
  private readonly frozen = new Map<string, CommandCounts>();
  private readonly maxFrozen: number;
  readonly other: CommandCounts = zeroCounts();
  readonly eventsByKind: Record<ProcEventKind, number> = Object.fromEntries(
    PROC_EVENT_KINDS.map((k) => [k, 0]),
  ) as Record<ProcEventKind, number>;
  /** Execs without a name yet, by pid, with when they came. */
  private readonly unnamed = new Map<Pid, number>();

  constructor(maxCommands: number, options: CommandSlotOptions = slotOptions(maxCommands)) {
    this.slots = new CommandSlots(options);
    this.maxFrozen = Math.max(1024, 16 * options.maxCommands);
  }

  /** A batch of events as the engine applied it: counts each by kind, and each exec as a start. */
  countEvents(events: readonly ProcEvent[], nowMs: number): void {
    for (const event of events) {
      this.eventsByKind[event.kind]++;
      if (event.kind !== 'exec') continue;
      const name = commandLabel(event.comm);
      if (name !== null) this.countsFor(name, nowMs).starts++;
      else this.waitForName(event.tgid, nowMs);
    }
    this.expireUnnamed(nowMs);
  }

  /** Process ends once accounted: by name and outcome, with their CPU when a record came. */
  countExits(exits: readonly AccountedExit[], nowMs: number): void {
    for (const exit of exits) {
      const ended = exit.process;
      if (ended === null) continue; // a thread's own exit: not a process end
      const name = commandLabel(ended.comm);
      if (this.unnamed.delete(ended.pid)) this.countsFor(name, nowMs).starts++;
      // Found gone by a /proc scan (events were lost): not an event, and its status may be unknown.
      if (exit.event === null) continue;
      const outcome = exitOutcome(ended.status);
      if (outcome === null) continue;
      const counts = this.countsFor(name, nowMs);
      counts.exits[outcome]++;
      if (exit.accounting !== null) counts.cpuSeconds += exit.accounting.cpuMs / 1000;
    }
    this.expireUnnamed(nowMs);
  }

  /** Every series to expose: the commands with a slot, then `other`. */
  series(): readonly (readonly [command: string, counts: Readonly<CommandCounts>])[] {
    return [...this.own.entries(), [OTHER_COMMAND, this.other]];
  }

  private countsFor(name: string | null, nowMs: number): CommandCounts {
    // A process really named "other" is counted in the `other` series: it never gets a slot of its own.
    if (name === null || name === OTHER_COMMAND) return this.other;
    const verdict = this.slots.touch(name, nowMs);
    if (verdict.evicted !== null) this.freeze(verdict.evicted);
    if (verdict.admitted) {
      this.own.set(name, this.frozen.get(name) ?? zeroCounts());
      this.frozen.delete(name);
    }
    return verdict.holds ? (this.own.get(name) ?? this.other) : this.other;
  }

  private freeze(command: string): void {
    const counts = this.own.get(command);
    if (counts === undefined) return;
    this.own.delete(command);
    this.frozen.set(command, counts);
    if (this.frozen.size > this.maxFrozen) this.frozen.delete(this.frozen.keys().next().value as string);
  }

  private waitForName(pid: Pid, nowMs: number): void {
    if (this.unnamed.has(pid)) this.other.starts++; // exec again before the exit named the first one
    this.unnamed.delete(pid);
    this.unnamed.set(pid, nowMs);
    if (this.unnamed.size > MAX_UNNAMED) {
      this.unnamed.delete(this.unnamed.keys().next().value as Pid);
      this.other.starts++;
    }
  }

  /** Execs whose exit never named them (e.g. the exit was lost): counted, under `other`. */
  private expireUnnamed(nowMs: number): void {
    for (const [pid, atMs] of this.unnamed) {
      if (nowMs - atMs < UNNAMED_WAIT_MS) break; // insertion order is time order
      this.unnamed.delete(pid);
      this.other.starts++;
    }
  }
}

function zeroCounts(): CommandCounts {
  return { starts: 0, exits: { ok: 0, failed: 0, signaled: 0 }, cpuSeconds: 0 };
}
