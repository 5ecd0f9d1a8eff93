// The addon's pure taskstats decoder (decodeTaskstats) on datagrams crafted byte by byte: every field,
// AGGR_PID and AGGR_TGID, several messages per datagram, an older shorter record, acks, and every way
// a datagram can be broken. Lives under integration/ only because it needs the compiled addon.
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/load-addon.js';
import type { NativeAddon } from '../../src/native/native-types.js';
import {
  aggrPid,
  aggrTgid,
  attr,
  concat,
  errorMessage,
  FAMILY_ID,
  genlMessage,
  OFFSET,
  stats,
  TYPE,
  u32,
} from './taskstats-datagram-builder.js';

function requireAddon(): NativeAddon {
  const loaded = loadAddon();
  if (!loaded.ok) throw new Error(`addon not built: ${JSON.stringify(loaded.error)}`);
  return loaded.value;
}

const addon = requireAddon();
const decode = (bytes: Uint8Array, family = FAMILY_ID) => addon.decodeTaskstats(bytes, family);

// Distinct values for every field, some above 2^32 so a 32-bit read would show.
const EVERY_FIELD = stats({
  comm: 'burner',
  u32: { exitStatus: 512, uid: 1000, gid: 1001, acPid: 4242, ppid: 1, btime: 1_700_000_000, tgid: 4240 },
  u64: {
    cpuRunNs: 30_123_456_789n,
    etimeUs: 45_678n,
    utimeUs: 28_000n,
    stimeUs: 4_000n,
    minflt: 16_400n,
    majflt: 3n,
    hiwaterRssKiB: 67_000n,
    hiwaterVmKiB: 70_000n,
    readChar: 5_000_000_000n,
    writeChar: 12n,
    readBytes: 4096n,
    writeBytes: 8192n,
    nvcsw: 7n,
    nivcsw: 9n,
    btime64: 1_700_000_001n,
  },
});

const EVERY_FIELD_DECODED = {
  version: 16,
  comm: 'burner',
  exitStatus: 512,
  cpuRunNs: 30_123_456_789,
  utimeUs: 28_000,
  stimeUs: 4_000,
  btime: 1_700_000_001, // ac_btime64 wins over the 32-bit ac_btime
  etimeUs: 45_678,
  uid: 1000,
  gid: 1001,
  ppid: 1,
  minflt: 16_400,
  majflt: 3,
  hiwaterRssKiB: 67_000,
  hiwaterVmKiB: 70_000,
  readChar: 5_000_000_000,
  writeChar: 12,
  readBytes: 4096,
  writeBytes: 8192,
  nvcsw: 7,
  nivcsw: 9,
};

