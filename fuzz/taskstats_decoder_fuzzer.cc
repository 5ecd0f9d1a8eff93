// libFuzzer target for addon/taskstats_decoder.cc (DecodeTaskstats), built by scripts/fuzz.sh with
// -fsanitize=fuzzer,address,undefined. The input is one NETLINK_GENERIC datagram; the TASKSTATS
// family id is fixed at kFamily (0x15), and the same bytes are decoded a second time with a family id
// no message carries. Besides memory safety it checks what the header (taskstats_decoder.h) promises,
// against an independent walk of the netlink framing, without copying the decoder's attribute walk:
//
//   1. accounting: foreign is exactly the messages of other types (not NOOP/DONE/ERROR) plus family
//      messages whose genl command is not TASKSTATS_CMD_NEW; every NLMSG_ERROR message is exactly one
//      ack or one malformed; records, and malformed beyond the message-level ones, are bounded by what
//      the NEW messages' attribute bytes can hold; no NEW message (or the absent family) -> no record;
//   2. acks: seq is the request's nlmsg_seq, err the positive errno, in message order;
//   3. present has only the 20 TsField bits; a field is present exactly when statsBytes covers its
//      struct taskstats member (kBtime: ac_btime, read from ac_btime64 when that fits too); values
//      without their present bit are 0;
//   4. comm is at most 32 bytes with no NUL; hasComm exactly when statsBytes covers ac_comm;
//   5. every record's values, version and comm are found in the datagram: a 4-aligned
//      TASKSTATS_TYPE_STATS attribute of statsBytes bytes inside a NEW family message holds them, and
//      a PID/TGID attribute (per kind) in that message holds id.
//
// Those checks cannot tell a good record from one wrongly thrown away as malformed, so every input
// is also turned into a well-formed datagram (BuildWellFormed: one TASKSTATS_CMD_NEW message with an
// AGGR_PID and/or AGGR_TGID record whose struct length, id, attribute order, NULL padding, NLA_F_NESTED
// and struct bytes come from the input), which must decode to exactly those records and nothing else.
//
// A broken invariant prints what differed and aborts, which libFuzzer records as a crash.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "taskstats_decoder.h"  // -I addon (scripts/fuzz.sh)

namespace {

constexpr uint16_t kFamily = 0x15;  // a typical dynamic id; any id >= GENL_MIN_ID would do
constexpr size_t kNlHeader = 16;    // nlmsghdr: len u32 @0, type u16 @4, flags u16 @6, seq u32 @8, pid @12
constexpr size_t kGenlHeader = 4;   // genlmsghdr: cmd u8 @0, version u8 @1, reserved u16 @2
constexpr size_t kNlaHeader = 4;    // nlattr: len u16 @0, type u16 @2
constexpr size_t kNlmsgErr = 20;    // nlmsgerr: error s32 @0, then the request's nlmsghdr (seq @12)
constexpr size_t kCommBytes = sizeof(static_cast<taskstats*>(nullptr)->ac_comm);

static_assert(NLMSG_HDRLEN == kNlHeader && GENL_HDRLEN == kGenlHeader && NLA_HDRLEN == kNlaHeader, "netlink layout");
static_assert(sizeof(nlmsgerr) == kNlmsgErr, "nlmsgerr layout");
static_assert(kCommBytes == 32, "ac_comm is TS_COMM_LEN (32) bytes");
static_assert(cntop::kTsFieldCount <= 32, "present is a 32-bit mask");

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t U32(const uint8_t* p) { return static_cast<uint32_t>(U16(p)) | static_cast<uint32_t>(U16(p + 2)) << 16; }
uint64_t Unsigned(const uint8_t* p, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = bytes; i-- > 0;) v = v << 8 | p[i];
  return v;
}

[[noreturn]] void Fail(const char* what, long long got, long long want) {
  std::fprintf(stderr, "\n*** taskstats decoder invariant broken: %s (decoder %lld, expected %lld)\n", what, got, want);
  std::abort();
}

void Expect(bool ok, const char* what, long long got = 0, long long want = 0) {
  if (!ok) Fail(what, got, want);
}

// Where each TsField comes from, as the header's comments name it (kBtime: see BtimeSource).
struct Member {
  size_t offset;
  size_t bytes;
};
#define MEMBER(m) \
  Member { offsetof(taskstats, m), sizeof(static_cast<taskstats*>(nullptr)->m) }
