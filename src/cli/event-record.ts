// One connector event → the NDJSON object `cntop events --json` prints (schema in the README,
// "Event schema"). Pure: the model's knowledge comes in through EventContext.
import { decodeWaitStatus, signalName } from '../core/exit-status.js';
import { assertNever, type ProcEvent } from '../core/types.js';
import { lifetimeMs, type EventContext } from './event-context.js';
import { stringifySafe } from './json-safe.js';

export type EventRecord = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** Builds the JSON object for one event: common fields first, then the kind's own. */
export function toEventRecord(event: ProcEvent, context: EventContext): EventRecord {
  const common = {
    type: event.kind,
    time: new Date(event.timeMs + context.wallOffsetMs).toISOString(),
    pid: event.pid,
    tgid: event.tgid,
    cpu: event.cpu,
  };
  return { ...common, ...kindFields(event, context) };
}

function kindFields(event: ProcEvent, context: EventContext): EventRecord {
  switch (event.kind) {
    case 'fork':
      return { ppid: event.parentPid, parentTgid: event.parentTgid };
    case 'exec':
      return { ppid: context.lookup(event.tgid)?.ppid ?? null, comm: event.comm, cmdline: event.cmdline };
    case 'exit': {
      const status = decodeWaitStatus(event.exitCode);
      const facts = context.lookup(event.tgid);
      return {
        ppid: event.parentPid,
        parentTgid: event.parentTgid,
        exitCode: status.code,
        signal: status.signal === null ? null : signalName(status.signal),
        coreDumped: status.coreDumped,
        lifetimeMs: lifetimeMs(facts, event.timeMs),
        comm: facts?.comm ?? null,
        cmdline: facts?.cmdline ?? null,
      };
    }
    case 'comm':
      return { comm: event.comm };
    case 'uid':
      return { ruid: event.ruid, euid: event.euid };
    case 'gid':
      return { rgid: event.rgid, egid: event.egid };
    case 'sid':
      // setsid(2) makes the caller the leader of a new session whose id is its pid.
      return { sid: event.tgid };
    case 'ptrace':
      return { tracerPid: event.tracerPid, tracerTgid: event.tracerTgid, attached: event.tracerPid !== 0 };
    case 'coredump': {
      const facts = context.lookup(event.tgid);
      return { ppid: event.parentPid, parentTgid: event.parentTgid, comm: facts?.comm ?? null };
    }
    default:
      return assertNever(event);
  }
}

/** One NDJSON line (without the newline). */
export function toJsonLine(record: EventRecord): string {
  return stringifySafe(record);
}