describe('decodeTaskstats: records', () => {
  it('AGGR_PID: every field at its offset', () => {
    const d = decode(genlMessage(aggrPid(4242, EVERY_FIELD)));
    expect(d).toEqual({
      records: [{ kind: 'pid', pid: 4242, tgid: 4240, ...EVERY_FIELD_DECODED }],
      acks: [],
      malformed: 0,
      foreign: 0,
    });
  });

  it('AGGR_TGID: the group id, pid null, as the kernel fills it (comm, status, hiwater 0)', () => {
    const record = stats({ u64: { cpuRunNs: 90_000_000n } });
    const d = decode(genlMessage(aggrTgid(5000, record)));
    expect(d.records).toHaveLength(1);
    expect(d.records[0]).toMatchObject({
      kind: 'tgid',
      pid: null,
      tgid: 5000,
      comm: '',
      exitStatus: 0,
      cpuRunNs: 90_000_000,
      hiwaterRssKiB: 0,
    });
  });

  it('a message with AGGR_PID then AGGR_TGID (a thread group dying), and TASKSTATS_TYPE_NULL padding skipped', () => {
    const leader = stats({ comm: 'threads3', u32: { exitStatus: 5 << 8 } });
    const group = stats({ u64: { cpuRunNs: 3n } });
    const body = concat(aggrPid(600, leader), attr(TYPE.null, new Uint8Array(0)), aggrTgid(600, group));
    const d = decode(genlMessage(body));
    expect(d.records.map((r) => [r.kind, r.pid, r.tgid, r.comm, r.exitStatus])).toEqual([
      ['pid', 600, 0, 'threads3', 1280],
      ['tgid', null, 600, '', 0],
    ]);
    expect(d.malformed).toBe(0);
  });

  it('several messages in one datagram, each walked', () => {
    const d = decode(
      concat(
        genlMessage(aggrPid(1, stats({ comm: 'a' }))),
        genlMessage(aggrPid(2, stats({ comm: 'b' }))),
        genlMessage(aggrTgid(3, stats({}))),
      ),
    );
    expect(d.records.map((r) => [r.kind, r.pid ?? r.tgid, r.comm])).toEqual([
      ['pid', 1, 'a'],
      ['pid', 2, 'b'],
      ['tgid', 3, ''],
    ]);
    expect(d.malformed).toBe(0);
  });

  it('the id and stats attributes in either order', () => {
    const nest = attr(TYPE.aggrPid, concat(attr(TYPE.stats, stats({ comm: 'swapped' })), attr(TYPE.pid, u32(77))));
    expect(decode(genlMessage(nest)).records[0]).toMatchObject({ kind: 'pid', pid: 77, comm: 'swapped' });
  });

  it('a comm that fills all 32 bytes without a NUL keeps all 32; invalid UTF-8 decodes lossily', () => {
    const full = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    expect(decode(genlMessage(aggrPid(1, stats({ comm: full })))).records[0]?.comm).toBe(full);
    const bad = decode(genlMessage(aggrPid(1, stats({ comm: new Uint8Array([0x61, 0xff, 0x62]) })))).records[0];
    expect(bad?.comm).toBe('a\uFFFDb');
  });

  it('a record longer than our header (a newer kernel) decodes the fields we know', () => {
    const d = decode(genlMessage(aggrPid(9, stats({ version: 99, bytes: 1024, comm: 'future', u64: { nivcsw: 5n } }))));
    expect(d.records[0]).toMatchObject({ version: 99, comm: 'future', nivcsw: 5 });
  });
});

describe('decodeTaskstats: older, shorter records', () => {
  it('a version-3-sized record (up to hiwater_vm and the char counters) has those fields, the rest null', () => {
    // Cut right after write_char (224 + 8): no read_bytes/write_bytes, no nvcsw, no ac_btime64, no ac_tgid.
    const record = stats({
      version: 3,
      bytes: 232,
      comm: 'old',
      u32: { exitStatus: 256, btime: 1_600_000_000 },
      u64: { hiwaterRssKiB: 1528n, writeChar: 10n },
    });
    const r = decode(genlMessage(aggrPid(10, record))).records[0];
    expect(r).toMatchObject({
      version: 3,
      comm: 'old',
      exitStatus: 256,
      hiwaterRssKiB: 1528,
      writeChar: 10,
      btime: 1_600_000_000,
    });
    expect(r).toMatchObject({ readBytes: null, writeBytes: null, nvcsw: null, nivcsw: null, tgid: null });
  });

  it('a version-1-sized record (delay accounting only) has the cpu run time but no comm, no ac_* fields', () => {
    const record = stats({ version: 1, bytes: 80, u64: { cpuRunNs: 1234n } });
    const r = decode(genlMessage(aggrPid(11, record))).records[0];
    expect(r).toMatchObject({
      kind: 'pid',
      pid: 11,
      version: 1,
      cpuRunNs: 1234,
      exitStatus: 0,
      comm: null,
      uid: null,
      etimeUs: null,
      hiwaterRssKiB: null,
      btime: null,
    });
  });

  it('a field cut in its middle is absent, not half-read', () => {
    const r = decode(
      genlMessage(aggrPid(12, stats({ bytes: OFFSET.cpuRunNs + 4, u64: { cpuRunNs: 0xffff_ffff_ffn } }))),
    ).records[0];
    expect(r?.cpuRunNs).toBeNull();
    expect(r?.exitStatus).toBe(0);
  });
});

describe('decodeTaskstats: acks', () => {
  it('NLMSG_ERROR err 0 is an ack for its request seq; a negative errno comes back positive', () => {
    const d = decode(concat(errorMessage(7, 0), errorMessage(8, -22)));
    expect(d).toEqual({
      records: [],
      acks: [
        { seq: 7, err: 0 },
        { seq: 8, err: 22 },
      ],
      malformed: 0,
      foreign: 0,
    });
  });

  it('an ack and a record in one datagram', () => {
    const d = decode(concat(genlMessage(aggrPid(1, stats({ comm: 'x' }))), errorMessage(3, 0)));
    expect(d.records).toHaveLength(1);
    expect(d.acks).toEqual([{ seq: 3, err: 0 }]);
  });
});

