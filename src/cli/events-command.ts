// `cntop events`: streams the engine's event batches to stdout, one line (or one NDJSON object)
// per event, one write per batch. Exits are written when the engine has joined them with their
// accounting (the kernel's taskstats record: name, CPU, peak memory), at most a short wait after the
// event. Knows nothing of the kernel: it reads an EngineView.
import type { AccountedExit } from '../core/accounting/exit-accountant.js';
import type { EngineView } from '../core/engine-api.js';
import type { Pid, ProcEvent } from '../core/types.js';
import { isThread } from '../core/describe/event-description.js';
import { wallOffsetMs, type EventContext, type ProcessFacts } from './event-context.js';
import { EVENT_HEADER, formatEventLine } from './event-line.js';
import { toEventJsonLine } from './event-record.js';

export interface EventsStreamOptions {
  readonly json: boolean;
  readonly threads: boolean;
  /** Receives whole batches; one call per batch keeps NDJSON consumers from seeing half a batch. */
  readonly write: (chunk: string) => void;
  /** CLOCK_MONOTONIC in ms, the clock of ProcEvent.timeMs. */
  readonly monotonicNowMs: () => number;
  readonly wallNowMs: () => number;
}

/** Subscribes to the engine and writes every batch and every accounted exit; returns the unsubscribe function. */
export function streamEvents(engine: EngineView, options: EventsStreamOptions): () => void {
  const writer = createBatchWriter(engine, options);
  const offEvents = engine.onEvents(writer.events);
  const offExits = engine.onAccountedExits(writer.exits);
  return () => {
    offEvents();
    offExits();
  };
}

export interface BatchWriter {
  /** Writes a batch of events, all but the exits (one write). */
  readonly events: (events: readonly ProcEvent[]) => void;
  /** Writes exits the engine has accounted (one write). */
  readonly exits: (exits: readonly AccountedExit[]) => void;
}

/**
 * Listeners that write what they are given (one write per call), after writing the text header once.
 * main.ts also feeds them what the engine delivered while seeding, before the engine was handed over.
 */
export function createBatchWriter(engine: EngineView, options: EventsStreamOptions): BatchWriter {
  if (!options.json) options.write(`${EVENT_HEADER}\n`);
  const write = (chunk: string): void => {
    if (chunk !== '') options.write(chunk);
  };
  return {
    events: (events) => write(formatBatch(events, engine, options)),
    exits: (exits) => write(formatExits(exits, engine, options)),
  };
}

function contextOf(engine: EngineView, options: EventsStreamOptions): EventContext {
  return {
    wallOffsetMs: wallOffsetMs(options.wallNowMs(), options.monotonicNowMs()),
    lookup: (tgid) => lookupProcess(engine, tgid),
  };
}

/** The text of one batch without its exits (they follow with their accounting), filtered; '' when nothing in it is shown. */
export function formatBatch(events: readonly ProcEvent[], engine: EngineView, options: EventsStreamOptions): string {
  const context = contextOf(engine, options);
  const format = options.json ? toEventJsonLine : formatEventLine;
  let chunk = '';
  for (const event of events) {
    if (event.kind === 'exit' || (!options.threads && isThread(event))) continue;
    chunk += `${format(event, context)}\n`;
  }
  return chunk;
}

/** The lines of exits the engine has accounted (those found by a /proc scan, with no event, are not events). */
export function formatExits(exits: readonly AccountedExit[], engine: EngineView, options: EventsStreamOptions): string {
  const context = contextOf(engine, options);
  const format = options.json ? toEventJsonLine : formatEventLine;
  let chunk = '';
  for (const { event, accounting } of exits) {
    if (event === null || (!options.threads && isThread(event))) continue;
    chunk += `${format(event, context, accounting)}\n`;
  }
  return chunk;
}

/**
 * What the model knows about a process. A live entry answers directly. For one that has exited
 * (a tombstone, or already swept) the newest entry of the exited ring answers, because the ring
 * knows whether the start time was observed (lifetime) or only estimated (no lifetime). The engine
 * applies a batch before calling its listeners, so a process born and gone within one batch is found.
 */
export function lookupProcess(engine: Pick<EngineView, 'processes' | 'lastExit'>, tgid: Pid): ProcessFacts | null {
  // Live entries and ring entries already have the four facts' fields: handed out as they are (read
  // only), with no copy per event.
  const entry = engine.processes.get(tgid);
  if (entry !== undefined && entry.exitMs === null) return entry;
  const gone = engine.lastExit(tgid);
  if (gone !== undefined) return gone;
  if (entry === undefined) return null;
  return { comm: entry.comm, cmdline: entry.cmdline, ppid: entry.ppid, startMs: null };
}

/**
 * Why `events` cannot stream honestly, or null when it can. Polling would miss every process that
 * lives between two scans, so `events` refuses it rather than print a stream with silent holes.
 */
export function eventsUnavailableReason(engine: EngineView): string | null {
  const status = engine.status;
  if (status.mode === 'netlink') return null;
  return status.pollingReason ?? 'the process connector is not available';
}

/** A warning for stderr when the LISTEN went unanswered or was refused: events may or may not flow. */
export function eventsStartWarning(engine: EngineView): string | null {
  const start = engine.status.start;
  if (start === null) return null;
  const hint = "events may not arrive (run 'cntop doctor' to find out why)";
  if (start.ack === null) return `warning: the kernel did not acknowledge cntop's LISTEN; ${hint}`;
  if (start.ack.err !== 0) return `warning: the kernel answered cntop's LISTEN with error ${start.ack.err}; ${hint}`;
  return null;
}
