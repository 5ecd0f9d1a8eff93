#!/usr/bin/env node
// Writes the fuzzers' seed corpora, laid out byte by byte (little-endian, x86_64/aarch64 layout):
//   fuzz/corpus/connector/*.bin  one small datagram per proc_event kind, an ack, a multi-message
//     datagram and a few broken ones, as test/unit/native/datagram-builder.ts lays them out
//     (nlmsghdr 16 + cn_msg 20 + proc_event 40);
//   fuzz/corpus/taskstats/*.bin  TASKSTATS_CMD_NEW messages (family id 0x15, as the fuzzer assumes)
//     with AGGR_PID / AGGR_TGID records of a full, an older (shorter) and a newer (longer) struct
//     taskstats, NLMSG_ERROR acks and a few foreign or broken messages.
// The output is committed; rerun only when the layout or the set of seeds changes:
//   node fuzz/make-seeds.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const WHAT = {
  none: 0x0,
  fork: 0x1,
  exec: 0x2,
  uid: 0x4,
  gid: 0x40,
  sid: 0x80,
  ptrace: 0x100,
  comm: 0x200,
  coredump: 0x40000000,
  exit: 0x80000000,
};
const NLMSG_HDRLEN = 16;
const CN_MSG_LEN = 20;
const PROC_EVENT_LEN = 40;
const NLMSG_NOOP = 1;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;

function words(...values) {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value >>> 0, true));
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One netlink message carrying one proc_event, padded to 4 bytes. */
function message({
  what,
  cpu = 0,
  seq = 0,
  ack = 0,
  ts = 0n,
  data = new Uint8Array(0),
  idx = 1,
  val = 1,
  type = NLMSG_DONE,
  cnLen,
  nlLen,
  bodyLen = PROC_EVENT_LEN,
}) {
  const realLen = NLMSG_HDRLEN + CN_MSG_LEN + bodyLen;
  const bytes = new Uint8Array((realLen + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, nlLen ?? realLen, true);
  view.setUint16(4, type, true);
  view.setUint32(8, seq, true);
  view.setUint32(16, idx, true);
  view.setUint32(20, val, true);
  view.setUint32(24, seq, true);
  view.setUint32(28, ack, true);
  view.setUint16(32, cnLen ?? PROC_EVENT_LEN, true);
  const body = new Uint8Array(PROC_EVENT_LEN);
  const bodyView = new DataView(body.buffer);
  bodyView.setUint32(0, what >>> 0, true);
  bodyView.setUint32(4, cpu, true);
  bodyView.setBigUint64(8, ts, true);
  body.set(data.subarray(0, PROC_EVENT_LEN - 16), 16);
  bytes.set(body.subarray(0, bodyLen), NLMSG_HDRLEN + CN_MSG_LEN);
  return bytes;
}

const comm = (name) => {
  const field = new Uint8Array(16);
  field.set(new TextEncoder().encode(name).subarray(0, 16));
  return field;
};

const seeds = {
  fork: message({ what: WHAT.fork, cpu: 1, seq: 7, ts: 123456789n, data: words(100, 100, 101, 101) }),
  exec: message({ what: WHAT.exec, seq: 8, data: words(101, 101) }),
  exit: message({ what: WHAT.exit, seq: 9, data: words(101, 101, 0x100, 17, 100, 100) }),
  comm: message({ what: WHAT.comm, seq: 10, data: concat(words(101, 101), comm('worker')) }),
  'comm-full16': message({ what: WHAT.comm, data: concat(words(5, 5), comm('0123456789abcdef')) }),
  uid: message({ what: WHAT.uid, data: words(101, 101, 1000, 0) }),
  gid: message({ what: WHAT.gid, data: words(101, 101, 1000, 1000) }),
  sid: message({ what: WHAT.sid, data: words(101, 101) }),
  ptrace: message({ what: WHAT.ptrace, data: words(101, 101, 50, 50) }),
  coredump: message({ what: WHAT.coredump, data: words(101, 101, 100, 100) }),
  ack: message({ what: WHAT.none, cpu: 0, seq: 0, ack: 2, data: words(0) }),
  // Several messages in one datagram, a NOOP among them, as a busy CPU delivers them.
  multi: concat(
    message({ what: WHAT.fork, seq: 1, data: words(1, 1, 2, 2) }),
    message({ what: WHAT.none, type: NLMSG_NOOP }),
    message({ what: WHAT.exec, seq: 2, data: words(2, 2) }),
    message({ what: WHAT.exit, seq: 3, data: words(2, 2, 0, 17, 1, 1) }),
  ),
  foreign: message({ what: WHAT.fork, idx: 0xa, val: 0xa }),
  'nlmsg-error': message({ what: WHAT.none, type: NLMSG_ERROR }),
  'unknown-what': message({ what: 0x20 }),
  'short-cn-len': message({ what: WHAT.exit, cnLen: 24 }),
  'cn-len-too-long': message({ what: WHAT.fork, cnLen: 200 }),
  // nlmsg_len not a multiple of 4, then a truncated second message.
  'odd-then-truncated': concat(message({ what: WHAT.exec, bodyLen: 25 }), message({ what: WHAT.fork }).subarray(0, 30)),
};

// --- taskstats ---------------------------------------------------------------------------------

const FAMILY = 0x15; // taskstats_decoder_fuzzer.cc's kFamily
const TASKSTATS_CMD_GET = 1;
const TASKSTATS_CMD_NEW = 2;
const TYPE = { pid: 1, tgid: 2, stats: 3, aggrPid: 4, aggrTgid: 5, null: 6 };
/** sizeof(struct taskstats), version 13 (Linux 6.1 headers). */
const TASKSTATS_LEN = 416;
// offsetof(struct taskstats, member) in <linux/taskstats.h>, version 13.
const AT = {
  version: 0,
  ac_exitcode: 4,
  cpu_run_virtual_total: 72,
  ac_comm: 80,
  ac_uid: 120,
  ac_gid: 124,
  ac_pid: 128,
  ac_ppid: 132,
  ac_btime: 136,
  ac_etime: 144,
  ac_utime: 152,
  ac_stime: 160,
  ac_minflt: 168,
  ac_majflt: 176,
  hiwater_rss: 200,
  hiwater_vm: 208,
  read_char: 216,
  write_char: 224,
  read_bytes: 248,
  write_bytes: 256,
  nvcsw: 272,
  nivcsw: 280,
  ac_btime64: 344,
  ac_tgid: 368,
};

const pad4 = (n) => (n + 3) & ~3;

/** One netlink attribute; the payload is padded to 4 bytes, nla_len says the unpadded length. */
function attr(type, payload) {
  const bytes = new Uint8Array(pad4(4 + payload.length));
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 4 + payload.length, true);
  view.setUint16(2, type, true);
  bytes.set(payload, 4);
  return bytes;
}

