// Builds process-connector datagrams byte by byte, independently of the addon's C structs, so the
// decoder is checked against the wire layout: nlmsghdr (16) + cn_msg (20) + proc_event (16 + union).

export const WHAT = {
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
} as const;

const NLMSG_HDRLEN = 16;
const CN_MSG_LEN = 20;
const EVENT_HEADER_LEN = 16;
/** sizeof(proc_event) on every Linux ABI: 16-byte header + 24-byte union. */
export const PROC_EVENT_LEN = 40;
export const NLMSG_DONE = 3;
export const NLMSG_ERROR = 2;

export interface MessageSpec {
  readonly what: number;
  readonly cpu?: number;
  readonly seq?: number;
  readonly ack?: number;
  readonly timestampNs?: bigint;
  /** event_data bytes (padded with zeros to the union size). */
  readonly data?: Uint8Array;
  readonly idx?: number;
  readonly val?: number;
  readonly nlmsgType?: number;
  /** Overrides cn_msg.len (default PROC_EVENT_LEN). */
  readonly cnLen?: number;
  /** Overrides nlmsghdr.nlmsg_len (default: the real length). */
  readonly nlmsgLen?: number;
  /** Bytes of proc_event actually written (default PROC_EVENT_LEN): shorter makes a short payload. */
  readonly bodyLen?: number;
}

/** Little-endian signed/unsigned 32-bit words, as the kernel lays out the union members. */
export function words(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value >>> 0, true));
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One netlink message, padded to a 4-byte boundary. */
export function message(spec: MessageSpec): Uint8Array {
  const bodyLen = spec.bodyLen ?? PROC_EVENT_LEN;
  const realLen = NLMSG_HDRLEN + CN_MSG_LEN + bodyLen;
  const bytes = new Uint8Array((realLen + 3) & ~3);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, spec.nlmsgLen ?? realLen, true); // nlmsg_len
  view.setUint16(4, spec.nlmsgType ?? NLMSG_DONE, true); // nlmsg_type
  view.setUint32(8, spec.seq ?? 0, true); // nlmsg_seq
  view.setUint32(16, spec.idx ?? 1, true); // cn_msg.id.idx = CN_IDX_PROC
  view.setUint32(20, spec.val ?? 1, true); // cn_msg.id.val = CN_VAL_PROC
  view.setUint32(24, spec.seq ?? 0, true); // cn_msg.seq
  view.setUint32(28, spec.ack ?? 0, true); // cn_msg.ack
  view.setUint16(32, spec.cnLen ?? PROC_EVENT_LEN, true); // cn_msg.len
  const body = new Uint8Array(PROC_EVENT_LEN);
  const bodyView = new DataView(body.buffer);
  bodyView.setUint32(0, spec.what >>> 0, true);
  bodyView.setUint32(4, spec.cpu ?? 0, true);
  bodyView.setBigUint64(8, spec.timestampNs ?? 0n, true);
  body.set(spec.data ?? new Uint8Array(0), EVENT_HEADER_LEN);
  bytes.set(body.subarray(0, bodyLen), NLMSG_HDRLEN + CN_MSG_LEN);
  return bytes;
}

/** A 16-byte comm field from raw bytes (shorter input is NUL-padded). */
export function commBytes(name: Uint8Array | string): Uint8Array {
  const raw = typeof name === 'string' ? new TextEncoder().encode(name) : name;
  const field = new Uint8Array(16);
  field.set(raw.subarray(0, 16));
  return field;
}
