#!/usr/bin/env node
// Listener audit: a long-running witness of every LISTEN/IGNORE ack on this machine, tallied per sender
// pid (ack >>> 8) and per purpose (the cookie's low byte), with each sender's process ancestry so a
// leak can be pinned on a test file or a tool. Plain JS on the built addon, so it also runs alone:
//   node test/helpers/listener-audit.mjs watch [seconds]   (prints the tally on SIGINT/SIGTERM or at the end)
//   node test/helpers/listener-audit.mjs count             (the exact counter: drains it to 0 counting, raises
//                                                          it back; every listener is deaf meanwhile: sparingly)
import { readFileSync } from 'node:fs';
import { defaultLowerMode, drainToZero, loadAddon, raiseCounter } from './buggy-client.mjs';
import { formatAudit, owedOf } from './listener-audit-report.mjs';

const LISTEN = 1;
const IGNORE = 2;
/** Low byte of the audit's own cookie (ack-monitor.ts uses 0x40, a Connector 0x10). */
const AUDIT_TAG = 0x44;

/**
 * What each ack's low byte answers, by the project's cookie scheme (the kernel answers cookie + 1).
 * pair: LISTENs and IGNOREs that must balance per sender; 'repair' LISTENs may stay on purpose.
 */
export const ACK_PURPOSES = {
  0x11: { pair: 'connector', op: 'listen' },
  0x13: { pair: 'connector', op: 'ignore' },
  0x21: { pair: 'health-measure', op: 'listen' }, // a repair keeps these on purpose
  0x23: { pair: 'health-measure', op: 'ignore' },
  0x25: { pair: null, op: 'gate-probe' },
  0x27: { pair: 'health-semantics', op: 'listen' },
  0x29: { pair: 'health-semantics', op: 'ignore' },
  0x2b: { pair: null, op: 'gate-probe' },
  0x41: { pair: 'ack-monitor', op: 'listen' },
  0x43: { pair: 'ack-monitor', op: 'ignore' },
  0x45: { pair: 'audit', op: 'listen' },
  0x47: { pair: 'audit', op: 'ignore' },
  0x51: { pair: null, op: 'lower' }, // buggy client: the invalid op before its IGNORE
  0x53: { pair: null, op: 'lower' },
  0x55: { pair: null, op: 'raise' },
  0x57: { pair: null, op: 'gate-probe' },
  0x59: { pair: 'buggy-measure', op: 'listen' },
  0x5b: { pair: 'buggy-measure', op: 'ignore' },
  0x5d: { pair: null, op: 'compensate-probe' }, // compensateLeak: the invalid op, named after the leaker
  0x5f: { pair: null, op: 'compensated' }, // compensateLeak: the IGNORE that takes the leaker's +1 back
};

/** Parent pid and command of a live pid, or null once it is gone (a normal outcome). */
export function readProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
    const command = (argv.length > 0 ? argv.join(' ') : stat.slice(stat.indexOf('(') + 1, close)).replace(
      /[^\x20-\x7e]/g,
      '?',
    );
    return { ppid, command: command.slice(0, 160) };
  } catch {
    return null;
  }
}

/** pid, its parent, ... up to init: what is known of a sender's ancestry right now. */
export function ancestry(pid) {
  const chain = [];
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth += 1) {
    const info = readProcess(current);
    if (info === null) break;
    chain.push({ pid: current, command: info.command });
    current = info.ppid;
  }
  return chain;
}

function newRecord(pid, nowMs) {
  const chain = pid > 1 ? ancestry(pid) : [];
  return {
    pid,
    chain,
    firstMs: nowMs,
    lastMs: nowMs,
    pairs: {},
    ops: {},
    errors: 0,
    overlapped: false,
    lowered: 0,
    raised: 0,
  };
}

/** Opens the witness socket and sends its LISTEN; { ok: false, reason } when it cannot witness. */
export function openAudit({ ackWaitMs = 500, nowMs = () => Date.now() } = {}) {
  let addon;
  try {
    addon = loadAddon();
  } catch (error) {
    return { ok: false, reason: `addon not loadable: ${error.message}` };
  }
  const socket = new addon.ControlSocket();
  // acksOnly: a kernel-side filter keeps only acks, so fork storms cannot push one out.
  const opened = socket.open({ acksOnly: true, rcvbufBytes: 8 * 1024 * 1024 });
  if (!opened.ok) return { ok: false, reason: `audit socket: ${opened.syscall} ${opened.code}` };
  const cookie = ((process.pid << 8) | AUDIT_TAG) >>> 0;
  const sent = socket.sendOp(LISTEN, cookie);
  if (!sent.ok) {
    socket.close(); // no LISTEN went out: no IGNORE owed
    return { ok: false, reason: `audit LISTEN: ${sent.syscall} ${sent.code}` };
  }
  const audit = new ListenerAudit(socket, cookie, nowMs);
  if (socket.waitAck(cookie, ackWaitMs) === null) {
    audit.close(); // the LISTEN counted (+1) although unanswered: give it back
    return {
      ok: false,
      reason:
        'no ack for the audit LISTEN: the listener gate is closed (counter below 0) or not the initial namespaces',
    };
  }
  return { ok: true, audit };
}

