// Builds taskstats generic-netlink datagrams byte by byte, independently of the addon's C structs,
// so the decoder is checked against the wire layout: nlmsghdr (16) + genlmsghdr (4) + attributes.
// Offsets of struct taskstats are the ones measured on the 6.18 host (../shared/TASKSTATS.md) plus
// ac_btime64 and ac_tgid from the version-13 header.
import { concat, words } from './native/datagram-builder.js';

export { concat };

/** One little-endian u32. */
export const u32 = (value: number): Uint8Array => words(value);

export const FAMILY_ID = 31;
export const TASKSTATS_CMD_NEW = 2;
export const TYPE = { pid: 1, tgid: 2, stats: 3, aggrPid: 4, aggrTgid: 5, null: 6 } as const;
const NLMSG_ERROR = 2;
/** The record the 6.18 kernel sends: version 16, 560 bytes. */
export const RECORD_V16_BYTES = 560;

export const OFFSET = {
  version: 0,
  exitStatus: 4,
  cpuRunNs: 72,
  comm: 80,
  uid: 120,
  gid: 124,
  acPid: 128,
  ppid: 132,
  btime: 136,
  etimeUs: 144,
  utimeUs: 152,
  stimeUs: 160,
  minflt: 168,
  majflt: 176,
  hiwaterRssKiB: 200,
  hiwaterVmKiB: 208,
  readChar: 216,
  writeChar: 224,
  readBytes: 248,
  writeBytes: 256,
  nvcsw: 272,
  nivcsw: 280,
  btime64: 344,
  tgid: 368,
} as const;

export interface StatsSpec {
  readonly version?: number;
  /** Bytes of the struct to send (older kernels send shorter records). */
  readonly bytes?: number;
  readonly comm?: string | Uint8Array;
  readonly u32?: Partial<Record<'exitStatus' | 'uid' | 'gid' | 'acPid' | 'ppid' | 'btime' | 'tgid', number>>;
  readonly u64?: Partial<
    Record<
      | 'cpuRunNs'
      | 'etimeUs'
      | 'utimeUs'
      | 'stimeUs'
      | 'minflt'
      | 'majflt'
      | 'hiwaterRssKiB'
      | 'hiwaterVmKiB'
      | 'readChar'
      | 'writeChar'
      | 'readBytes'
      | 'writeBytes'
      | 'nvcsw'
      | 'nivcsw'
      | 'btime64',
      bigint
    >
  >;
}

/** The struct taskstats bytes. Fields beyond `bytes` are silently cut, as an older kernel would lack them. */
export function stats(spec: StatsSpec): Uint8Array {
  const full = new Uint8Array(Math.max(RECORD_V16_BYTES, spec.bytes ?? 0));
  const view = new DataView(full.buffer);
  view.setUint16(OFFSET.version, spec.version ?? 16, true);
  for (const [name, value] of Object.entries(spec.u32 ?? {}))
    view.setUint32(OFFSET[name as keyof typeof OFFSET], value >>> 0, true);
  for (const [name, value] of Object.entries(spec.u64 ?? {}))
    view.setBigUint64(OFFSET[name as keyof typeof OFFSET], value, true);
  const comm = typeof spec.comm === 'string' ? new TextEncoder().encode(spec.comm) : spec.comm;
  if (comm !== undefined) full.set(comm.subarray(0, 32), OFFSET.comm);
  return full.subarray(0, spec.bytes ?? RECORD_V16_BYTES);
}

/** One netlink attribute: nla_len counts header + payload, the next starts 4-byte aligned. */
export function attr(type: number, payload: Uint8Array, lenOverride?: number): Uint8Array {
  const bytes = new Uint8Array((4 + payload.length + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, lenOverride ?? 4 + payload.length, true);
  view.setUint16(2, type, true);
  bytes.set(payload, 4);
  return bytes;
}

/** An AGGR_PID { PID, STATS } nest. */
export const aggrPid = (pid: number, record: Uint8Array) =>
  attr(TYPE.aggrPid, concat(attr(TYPE.pid, u32(pid)), attr(TYPE.stats, record)));
/** An AGGR_TGID { TGID, STATS } nest. */
export const aggrTgid = (tgid: number, record: Uint8Array) =>
  attr(TYPE.aggrTgid, concat(attr(TYPE.tgid, u32(tgid)), attr(TYPE.stats, record)));

export interface GenlSpec {
  readonly type?: number;
  readonly cmd?: number;
  readonly seq?: number;
  /** Overrides nlmsg_len (default: the real length). */
  readonly nlmsgLen?: number;
}

/** One generic-netlink message (nlmsghdr + genlmsghdr + attributes), padded to 4 bytes. */
export function genlMessage(attributes: Uint8Array, spec: GenlSpec = {}): Uint8Array {
  const realLen = 16 + 4 + attributes.length;
  const bytes = new Uint8Array((realLen + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, spec.nlmsgLen ?? realLen, true);
  view.setUint16(4, spec.type ?? FAMILY_ID, true);
  view.setUint32(8, spec.seq ?? 0, true);
  bytes[16] = spec.cmd ?? TASKSTATS_CMD_NEW; // genlmsghdr.cmd
  bytes[17] = 1; // genlmsghdr.version
  bytes.set(attributes, 20);
  return bytes;
}

/** NLMSG_ERROR answering request `seq`: error is the negative errno (0 = ack). */
export function errorMessage(seq: number, error: number): Uint8Array {
  const bytes = new Uint8Array(16 + 4 + 16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, bytes.length, true);
  view.setUint16(4, NLMSG_ERROR, true);
  view.setUint32(8, seq, true);
  view.setInt32(16, error, true);
  // The echoed request header: length, type, flags, seq, port.
  view.setUint32(20, 36, true);
  view.setUint16(24, FAMILY_ID, true);
  view.setUint32(28, seq, true);
  return bytes;
}
