// One connector event → the NDJSON object `cntop events --json` prints (schema in the README,
// "Event schema"), as an object (toEventRecord) or straight as its JSON text (toEventJsonLine, the hot
// path: no object per event). Pure: the model's knowledge comes in through EventContext.
import type { ExitAccounting } from '../core/accounting/task-record.js';
import { decodeWaitStatus, signalName } from '../core/exit-status.js';
import { assertNever, type ExitEvent, type ProcEvent } from '../core/types.js';
import { lifetimeMs, type EventContext, type ProcessFacts } from './event-context.js';
import { escapeRawUnsafe, stringifySafe } from './json-safe.js';

export type EventRecord = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** Builds the JSON object for one event: common fields first, then the kind's own. */
export function toEventRecord(
  event: ProcEvent,
  context: EventContext,
  accounting: ExitAccounting | null = null,
): EventRecord {
  // One literal per kind (no spread of a common part): the object is built in one shape, in order.
  const time = isoTime(event.timeMs + context.wallOffsetMs);
  const { pid, tgid, cpu } = event;
  switch (event.kind) {
    case 'fork':
      return { type: 'fork', time, pid, tgid, cpu, ppid: event.parentPid, parentTgid: event.parentTgid };
    case 'exec': {
      const ppid = context.lookup(event.tgid)?.ppid ?? null;
      return { type: 'exec', time, pid, tgid, cpu, ppid, comm: event.comm, cmdline: event.cmdline };
    }
    case 'exit': {
      const status = decodeWaitStatus(event.exitCode);
      const facts = context.lookup(event.tgid);
      return {
        type: 'exit',
        time,
        pid,
        tgid,
        cpu,
        ...exitParent(event, facts),
        exitCode: status.code,
        signal: status.signal === null ? null : signalName(status.signal),
        coreDumped: status.coreDumped,
        lifetimeMs: lifetimeMs(facts, event.timeMs),
        comm: exitComm(facts, accounting),
        cmdline: facts?.cmdline ?? null,
        cpuMs: accounting?.cpuMs ?? null,
        userMs: accounting?.userMs ?? null,
        systemMs: accounting?.systemMs ?? null,
        peakRssKiB: accounting?.peakRssKiB ?? null,
        readBytes: accounting?.readBytes ?? null,
        writeBytes: accounting?.writeBytes ?? null,
        minorFaults: accounting?.minorFaults ?? null,
        majorFaults: accounting?.majorFaults ?? null,
        voluntarySwitches: accounting?.voluntarySwitches ?? null,
        involuntarySwitches: accounting?.involuntarySwitches ?? null,
      };
    }
    case 'comm':
      return { type: 'comm', time, pid, tgid, cpu, comm: event.comm };
    case 'uid':
      return { type: 'uid', time, pid, tgid, cpu, ruid: event.ruid, euid: event.euid };
    case 'gid':
      return { type: 'gid', time, pid, tgid, cpu, rgid: event.rgid, egid: event.egid };
    case 'sid':
      // setsid(2) makes the caller the leader of a new session whose id is its pid.
      return { type: 'sid', time, pid, tgid, cpu, sid: event.tgid };
    case 'ptrace': {
      const { tracerPid, tracerTgid } = event;
      return { type: 'ptrace', time, pid, tgid, cpu, tracerPid, tracerTgid, attached: tracerPid !== 0 };
    }
    case 'coredump': {
      const comm = context.lookup(event.tgid)?.comm ?? null;
      return { type: 'coredump', time, pid, tgid, cpu, ppid: event.parentPid, parentTgid: event.parentTgid, comm };
    }
    default:
      return assertNever(event);
  }
}

/** One NDJSON line (without the newline). */
export function toJsonLine(record: EventRecord): string {
  return stringifySafe(record);
}

/**
 * The same line as toJsonLine(toEventRecord(event, context)), byte for byte, written as text
 * directly: a storm prints tens of thousands of events a second, and an object per event plus its
 * serialisation cost more CPU than the engine that received it. Strings still go through JSON.stringify.
 */
export function toEventJsonLine(
  event: ProcEvent,
  context: EventContext,
  accounting: ExitAccounting | null = null,
): string {
  const head = `{"type":"${event.kind}","time":"${isoTime(event.timeMs + context.wallOffsetMs)}","pid":${num(event.pid)},"tgid":${num(event.tgid)},"cpu":${num(event.cpu)}`;
  return `${head}${kindJson(event, context, accounting)}}`;
}