Member MemberOf(cntop::TsField field) {
  using F = cntop::TsField;
  switch (field) {
    case F::kExitStatus:
      return MEMBER(ac_exitcode);
    case F::kCpuRunNs:
      return MEMBER(cpu_run_virtual_total);
    case F::kUtimeUs:
      return MEMBER(ac_utime);
    case F::kStimeUs:
      return MEMBER(ac_stime);
    case F::kBtime:
      return MEMBER(ac_btime);
    case F::kEtimeUs:
      return MEMBER(ac_etime);
    case F::kUid:
      return MEMBER(ac_uid);
    case F::kGid:
      return MEMBER(ac_gid);
    case F::kPpid:
      return MEMBER(ac_ppid);
    case F::kTgid:
      return MEMBER(ac_tgid);
    case F::kMinflt:
      return MEMBER(ac_minflt);
    case F::kMajflt:
      return MEMBER(ac_majflt);
    case F::kHiwaterRssKiB:
      return MEMBER(hiwater_rss);
    case F::kHiwaterVmKiB:
      return MEMBER(hiwater_vm);
    case F::kReadChar:
      return MEMBER(read_char);
    case F::kWriteChar:
      return MEMBER(write_char);
    case F::kReadBytes:
      return MEMBER(read_bytes);
    case F::kWriteBytes:
      return MEMBER(write_bytes);
    case F::kNvcsw:
      return MEMBER(nvcsw);
    case F::kNivcsw:
      return MEMBER(nivcsw);
  }
  Fail("TsField out of range", static_cast<long long>(field), 0);
}
// kBtime prefers the 64-bit ac_btime64 when the record holds it.
Member BtimeSource(size_t statsBytes) {
  const Member wide = MEMBER(ac_btime64);
  return statsBytes >= wide.offset + wide.bytes ? wide : MEMBER(ac_btime);
}
#undef MEMBER

bool Fits(Member m, size_t statsBytes) { return statsBytes >= m.offset + m.bytes; }

// --- the netlink framing, walked independently (NLMSG_OK / NLMSG_NEXT semantics) ------------------

struct WantAck {
  uint32_t echoedSeq;  // the request's header inside nlmsgerr
  uint32_t outerSeq;   // the answer's own nlmsg_seq (the kernel sets both to the request's)
  uint32_t err;
};

struct Region {
  size_t begin, end;  // a NEW family message's attribute bytes: [begin, end)
};

struct Framing {
  std::vector<WantAck> acks;
  uint32_t foreign = 0;
  uint32_t malformedAtLeast = 0;  // empty datagram, trailing run, short NLMSG_ERROR, short genl header
  uint32_t errorMessages = 0;
  uint32_t recordBudget = 0;  // records + attribute-level malformed the NEW messages can hold
  std::vector<Region> newMessages;
};

Framing Walk(const uint8_t* data, size_t size, uint16_t familyId) {
  Framing f;
  if (size == 0) {
    f.malformedAtLeast = 1;
    return f;
  }
  size_t offset = 0;
  long long remaining = static_cast<long long>(size);
  while (remaining >= static_cast<long long>(kNlHeader)) {
    const uint32_t len = U32(data + offset);
    if (len < kNlHeader || len > remaining) break;
    const uint16_t type = U16(data + offset + 4);
    const uint8_t* payload = data + offset + kNlHeader;
    const size_t bytes = len - kNlHeader;
    if (type == NLMSG_NOOP || type == NLMSG_DONE) {
      // nothing
    } else if (type == NLMSG_ERROR) {
      f.errorMessages++;
      if (bytes < kNlmsgErr) {
        f.malformedAtLeast++;
      } else {
        const int32_t error = static_cast<int32_t>(U32(payload));
        const uint32_t err =
            error < 0 ? static_cast<uint32_t>(-static_cast<int64_t>(error)) : static_cast<uint32_t>(error);
        f.acks.push_back(WantAck{U32(payload + 12), U32(data + offset + 8), err});
      }
    } else if (type == familyId) {
      if (bytes < kGenlHeader) {
        f.malformedAtLeast++;
      } else if (payload[0] != TASKSTATS_CMD_NEW) {
        f.foreign++;
      } else {
        const size_t attrBytes = bytes - kGenlHeader;
        // Each AGGR attribute is at least a header; plus one for a walk that fails.
        f.recordBudget += static_cast<uint32_t>(attrBytes / kNlaHeader + 1);
        const size_t begin = offset + kNlHeader + kGenlHeader;
        f.newMessages.push_back(Region{begin, begin + attrBytes});
      }
    } else {
      f.foreign++;
    }
    const size_t step = (static_cast<size_t>(len) + 3) & ~size_t{3};
    offset += step;
    remaining -= static_cast<long long>(step);
  }
  if (remaining > 0) f.malformedAtLeast++;
  return f;
}