class ListenerAudit {
  #socket;
  #cookie;
  #nowMs;
  #closed = false;
  /** pid -> record */
  records = new Map();
  /** Intervals in which someone drove the counter below 1: acks then go to nobody. */
  drainWindows = [];
  #openWindow = null;

  constructor(socket, cookie, nowMs) {
    this.#socket = socket;
    this.#cookie = cookie;
    this.#nowMs = nowMs;
  }

  /** Drains queued acks into the tally; call often (every 10-20 ms) so short-lived senders are still in /proc. */
  poll() {
    if (this.#closed) return;
    for (const { ack, err } of this.#socket.drainAcks()) this.#take(ack, err, this.#nowMs());
  }

  #take(ack, err, at) {
    const pid = ack >>> 8;
    let record = this.records.get(pid);
    if (record === undefined) {
      record = newRecord(pid, at);
      this.records.set(pid, record);
    }
    record.lastMs = at;
    const purpose = ACK_PURPOSES[ack & 0xff] ?? { pair: null, op: `ack 0x${(ack & 0xff).toString(16)}` };
    if (purpose.op === 'lower') this.#openDrain(pid, at);
    if (purpose.op === 'raise' && this.#openWindow?.pid === pid) this.#closeDrain(at);
    if (this.#openWindow !== null) record.overlapped = true;
    if (purpose.op === 'lower') record.lowered += 1;
    if (purpose.op === 'raise') record.raised += 1;
    if (err !== 0 && purpose.pair !== null) {
      record.errors += 1; // e.g. EPERM: the op did not count, so it is not part of a pair
      return;
    }
    if (purpose.pair === null) {
      record.ops[purpose.op] = (record.ops[purpose.op] ?? 0) + 1;
      return;
    }
    const pair = (record.pairs[purpose.pair] ??= { listen: 0, ignore: 0 });
    pair[purpose.op] += 1;
  }

  #openDrain(pid, at) {
    if (this.#openWindow !== null) return;
    this.#openWindow = { pid, startMs: at, endMs: null };
    this.drainWindows.push(this.#openWindow);
    // Whoever is mid-subscription now may have its IGNORE go unanswered: its tally cannot be judged.
    for (const record of this.records.values()) if (owedOf(record) > 0) record.overlapped = true;
  }

  #closeDrain(at) {
    if (this.#openWindow === null) return;
    this.#openWindow.endMs = at;
    this.#openWindow = null;
  }

  /** Sends the audit's one IGNORE (exactly once) and releases the socket. */
  close() {
    if (this.#closed) return;
    this.poll();
    this.#closed = true;
    this.#socket.sendOp(IGNORE, (this.#cookie + 2) >>> 0);
    this.#socket.close();
  }
}

/**
 * Takes back the +1 of a process that died with its LISTEN counted (SIGKILL, or a tool such as forkstat
 * that never sends IGNORE): on a fresh socket an invalid op, then IGNORE (6.6+; before 6.6 a bare IGNORE
 * does it). Both cookies carry the leaker's pid, so an audit books the IGNORE against the leaker.
 * Only for a LISTEN that really counted; returns whether the IGNORE went out.
 */
export function compensateLeak(addon, leakerPid, mode = defaultLowerMode()) {
  const socket = new addon.ControlSocket();
  const opened = socket.open({ acksOnly: true });
  if (!opened.ok) return false;
  try {
    if (mode === 'invalid-ignore' && !socket.sendOp(99, ((leakerPid << 8) | 0x5c) >>> 0).ok) return false;
    return socket.sendOp(IGNORE, ((leakerPid << 8) | 0x5e) >>> 0).ok;
  } finally {
    socket.close();
  }
}

async function watch(seconds) {
  const opened = openAudit();
  if (!opened.ok) {
    console.error(`listener audit: ${opened.reason}`);
    return 2;
  }
  const { audit } = opened;
  const timer = setInterval(() => audit.poll(), 10);
  const finish = () => {
    clearInterval(timer);
    audit.close();
    console.log(formatAudit(audit, { rootPid: null, fileOf: () => null }).text);
  };
  let limit;
  await new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, resolve);
    if (seconds > 0) limit = setTimeout(resolve, seconds * 1000);
  });
  clearTimeout(limit); // a pending limit kept the watcher alive after a signal had ended the watch
  finish();
  return 0;
}

/** The kernel's counter now, and the connector sockets bound to the group (live subscribers, by port id). */
function count() {
  const addon = loadAddon();
  const bound = readFileSync('/proc/net/netlink', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === '11' && cols[3] === '00000001')
    .map((cols) => Number(cols[2]));
  let counter = 0;
  try {
    counter = drainToZero(addon);
  } finally {
    raiseCounter(addon, counter); // exactly what was taken: the counter ends where it began
  }
  console.log(JSON.stringify({ at: new Date().toISOString(), counter, boundSubscriberPorts: bound }));
  return 0;
}

if (process.argv[1]?.endsWith('listener-audit.mjs') && process.argv[2] === 'watch') {
  process.exitCode = await watch(Number(process.argv[3] ?? 0));
} else if (process.argv[1]?.endsWith('listener-audit.mjs') && process.argv[2] === 'count') {
  process.exitCode = count();
}