function kindJson(event: ProcEvent, context: EventContext, accounting: ExitAccounting | null): string {
  switch (event.kind) {
    case 'fork':
      return `,"ppid":${num(event.parentPid)},"parentTgid":${num(event.parentTgid)}`;
    case 'exec':
      return `,"ppid":${num(context.lookup(event.tgid)?.ppid ?? null)},"comm":${str(event.comm)},"cmdline":${strings(event.cmdline)}`;
    case 'exit': {
      const status = decodeWaitStatus(event.exitCode);
      const facts = context.lookup(event.tgid);
      const signal = status.signal === null ? 'null' : str(signalName(status.signal));
      const parent = exitParent(event, facts);
      const a = accounting;
      return (
        `,"ppid":${num(parent.ppid)},"parentTgid":${num(parent.parentTgid)},"exitCode":${num(status.code)},"signal":${signal},"coreDumped":${status.coreDumped},"lifetimeMs":${num(lifetimeMs(facts, event.timeMs))},"comm":${str(exitComm(facts, a))},"cmdline":${strings(facts?.cmdline ?? null)}` +
        (a === null
          ? NO_ACCOUNTING_JSON
          : `,"cpuMs":${num(a.cpuMs)},"userMs":${num(a.userMs)},"systemMs":${num(a.systemMs)},"peakRssKiB":${num(a.peakRssKiB)},"readBytes":${num(a.readBytes)},"writeBytes":${num(a.writeBytes)},"minorFaults":${num(a.minorFaults)},"majorFaults":${num(a.majorFaults)},"voluntarySwitches":${num(a.voluntarySwitches)},"involuntarySwitches":${num(a.involuntarySwitches)}`)
      );
    }
    case 'comm':
      return `,"comm":${str(event.comm)}`;
    case 'uid':
      return `,"ruid":${num(event.ruid)},"euid":${num(event.euid)}`;
    case 'gid':
      return `,"rgid":${num(event.rgid)},"egid":${num(event.egid)}`;
    case 'sid':
      return `,"sid":${num(event.tgid)}`;
    case 'ptrace':
      return `,"tracerPid":${num(event.tracerPid)},"tracerTgid":${num(event.tracerTgid)},"attached":${event.tracerPid !== 0}`;
    case 'coredump':
      return `,"ppid":${num(event.parentPid)},"parentTgid":${num(event.parentTgid)},"comm":${str(context.lookup(event.tgid)?.comm ?? null)}`;
    default:
      return assertNever(event);
  }
}

const NO_ACCOUNTING_JSON =
  ',"cpuMs":null,"userMs":null,"systemMs":null,"peakRssKiB":null,"readBytes":null,"writeBytes":null,"minorFaults":null,"majorFaults":null,"voluntarySwitches":null,"involuntarySwitches":null';

/** The name an exit is printed with: the kernel's record's, else the model's; never '' (null when neither had one). */
function exitComm(facts: ProcessFacts | null, accounting: ExitAccounting | null): string | null {
  if (accounting !== null && accounting.comm !== '') return accounting.comm;
  return facts !== null && facts.comm !== '' ? facts.comm : null;
}

/** A number as JSON.stringify writes it: NaN and the infinities (and null) become null. */
function num(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
}

// Only strings can hold a character to escape, and only those from a process can hold one at all:
// escaping each of them, not the whole line, scans a few bytes instead of a built (unflattened) line.
function str(value: string | null): string {
  return value === null ? 'null' : escapeRawUnsafe(JSON.stringify(value));
}

// A forked child shares its parent's command-line array (the model copies the reference), so a storm
// prints the same array thousands of times: its JSON is kept for the last array seen. The arrays are
// read only (the model replaces a command line, never edits one), so the same array means the same text.
let lastArgv: readonly string[] | null = null;
let lastArgvJson = 'null';

function strings(value: readonly string[] | null): string {
  if (value === null) return 'null';
  if (value !== lastArgv) {
    lastArgvJson = escapeRawUnsafe(JSON.stringify(value));
    lastArgv = value;
  }
  return lastArgvJson;
}

// Date.prototype.toISOString per event was a large share of the cost; events come in time order, so
// the text up to the seconds is kept and only the milliseconds are appended. Date truncates a
// fractional time to whole ms, and so does this.
let cachedSecond = Number.NaN;
let cachedPrefix = '';
const MILLIS = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z`);

/** The ISO 8601 UTC text of a wall-clock time in ms, as Date.prototype.toISOString gives it. */
export function isoTime(wallMs: number): string {
  const whole = Math.trunc(wallMs);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    // toISOString throws a RangeError for an invalid time, as it did per event before the cache.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
    cachedSecond = second;
  }
  return `${cachedPrefix}${MILLIS[whole - second * 1000] ?? ''}`;
}

/**
 * The parent an exit names. The kernel builds the exit event after notifying the parent; when the parent
 * reaps the child first on another CPU, the event's parent fields are 0 (about 1 exit in 1,500-20,000
 * under storms on 6.18). Then the parent the model knew stands in for both.
 */
function exitParent(event: ExitEvent, facts: ProcessFacts | null): { ppid: number; parentTgid: number } {
  if (event.parentTgid !== 0 || facts === null || facts.ppid <= 0)
    return { ppid: event.parentPid, parentTgid: event.parentTgid };
  return { ppid: facts.ppid, parentTgid: facts.ppid };
}