// --- checks ----------------------------------------------------------------------------------------

// Invariant 5: some STATS attribute in a NEW message holds exactly this record.
bool StatsFound(const cntop::TaskstatsRecord& r, const uint8_t* data, const Framing& f) {
  for (const Region& region : f.newMessages) {
    // The payload starts 4-aligned, after at least the AGGR nest's header and the STATS header.
    for (size_t o = region.begin + 2 * kNlaHeader; o + r.statsBytes <= region.end; o += 4) {
      const uint8_t* nla = data + o - kNlaHeader;
      if (U16(nla) != r.statsBytes + kNlaHeader || (U16(nla + 2) & NLA_TYPE_MASK) != TASKSTATS_TYPE_STATS) continue;
      const uint8_t* stats = data + o;
      if (U16(stats + offsetof(taskstats, version)) != r.version) continue;
      bool same = true;
      for (size_t i = 0; i < cntop::kTsFieldCount && same; i++) {
        const auto field = static_cast<cntop::TsField>(i);
        if (!r.Has(field)) continue;
        const Member m = field == cntop::TsField::kBtime ? BtimeSource(r.statsBytes) : MemberOf(field);
        same = r.Get(field) == Unsigned(stats + m.offset, m.bytes);
      }
      if (same && r.hasComm) {
        const char* comm = reinterpret_cast<const char*>(stats + offsetof(taskstats, ac_comm));
        same = r.comm == std::string(comm, strnlen(comm, kCommBytes));
      }
      if (same) return true;
    }
  }
  return false;
}

bool IdFound(const cntop::TaskstatsRecord& r, const uint8_t* data, const Framing& f) {
  const uint16_t idType = r.kind == cntop::TaskstatsKind::kPid ? TASKSTATS_TYPE_PID : TASKSTATS_TYPE_TGID;
  for (const Region& region : f.newMessages) {
    for (size_t p = region.begin + kNlaHeader; p + kNlaHeader + 4 <= region.end; p += 4) {
      if (U16(data + p) >= kNlaHeader + 4 && (U16(data + p + 2) & NLA_TYPE_MASK) == idType && U32(data + p + 4) == r.id)
        return true;
    }
  }
  return false;
}

void CheckRecord(const cntop::TaskstatsRecord& r, const uint8_t* data, size_t size, const Framing& f) {
  Expect(r.kind == cntop::TaskstatsKind::kPid || r.kind == cntop::TaskstatsKind::kTgid, "record kind",
         static_cast<int>(r.kind), 0);
  Expect(r.statsBytes >= offsetof(taskstats, version) + sizeof(uint16_t), "statsBytes below the version field",
         r.statsBytes, 2);
  // nlmsghdr + genlmsghdr + the AGGR nest's header + the STATS attribute's header come first.
  const size_t overhead = kNlHeader + kGenlHeader + 2 * kNlaHeader;
  Expect(r.statsBytes + overhead <= size, "statsBytes larger than the datagram can hold", r.statsBytes,
         static_cast<long long>(size > overhead ? size - overhead : 0));
  Expect((r.present >> cntop::kTsFieldCount) == 0, "present bit beyond kTsFieldCount", r.present, 0);
  for (size_t i = 0; i < cntop::kTsFieldCount; i++) {
    const auto field = static_cast<cntop::TsField>(i);
    const Member m = MemberOf(field);
    Expect(r.Has(field) == Fits(m, r.statsBytes), "present bit differs from 'statsBytes covers the member'",
           static_cast<long long>(i) * 10 + r.Has(field), static_cast<long long>(i) * 10 + Fits(m, r.statsBytes));
    if (!r.Has(field))
      Expect(r.Get(field) == 0, "value without its present bit is not 0", static_cast<long long>(i), 0);
    if (r.Has(field) && field != cntop::TsField::kBtime && m.bytes < 8) {
      Expect(r.Get(field) >> (8 * m.bytes) == 0, "value wider than its member", static_cast<long long>(i), 0);
    }
  }
  Expect(r.comm.size() <= kCommBytes, "comm longer than 32 bytes", static_cast<long long>(r.comm.size()), kCommBytes);
  Expect(r.comm.find('\0') == std::string::npos, "comm holds a NUL", static_cast<long long>(r.comm.find('\0')), -1);
  Expect(r.hasComm || r.comm.empty(), "comm without hasComm", static_cast<long long>(r.comm.size()), 0);
  const bool commFits = r.statsBytes >= offsetof(taskstats, ac_comm) + kCommBytes;
  Expect(r.hasComm == commFits, "hasComm differs from 'statsBytes covers ac_comm'", r.hasComm, commFits);
  Expect(StatsFound(r, data, f), "no STATS attribute in a NEW message holds this record's version/values/comm",
         r.statsBytes, r.version);
  Expect(IdFound(r, data, f), "no PID/TGID attribute in a NEW message holds this record's id", r.id,
         static_cast<int>(r.kind));
}

