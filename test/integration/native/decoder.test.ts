// The addon's pure decoder (decodeDatagram) on datagrams crafted byte by byte: every event kind,
// acks, several messages per datagram, and every way a datagram can be broken.
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../../src/native/load-addon.js';
import type { NativeAddon } from '../../../src/native/native-types.js';
import { commBytes, concat, message, NLMSG_ERROR, PROC_EVENT_LEN, WHAT, words } from './datagram-builder.js';

function requireAddon(): NativeAddon {
  const loaded = loadAddon();
  // The addon is built by `npm install`; without it this whole layer is untested, which must fail.
  if (!loaded.ok) throw new Error(`addon not built: ${JSON.stringify(loaded.error)}`);
  return loaded.value;
}

const addon = requireAddon();
const decode = (bytes: Uint8Array) => addon.decodeDatagram(bytes);
const header = { cpu: 1, timeMs: 1234.567891 };
const ts = 1_234_567_891n; // ns → timeMs 1234.567891

describe('decodeDatagram: every event kind', () => {
  it('fork: child pid/tgid and the parent', () => {
    const d = decode(message({ what: WHAT.fork, cpu: 1, seq: 7, timestampNs: ts, data: words(100, 100, 200, 201) }));
    expect(d).toEqual({
      events: [{ kind: 'fork', pid: 200, tgid: 201, ...header, parentPid: 100, parentTgid: 100 }],
      acks: [],
      seqs: [7],
      malformed: 0,
      foreign: 0,
    });
  });

  it('exec: pid/tgid, comm and cmdline null (the pure decoder reads no /proc)', () => {
    const d = decode(message({ what: WHAT.exec, cpu: 1, timestampNs: ts, data: words(300, 300) }));
    expect(d.events).toEqual([{ kind: 'exec', pid: 300, tgid: 300, ...header, comm: null, cmdline: null }]);
  });

  it('exit: raw wait status, exit signal and the parent', () => {
    const status = (3 << 8) >>> 0;
    const d = decode(message({ what: WHAT.exit, cpu: 1, timestampNs: ts, data: words(400, 399, status, 17, 1, 1) }));
    expect(d.events).toEqual([
      { kind: 'exit', pid: 400, tgid: 399, ...header, exitCode: 768, exitSignal: 17, parentPid: 1, parentTgid: 1 },
    ]);
  });

  it('comm: the new name', () => {
    const d = decode(
      message({ what: WHAT.comm, cpu: 1, timestampNs: ts, data: concat(words(500, 500), commBytes('worker-7')) }),
    );
    expect(d.events).toEqual([{ kind: 'comm', pid: 500, tgid: 500, ...header, comm: 'worker-7' }]);
  });

  it('uid and gid: real and effective ids', () => {
    const uid = decode(message({ what: WHAT.uid, cpu: 1, timestampNs: ts, data: words(600, 600, 1000, 0) }));
    const gid = decode(message({ what: WHAT.gid, cpu: 1, timestampNs: ts, data: words(601, 601, 65534, 65533) }));
    expect(uid.events).toEqual([{ kind: 'uid', pid: 600, tgid: 600, ...header, ruid: 1000, euid: 0 }]);
    expect(gid.events).toEqual([{ kind: 'gid', pid: 601, tgid: 601, ...header, rgid: 65534, egid: 65533 }]);
  });

  it('sid, ptrace (attach and detach) and coredump', () => {
    const sid = decode(message({ what: WHAT.sid, cpu: 1, timestampNs: ts, data: words(700, 700) }));
    const attach = decode(message({ what: WHAT.ptrace, cpu: 1, timestampNs: ts, data: words(701, 701, 42, 41) }));
    const detach = decode(message({ what: WHAT.ptrace, cpu: 1, timestampNs: ts, data: words(701, 701, 0, 0) }));
    const core = decode(message({ what: WHAT.coredump, cpu: 1, timestampNs: ts, data: words(702, 702, 9, 9) }));
    expect(sid.events).toEqual([{ kind: 'sid', pid: 700, tgid: 700, ...header }]);
    expect(attach.events).toEqual([{ kind: 'ptrace', pid: 701, tgid: 701, ...header, tracerPid: 42, tracerTgid: 41 }]);
    expect(detach.events[0]).toMatchObject({ kind: 'ptrace', tracerPid: 0, tracerTgid: 0 });
    expect(core.events).toEqual([{ kind: 'coredump', pid: 702, tgid: 702, ...header, parentPid: 9, parentTgid: 9 }]);
  });

  it('an ack (PROC_EVENT_NONE) is an ack, not an event', () => {
    const d = decode(message({ what: WHAT.none, cpu: 1, seq: 55, ack: 0x12345611, data: words(22) }));
    expect(d).toEqual({
      events: [],
      acks: [{ ack: 0x12345611, err: 22, cpu: 1, seq: 55 }],
      seqs: [],
      malformed: 0,
      foreign: 0,
    });
  });

  it('a comm that fills all 16 bytes without a NUL keeps all 16', () => {
    const d = decode(message({ what: WHAT.comm, data: concat(words(1, 1), commBytes('ABCDEFGHIJKLMNOP')) }));
    expect(d.events[0]).toMatchObject({ kind: 'comm', comm: 'ABCDEFGHIJKLMNOP' });
  });

  it('invalid UTF-8 in a comm decodes lossily instead of failing', () => {
    const d = decode(
      message({ what: WHAT.comm, data: concat(words(1, 1), commBytes(new Uint8Array([0x61, 0xff, 0xfe, 0x62]))) }),
    );
    expect(d.events[0]).toMatchObject({ comm: 'a\uFFFD\uFFFDb' });
  });

  it('pids above 2^31 do not exist, but uids do: ids are unsigned', () => {
    const d = decode(message({ what: WHAT.uid, data: words(1, 1, 0xfffffffe, 0xffffffff) }));
    expect(d.events[0]).toMatchObject({ ruid: 4294967294, euid: 4294967295 });
  });
});