describe('decodeTaskstats: broken and foreign input is counted and skipped', () => {
  const good = genlMessage(aggrPid(1, stats({ comm: 'good' })));

  it('an empty datagram', () => {
    expect(decode(new Uint8Array(0))).toMatchObject({ records: [], malformed: 1 });
  });

  it('another family, another command, another netlink type: foreign', () => {
    const d = decode(
      concat(
        genlMessage(aggrPid(1, stats({})), { type: FAMILY_ID + 1 }),
        genlMessage(aggrPid(1, stats({})), { cmd: 1 }),
        genlMessage(new Uint8Array(0), { type: 4 }), // NLMSG_OVERRUN
        good,
      ),
    );
    expect(d).toMatchObject({ foreign: 3, malformed: 0 });
    expect(d.records.map((r) => r.comm)).toEqual(['good']);
  });

  it('a family id of 0 (not resolved) decodes no records', () => {
    expect(decode(good, 0)).toMatchObject({ records: [], foreign: 1 });
  });

  it('a message too short for its genetlink header', () => {
    const bytes = new Uint8Array(16 + 2);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 18, true);
    view.setUint16(4, FAMILY_ID, true);
    expect(decode(concat(bytes, new Uint8Array(2), good))).toMatchObject({ malformed: 1 });
  });

  it('an attribute longer than its message; a nest without its id; a nest without stats; a stats of 1 byte', () => {
    const overlong = genlMessage(attr(TYPE.aggrPid, concat(attr(TYPE.pid, u32(1)), attr(TYPE.stats, stats({}))), 5000));
    const noId = genlMessage(attr(TYPE.aggrPid, attr(TYPE.stats, stats({}))));
    const noStats = genlMessage(attr(TYPE.aggrPid, attr(TYPE.pid, u32(1))));
    const tinyStats = genlMessage(
      attr(TYPE.aggrPid, concat(attr(TYPE.pid, u32(1)), attr(TYPE.stats, new Uint8Array(1)))),
    );
    const shortId = genlMessage(
      attr(TYPE.aggrPid, concat(attr(TYPE.pid, new Uint8Array(2)), attr(TYPE.stats, stats({})))),
    );
    const d = decode(concat(overlong, noId, noStats, tinyStats, shortId, good));
    expect(d.malformed).toBe(5);
    expect(d.records.map((r) => r.comm)).toEqual(['good']);
  });

  it('an attribute length below its header (a loop risk) stops the walk of that message', () => {
    const zero = genlMessage(concat(attr(TYPE.aggrPid, new Uint8Array(8), 0)));
    expect(decode(concat(zero, good))).toMatchObject({
      malformed: 1,
      records: [expect.objectContaining({ comm: 'good' })],
    });
  });

  it('a truncated datagram: the message cut short is counted, the ones before it kept', () => {
    const cut = concat(good, good).subarray(0, good.length + 100);
    const d = decode(cut);
    expect(d.records).toHaveLength(1);
    expect(d.malformed).toBe(1);
  });

  it('an NLMSG_ERROR too short for nlmsgerr', () => {
    const short = errorMessage(1, 0).subarray(0, 24);
    new DataView(short.buffer, short.byteOffset).setUint32(0, 24, true);
    expect(decode(short)).toMatchObject({ acks: [], malformed: 1 });
  });

  it('2,000 random and randomly cut datagrams never crash and never invent a record', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 2000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = new Uint8Array(Math.floor(random() * 700));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
        if (bytes.length >= 8) new DataView(bytes.buffer).setUint16(4, FAMILY_ID, true);
      } else {
        // A real message with one byte flipped and a random cut: the walk must stay in bounds.
        bytes = good.slice(0, Math.floor(random() * good.length));
        if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const d = decode(bytes);
      expect(d.records.length).toBeLessThanOrEqual(1);
      expect(d.malformed + d.foreign + d.records.length + d.acks.length).toBeGreaterThanOrEqual(0);
    }
  });
});