void Check(const cntop::TaskstatsDecodeResult& got, const uint8_t* data, size_t size, uint16_t familyId,
           bool checkRecords) {
  const Framing f = Walk(data, size, familyId);
  const size_t total = got.records.size() + got.acks.size() + got.malformed + got.foreign;
  Expect(total <= size / kNlaHeader + 1, "records+acks+malformed+foreign exceeds size/4 + 1",
         static_cast<long long>(total), static_cast<long long>(size / kNlaHeader + 1));
  Expect(got.foreign == f.foreign, "foreign count", got.foreign, f.foreign);
  Expect(got.acks.size() == f.acks.size(), "ack count", static_cast<long long>(got.acks.size()),
         static_cast<long long>(f.acks.size()));
  for (size_t i = 0; i < f.acks.size(); i++) {
    const cntop::TaskstatsAck& a = got.acks[i];
    Expect(a.seq == f.acks[i].echoedSeq || a.seq == f.acks[i].outerSeq, "ack seq", a.seq, f.acks[i].echoedSeq);
    Expect(a.err == f.acks[i].err, "ack err", a.err, f.acks[i].err);
  }
  Expect(got.acks.size() <= f.errorMessages, "more acks than NLMSG_ERROR messages",
         static_cast<long long>(got.acks.size()), f.errorMessages);
  Expect(got.malformed >= f.malformedAtLeast, "malformed below the message-level count", got.malformed,
         f.malformedAtLeast);
  const size_t attributeLevel = got.records.size() + (got.malformed - f.malformedAtLeast);
  Expect(attributeLevel <= f.recordBudget, "records + attribute-level malformed exceed what NEW messages can hold",
         static_cast<long long>(attributeLevel), f.recordBudget);
  if (f.newMessages.empty()) {
    Expect(got.records.empty(), "records without a TASKSTATS_CMD_NEW message of the family",
           static_cast<long long>(got.records.size()), 0);
    Expect(got.malformed == f.malformedAtLeast, "attribute-level malformed without a NEW message", got.malformed,
           f.malformedAtLeast);
  }
  if (checkRecords) {
    for (const cntop::TaskstatsRecord& r : got.records) CheckRecord(r, data, size, f);
  }
}

// A family id (>= GENL_MIN_ID, so not a control type) that no message in the datagram carries: no
// 4-aligned nlmsg_type position holds it. (Only a datagram over 256 KiB could use them all.)
uint16_t AbsentFamily(const uint8_t* data, size_t size) {
  for (uint16_t candidate = GENL_MIN_ID;; candidate++) {
    bool used = false;
    for (size_t offset = 0; offset + kNlHeader <= size && !used; offset += 4)
      used = U16(data + offset + 4) == candidate;
    if (!used || candidate == UINT16_MAX) return candidate;
  }
}

// --- well-formed datagrams built from the input -----------------------------------------------------

struct Built {
  std::vector<uint8_t> bytes;
  size_t records = 0;
  cntop::TaskstatsKind kinds[2] = {};
  uint32_t ids[2] = {};
  size_t statsLength = 0;
  size_t statsAt[2] = {};  // offsets of the struct bytes in `bytes`
};