/** A struct taskstats of `length` bytes (the kernel's prefix when shorter, zero tail when longer). */
function stats({ length = TASKSTATS_LEN, version = 13, pid = 4242, tgid = 4242, comm: name = 'sleep' } = {}) {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  const put32 = (offset, value) => offset + 4 <= length && view.setUint32(offset, value, true);
  const put64 = (offset, value) => offset + 8 <= length && view.setBigUint64(offset, value, true);
  if (length >= 2) view.setUint16(AT.version, version, true);
  put32(AT.ac_exitcode, 0x100);
  put64(AT.cpu_run_virtual_total, 1234567n);
  if (AT.ac_comm + 32 <= length) bytes.set(new TextEncoder().encode(name).subarray(0, 32), AT.ac_comm);
  put32(AT.ac_uid, 1000);
  put32(AT.ac_gid, 1000);
  put32(AT.ac_pid, pid);
  put32(AT.ac_ppid, 1);
  put32(AT.ac_btime, 1700000000);
  put64(AT.ac_etime, 2000000n);
  put64(AT.ac_utime, 1000n);
  put64(AT.ac_stime, 2000n);
  put64(AT.ac_minflt, 120n);
  put64(AT.ac_majflt, 3n);
  put64(AT.hiwater_rss, 2048n);
  put64(AT.hiwater_vm, 8192n);
  put64(AT.read_char, 4096n);
  put64(AT.write_char, 512n);
  put64(AT.read_bytes, 0n);
  put64(AT.write_bytes, 0n);
  put64(AT.nvcsw, 5n);
  put64(AT.nivcsw, 1n);
  put64(AT.ac_btime64, 1700000000n);
  put32(AT.ac_tgid, tgid);
  return bytes;
}