describe('decodeDatagram: several messages in one datagram', () => {
  it('reads every message in order, events and acks alike', () => {
    const bytes = concat(
      message({ what: WHAT.fork, cpu: 0, seq: 1, data: words(1, 1, 10, 10) }),
      message({ what: WHAT.none, cpu: 1, seq: 9, ack: 5, data: words(0) }),
      message({ what: WHAT.exec, cpu: 0, seq: 2, data: words(10, 10) }),
      message({ what: WHAT.exit, cpu: 1, seq: 10, data: words(10, 10, 0, 17, 1, 1) }),
    );
    const d = decode(bytes);
    expect(d.events.map((e) => [e.kind, e.pid])).toEqual([
      ['fork', 10],
      ['exec', 10],
      ['exit', 10],
    ]);
    expect(d.seqs).toEqual([1, 2, 10]);
    expect(d.acks).toEqual([{ ack: 5, err: 0, cpu: 1, seq: 9 }]);
    expect(d.malformed + d.foreign).toBe(0);
  });

  it('decodes a datagram that starts at an odd offset of its buffer', () => {
    const bytes = concat(new Uint8Array([0xaa]), message({ what: WHAT.exec, data: words(77, 77) }));
    expect(decode(bytes.subarray(1)).events).toMatchObject([{ kind: 'exec', pid: 77 }]);
  });
});

describe('decodeDatagram: broken input is counted, never a crash', () => {
  const good = message({ what: WHAT.exec, data: words(1, 1) });

  it('an empty datagram is one malformed datagram', () => {
    expect(decode(new Uint8Array(0))).toEqual({ events: [], acks: [], seqs: [], malformed: 1, foreign: 0 });
  });

  it('a truncated last message: the earlier ones are kept, the rest is malformed', () => {
    const second = message({ what: WHAT.exit, data: words(2, 2, 0, 17, 1, 1) });
    const d = decode(concat(good, second.subarray(0, second.length - 10)));
    expect(d.events.map((e) => e.pid)).toEqual([1]);
    expect(d.malformed).toBe(1);
  });

  it('a datagram shorter than a netlink header is malformed', () => {
    expect(decode(good.subarray(0, 10))).toMatchObject({ events: [], malformed: 1 });
  });

  it('nlmsg_len beyond the datagram or below the header size is malformed', () => {
    expect(decode(message({ what: WHAT.exec, data: words(1, 1), nlmsgLen: 0xffff }))).toMatchObject({
      events: [],
      malformed: 1,
    });
    expect(decode(message({ what: WHAT.exec, data: words(1, 1), nlmsgLen: 4 }))).toMatchObject({
      events: [],
      malformed: 1,
    });
  });

  it('cn_msg.len claiming more than the message holds is malformed', () => {
    expect(decode(message({ what: WHAT.exec, data: words(1, 1), cnLen: PROC_EVENT_LEN + 100 }))).toMatchObject({
      events: [],
      malformed: 1,
    });
  });

  it('an event too short for its kind is malformed', () => {
    // A fork needs 16 bytes of event_data; this one carries 8.
    const short = message({ what: WHAT.fork, data: words(1, 1), cnLen: 16 + 8, bodyLen: 16 + 8 });
    expect(decode(short)).toMatchObject({ events: [], malformed: 1 });
  });

  it('a message for another connector (wrong cb_id) is foreign', () => {
    expect(decode(message({ what: WHAT.exec, data: words(1, 1), idx: 7, val: 1 }))).toMatchObject({
      events: [],
      foreign: 1,
    });
    expect(decode(message({ what: WHAT.exec, data: words(1, 1), idx: 1, val: 2 }))).toMatchObject({
      events: [],
      foreign: 1,
    });
  });

  it('other netlink message types and unknown event kinds are foreign, and do not stop the walk', () => {
    const d = decode(concat(message({ what: WHAT.exec, nlmsgType: NLMSG_ERROR }), message({ what: 0x400 }), good));
    expect(d).toMatchObject({ foreign: 2, malformed: 0 });
    expect(d.events).toMatchObject([{ kind: 'exec', pid: 1 }]);
  });

  it('random bytes never crash the decoder', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(random() + (round % 3) * 60);
      for (let i = 0; i < bytes.length; i++) bytes[i] = random();
      const d = decode(bytes);
      expect(d.events.length + d.acks.length + d.malformed + d.foreign).toBeGreaterThan(0);
    }
  });

  it('a non-Uint8Array argument is a caller bug and throws', () => {
    expect(() => addon.decodeDatagram('nope' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