void PutU16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
  out[at] = static_cast<uint8_t>(v);
  out[at + 1] = static_cast<uint8_t>(v >> 8);
}
void PutU32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  PutU16(out, at, static_cast<uint16_t>(v));
  PutU16(out, at + 2, static_cast<uint16_t>(v >> 16));
}
// Appends an attribute header and payload (zeros), padded to 4; returns the payload's offset.
size_t AddAttr(std::vector<uint8_t>& out, uint16_t type, size_t payloadBytes) {
  const size_t at = out.size();
  out.resize(at + ((kNlaHeader + payloadBytes + 3) & ~size_t{3}), 0);
  PutU16(out, at, static_cast<uint16_t>(kNlaHeader + payloadBytes));
  PutU16(out, at + 2, type);
  return at + kNlaHeader;
}

// Input bytes 0-1: struct length; 2: shape flags; 4-7: id; 8..: the struct's bytes (repeated).
// Flags: 1 two records (AGGR_PID + AGGR_TGID, a group exit), 2 TGID first, 4 NLA_F_NESTED on the
// nests, 8 STATS before the id, 16 a TASKSTATS_TYPE_NULL between them, 32 the message ends right
// after the last attribute's payload (no padding; nest and message lengths unaligned).
Built BuildWellFormed(const uint8_t* in, size_t size) {
  auto byte = [&](size_t i) -> uint8_t { return i < size ? in[i] : 0; };
  const uint8_t flags = byte(2);
  Built b;
  b.statsLength = 2 + (static_cast<size_t>(byte(0) | byte(1) << 8) % 600);  // to past a v13 struct
  b.records = (flags & 1) != 0 ? 2 : 1;
  std::vector<uint8_t>& out = b.bytes;
  out.reserve(2 * (3 * kNlaHeader + 4 + 604) + kNlHeader + kGenlHeader + 8);  // no regrowth
  out.resize(kNlHeader + kGenlHeader, 0);
  PutU16(out, 4, kFamily);
  out[kNlHeader] = TASKSTATS_CMD_NEW;
  out[kNlHeader + 1] = 1;  // TASKSTATS_GENL_VERSION
  for (size_t r = 0; r < b.records; r++) {
    const bool tgidFirst = (flags & 2) != 0;
    b.kinds[r] = (r == 0) != tgidFirst ? cntop::TaskstatsKind::kPid : cntop::TaskstatsKind::kTgid;
    const bool pid = b.kinds[r] == cntop::TaskstatsKind::kPid;
    b.ids[r] = static_cast<uint32_t>(byte(4) | byte(5) << 8 | byte(6) << 16) | static_cast<uint32_t>(byte(7)) << 24;
    b.ids[r] += static_cast<uint32_t>(r);
    const size_t nestAt = out.size();
    out.resize(nestAt + kNlaHeader, 0);
    const uint16_t nested = (flags & 4) != 0 ? NLA_F_NESTED : 0;
    PutU16(out, nestAt + 2, static_cast<uint16_t>((pid ? TASKSTATS_TYPE_AGGR_PID : TASKSTATS_TYPE_AGGR_TGID) | nested));
    size_t payloadEnd = 0;  // end of the last attribute's payload, before its padding
    auto addId = [&] {
      const size_t at = AddAttr(out, pid ? TASKSTATS_TYPE_PID : TASKSTATS_TYPE_TGID, 4);
      PutU32(out, at, b.ids[r]);
      payloadEnd = at + 4;
    };
    auto addStats = [&] {
      b.statsAt[r] = AddAttr(out, TASKSTATS_TYPE_STATS, b.statsLength);
      payloadEnd = b.statsAt[r] + b.statsLength;
      if (size <= 8) return;  // zeros
      // The input's tail, repeated (block copies: a per-byte modulo would dominate the run time).
      const uint8_t* tail = in + 8;
      const size_t tailBytes = size - 8;
      for (size_t i = 0, from = r % tailBytes; i < b.statsLength; from = 0) {
        const size_t n = std::min(tailBytes - from, b.statsLength - i);
        std::memcpy(&out[b.statsAt[r] + i], tail + from, n);
        i += n;
      }
    };
    const bool statsFirst = (flags & 8) != 0;
    if (statsFirst)
      addStats();
    else
      addId();
    if ((flags & 16) != 0) AddAttr(out, TASKSTATS_TYPE_NULL, 0);
    if (statsFirst)
      addId();
    else
      addStats();
    if (r + 1 == b.records && (flags & 32) != 0) out.resize(payloadEnd);
    PutU16(out, nestAt, static_cast<uint16_t>(out.size() - nestAt));
  }
  PutU32(out, 0, static_cast<uint32_t>(out.size()));
  out.resize((out.size() + 3) & ~size_t{3}, 0);  // the datagram itself is whole 4-byte words
  return b;
}