/** AGGR_PID / AGGR_TGID nest: { PID or TGID, [NULL,] STATS }. */
function aggregate(kind, id, statsBytes, { nullPad = false } = {}) {
  return attr(
    kind === 'pid' ? TYPE.aggrPid : TYPE.aggrTgid,
    concat(
      attr(kind === 'pid' ? TYPE.pid : TYPE.tgid, words(id)),
      nullPad ? attr(TYPE.null, new Uint8Array(0)) : new Uint8Array(0),
      attr(TYPE.stats, statsBytes),
    ),
  );
}

/** A netlink message: nlmsghdr + payload, padded to 4 bytes. */
function nlmsg(type, payload, { seq = 0, len } = {}) {
  const bytes = new Uint8Array(pad4(16 + payload.length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, len ?? 16 + payload.length, true);
  view.setUint16(4, type, true);
  view.setUint32(8, seq, true);
  bytes.set(payload, 16);
  return bytes;
}

const genl = (cmd, ...attrs) => concat(new Uint8Array([cmd, 1, 0, 0]), ...attrs);

/** NLMSG_ERROR answering request `seq`: nlmsgerr { error, the request's nlmsghdr }. */
function nlError(error, seq) {
  const body = new Uint8Array(20);
  const view = new DataView(body.buffer);
  view.setInt32(0, error, true);
  view.setUint32(4, 20, true);
  view.setUint16(8, FAMILY, true);
  view.setUint16(10, 0x5, true); // NLM_F_REQUEST | NLM_F_ACK
  view.setUint32(12, seq, true);
  return nlmsg(NLMSG_ERROR, body, { seq });
}

const taskstatsSeeds = {
  'exit-pid': nlmsg(FAMILY, genl(TASKSTATS_CMD_NEW, aggregate('pid', 4242, stats()))),
  // The last thread of a multi-threaded group: its AGGR_PID and the group's AGGR_TGID, here from an
  // older kernel whose struct ends after ac_btime.
  'group-exit-short': nlmsg(
    FAMILY,
    genl(
      TASKSTATS_CMD_NEW,
      aggregate('pid', 4243, stats({ length: 140, pid: 4243 })),
      aggregate('tgid', 4242, stats({ length: 140 })),
    ),
  ),
  'null-pad-v9': nlmsg(
    FAMILY,
    genl(TASKSTATS_CMD_NEW, aggregate('pid', 7, stats({ length: 328, version: 9, pid: 7 }), { nullPad: true })),
  ),
  'newer-kernel': nlmsg(
    FAMILY,
    genl(
      TASKSTATS_CMD_NEW,
      aggregate(
        'pid',
        8,
        stats({ length: TASKSTATS_LEN + 16, version: 14, pid: 8, comm: '0123456789abcdef0123456789abcdef' }),
      ),
    ),
  ),
  'ack-ok': nlError(0, 42),
  'ack-eperm': nlError(-1, 43),
  'cmd-get': nlmsg(FAMILY, genl(TASKSTATS_CMD_GET, attr(TYPE.pid, words(1)))),
  'other-family-then-noop': concat(
    nlmsg(0x10, genl(TASKSTATS_CMD_NEW)),
    nlmsg(NLMSG_NOOP, new Uint8Array(0)),
    nlmsg(NLMSG_DONE, words(0)),
  ),
  // A record with its id but a STATS attribute too short to hold even the version.
  'empty-stats': nlmsg(
    FAMILY,
    genl(TASKSTATS_CMD_NEW, attr(TYPE.aggrPid, concat(attr(TYPE.pid, words(10)), attr(TYPE.stats, new Uint8Array(0))))),
  ),
  truncated: nlmsg(FAMILY, genl(TASKSTATS_CMD_NEW, aggregate('pid', 9, stats({ length: 64 })))).subarray(0, 60),
};

function writeCorpus(name, seeds) {
  const outDir = path.join(here, 'corpus', name);
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) if (file.endsWith('.bin')) rmSync(path.join(outDir, file));
  for (const [seed, bytes] of Object.entries(seeds)) writeFileSync(path.join(outDir, `${seed}.bin`), bytes);
  console.log(`wrote ${Object.keys(seeds).length} seeds to ${path.relative(process.cwd(), outDir) || '.'}`);
}

writeCorpus('connector', seeds);
writeCorpus('taskstats', taskstatsSeeds);