void CheckWellFormed(const uint8_t* input, size_t size) {
  const Built b = BuildWellFormed(input, size);
  uint8_t* data = static_cast<uint8_t*>(std::malloc(b.bytes.size()));
  std::memcpy(data, b.bytes.data(), b.bytes.size());
  const cntop::TaskstatsDecodeResult got = cntop::DecodeTaskstats(data, b.bytes.size(), kFamily);
  Expect(got.malformed == 0, "well-formed datagram: malformed", got.malformed, 0);
  Expect(got.foreign == 0, "well-formed datagram: foreign", got.foreign, 0);
  Expect(got.acks.empty(), "well-formed datagram: acks", static_cast<long long>(got.acks.size()), 0);
  Expect(got.records.size() == b.records, "well-formed datagram: records", static_cast<long long>(got.records.size()),
         static_cast<long long>(b.records));
  for (size_t r = 0; r < b.records; r++) {
    const cntop::TaskstatsRecord& rec = got.records[r];
    const uint8_t* stats = data + b.statsAt[r];
    Expect(rec.kind == b.kinds[r], "well-formed record: kind", static_cast<int>(rec.kind),
           static_cast<int>(b.kinds[r]));
    Expect(rec.id == b.ids[r], "well-formed record: id", rec.id, b.ids[r]);
    Expect(rec.statsBytes == b.statsLength, "well-formed record: statsBytes", rec.statsBytes,
           static_cast<long long>(b.statsLength));
    Expect(rec.version == U16(stats), "well-formed record: version", rec.version, U16(stats));
    for (size_t i = 0; i < cntop::kTsFieldCount; i++) {
      const auto field = static_cast<cntop::TsField>(i);
      const Member m = field == cntop::TsField::kBtime ? BtimeSource(b.statsLength) : MemberOf(field);
      const bool fits = Fits(MemberOf(field), b.statsLength);
      Expect(rec.Has(field) == fits, "well-formed record: present bit", static_cast<long long>(i), fits);
      if (fits)
        Expect(rec.Get(field) == Unsigned(stats + m.offset, m.bytes), "well-formed record: value",
               static_cast<long long>(i), 0);
    }
    const bool commFits = Fits(Member{offsetof(taskstats, ac_comm), kCommBytes}, b.statsLength);
    Expect(rec.hasComm == commFits, "well-formed record: hasComm", rec.hasComm, commFits);
    if (commFits) {
      const char* comm = reinterpret_cast<const char*>(stats + offsetof(taskstats, ac_comm));
      Expect(rec.comm == std::string(comm, strnlen(comm, kCommBytes)), "well-formed record: comm",
             static_cast<long long>(rec.comm.size()), static_cast<long long>(strnlen(comm, kCommBytes)));
    }
  }
  // And the raw-input invariants hold for it too.
  Check(got, data, b.bytes.size(), kFamily, true);
  std::free(data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  // DecodeTaskstats wants 4-byte-aligned data; a malloc of exactly `size` bytes keeps every read past
  // the end an ASan report instead of a silent read of slack.
  uint8_t* data = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (size != 0) std::memcpy(data, input, size);

  Check(cntop::DecodeTaskstats(data, size, kFamily), data, size, kFamily, true);
  const uint16_t absent = AbsentFamily(data, size);
  const cntop::TaskstatsDecodeResult other = cntop::DecodeTaskstats(data, size, absent);
  Check(other, data, size, absent, false);
  Expect(other.records.empty(), "records decoded for a family id no message carries",
         static_cast<long long>(other.records.size()), 0);
  std::free(data);

  CheckWellFormed(input, size);
  return 0;
}
