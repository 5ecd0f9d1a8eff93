// libFuzzer target for addon/proc_event_decoder.cc (DecodeDatagram), built by scripts/fuzz.sh with
// -fsanitize=fuzzer,address,undefined. Besides memory safety it checks the decoder against an
// independent reading of the wire layout (the same offsets test/unit/native/datagram-builder.ts
// writes), so a decoder that survives but miscounts or misreads an input is a finding too:
//
//   1. accounting: every netlink message the walk visits ends up as exactly one of event, ack,
//      malformed or foreign (NLMSG_NOOP as none), plus one malformed for trailing bytes or for an
//      empty datagram; so the total is bounded by size / 16 + 1;
//   2. sequence holds exactly the events' and acks' (cpu, seq), in arrival order;
//   3. comm is at most 16 bytes with no NUL, and empty on every other kind;
//   4. fields a kind does not carry stay 0 (the header's promise);
//   5. every event and ack equals what the reference reads at the documented wire offsets.
//
// A broken invariant prints what differed and aborts, which libFuzzer records as a crash.
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "proc_event_decoder.h"  // -I addon (scripts/fuzz.sh)

namespace {

// Wire layout, in bytes (little-endian words; what datagram-builder.ts writes).
constexpr size_t kNlHeader = 16;     // nlmsghdr: len u32 @0, type u16 @4, flags u16 @6, seq @8, pid @12
constexpr size_t kCnMsg = 20;        // cn_msg: idx @0, val @4, seq @8, ack @12, len u16 @16, flags u16 @18
constexpr size_t kEventHeader = 16;  // proc_event: what @0, cpu @4, timestamp_ns u64 @8, then the union
constexpr size_t kCommBytes = 16;

// The reference must describe the structs the decoder compiles against, or it checks nothing.
static_assert(sizeof(nlmsghdr) == kNlHeader && NLMSG_HDRLEN == kNlHeader, "nlmsghdr layout");
static_assert(sizeof(cn_msg) == kCnMsg && offsetof(cn_msg, len) == 16 && offsetof(cn_msg, ack) == 12, "cn_msg layout");
static_assert(offsetof(proc_event, event_data) == kEventHeader && offsetof(proc_event, cpu) == 4 &&
                  offsetof(proc_event, timestamp_ns) == 8,
              "proc_event header layout");
static_assert(sizeof(static_cast<proc_event*>(nullptr)->event_data.comm.comm) == kCommBytes, "comm size");

uint32_t U32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}
uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint64_t U64(const uint8_t* p) { return U32(p) | static_cast<uint64_t>(U32(p + 4)) << 32; }
int32_t I32(const uint8_t* p) { return static_cast<int32_t>(U32(p)); }

[[noreturn]] void Fail(const char* what, long long got, long long want) {
  std::fprintf(stderr, "\n*** connector decoder invariant broken: %s (decoder %lld, reference %lld)\n", what, got,
               want);
  std::abort();
}

void Expect(bool ok, const char* what, long long got = 0, long long want = 0) {
  if (!ok) Fail(what, got, want);
}

// What the reference expects one netlink message (or a trailing run) to become.
enum class Outcome { kEvent, kAck, kMalformed, kForeign };

struct Expected {
  Outcome outcome;
  cntop::DecodedEvent event;  // kEvent
  cntop::DecodedAck ack;      // kAck
};

struct KindWire {
  uint32_t what;
  cntop::EventKind kind;
  size_t dataBytes;  // union bytes the kind needs
};

// The union members' sizes from the kernel's struct definitions, written out by hand.
const KindWire kWireKinds[] = {
    {0x1, cntop::EventKind::kFork, 16},
    {0x2, cntop::EventKind::kExec, 8},
    {0x4, cntop::EventKind::kUid, 16},
    {0x40, cntop::EventKind::kGid, 16},
    {0x80, cntop::EventKind::kSid, 8},
    {0x100, cntop::EventKind::kPtrace, 16},
    {0x200, cntop::EventKind::kComm, 8 + kCommBytes},
    {0x40000000, cntop::EventKind::kCoredump, 16},
    {0x80000000, cntop::EventKind::kExit, 24},
};

// One NLMSG_DONE message's payload (bytes after the netlink header, all inside the datagram).
Expected ReferenceMessage(const uint8_t* p, size_t bytes) {
  Expected out{Outcome::kMalformed, {}, {}};
  if (bytes < kCnMsg) return out;
  if (U32(p) != CN_IDX_PROC || U32(p + 4) != CN_VAL_PROC) {
    out.outcome = Outcome::kForeign;
    return out;
  }
  const uint32_t seq = U32(p + 8);
  const uint32_t ack = U32(p + 12);
  const size_t cnLen = U16(p + 16);
  if (cnLen > bytes - kCnMsg || cnLen < kEventHeader) return out;
  const uint8_t* ev = p + kCnMsg;
  const size_t dataBytes = cnLen - kEventHeader;
  const uint32_t what = U32(ev);
  const uint32_t cpu = U32(ev + 4);
  const uint8_t* d = ev + kEventHeader;
  if (what == 0) {  // PROC_EVENT_NONE: ack { u32 err }
    if (dataBytes < 4) return out;
    out.outcome = Outcome::kAck;
    out.ack = cntop::DecodedAck{ack, U32(d), cpu, seq};
    return out;
  }
  const KindWire* kind = nullptr;
  for (const KindWire& k : kWireKinds) {
    if (k.what == what) kind = &k;
  }
  if (kind == nullptr) {
    out.outcome = Outcome::kForeign;
    return out;
  }
  if (dataBytes < kind->dataBytes) return out;
  cntop::DecodedEvent& e = out.event;
  out.outcome = Outcome::kEvent;
  e.kind = kind->kind;
  e.cpu = cpu;
  e.seq = seq;
  e.timestampNs = U64(ev + 8);
  // Every member starts with the task (pid, tgid), except fork: parent first, then child.
  e.pid = I32(d);
  e.tgid = I32(d + 4);
  switch (kind->kind) {
    case cntop::EventKind::kFork:
      e.parentPid = I32(d);
      e.parentTgid = I32(d + 4);
      e.pid = I32(d + 8);
      e.tgid = I32(d + 12);
      break;
    case cntop::EventKind::kUid:
    case cntop::EventKind::kGid:
      e.realId = U32(d + 8);
      e.effectiveId = U32(d + 12);
      break;
    case cntop::EventKind::kPtrace:
      e.tracerPid = I32(d + 8);
      e.tracerTgid = I32(d + 12);
      break;
    case cntop::EventKind::kComm: {
      const char* name = reinterpret_cast<const char*>(d + 8);
      size_t n = 0;
      while (n < kCommBytes && name[n] != '\0') n++;
      e.comm.assign(name, n);
      break;
    }
    case cntop::EventKind::kCoredump:
      e.parentPid = I32(d + 8);
      e.parentTgid = I32(d + 12);
      break;
    case cntop::EventKind::kExit:
      e.exitCode = U32(d + 8);
      e.exitSignal = U32(d + 12);
      e.parentPid = I32(d + 16);
      e.parentTgid = I32(d + 20);
      break;
    case cntop::EventKind::kExec:
    case cntop::EventKind::kSid:
      break;
  }
  return out;
}

// The netlink walk (NLMSG_OK / NLMSG_NEXT semantics, in 64-bit arithmetic): each message's outcome,
// NOOPs skipped, a trailing run of bytes that is not a message counted as malformed.
std::vector<Expected> Reference(const uint8_t* data, size_t size, size_t& messages) {
  std::vector<Expected> out;
  messages = 0;
  if (size == 0) {
    out.push_back(Expected{Outcome::kMalformed, {}, {}});
    return out;
  }
  size_t offset = 0;
  long long remaining = static_cast<long long>(size);
  while (remaining >= static_cast<long long>(kNlHeader)) {
    const uint32_t len = U32(data + offset);
    if (len < kNlHeader || len > remaining) break;
    messages++;
    const uint16_t type = U16(data + offset + 4);
    if (type == NLMSG_DONE) {
      out.push_back(ReferenceMessage(data + offset + kNlHeader, len - kNlHeader));
    } else if (type != NLMSG_NOOP) {
      out.push_back(Expected{Outcome::kForeign, {}, {}});
    }
    const size_t step = (static_cast<size_t>(len) + 3) & ~size_t{3};
    offset += step;
    remaining -= static_cast<long long>(step);
  }
  if (remaining > 0) out.push_back(Expected{Outcome::kMalformed, {}, {}});
  return out;
}

void CheckEvent(const cntop::DecodedEvent& got, const cntop::DecodedEvent& want) {
  Expect(got.kind == want.kind, "event kind", static_cast<int>(got.kind), static_cast<int>(want.kind));
  Expect(got.pid == want.pid, "event pid", got.pid, want.pid);
  Expect(got.tgid == want.tgid, "event tgid", got.tgid, want.tgid);
  Expect(got.cpu == want.cpu, "event cpu", got.cpu, want.cpu);
  Expect(got.seq == want.seq, "event seq", got.seq, want.seq);
  Expect(got.timestampNs == want.timestampNs, "event timestampNs", static_cast<long long>(got.timestampNs),
         static_cast<long long>(want.timestampNs));
  // The reference leaves every field a kind does not carry at 0, so these also check invariant 4.
  Expect(got.parentPid == want.parentPid, "event parentPid", got.parentPid, want.parentPid);
  Expect(got.parentTgid == want.parentTgid, "event parentTgid", got.parentTgid, want.parentTgid);
  Expect(got.tracerPid == want.tracerPid, "event tracerPid", got.tracerPid, want.tracerPid);
  Expect(got.tracerTgid == want.tracerTgid, "event tracerTgid", got.tracerTgid, want.tracerTgid);
  Expect(got.exitCode == want.exitCode, "event exitCode", got.exitCode, want.exitCode);
  Expect(got.exitSignal == want.exitSignal, "event exitSignal", got.exitSignal, want.exitSignal);
  Expect(got.realId == want.realId, "event realId", got.realId, want.realId);
  Expect(got.effectiveId == want.effectiveId, "event effectiveId", got.effectiveId, want.effectiveId);
  // Invariant 3, stated on its own so it holds even if the reference were wrong.
  Expect(got.comm.size() <= kCommBytes, "comm longer than 16 bytes", static_cast<long long>(got.comm.size()),
         static_cast<long long>(kCommBytes));
  Expect(got.comm.find('\0') == std::string::npos, "comm holds a NUL", static_cast<long long>(got.comm.find('\0')), -1);
  Expect(got.kind == cntop::EventKind::kComm || got.comm.empty(), "comm set on a non-comm event",
         static_cast<long long>(got.comm.size()), 0);
  Expect(got.comm == want.comm, "comm bytes", static_cast<long long>(got.comm.size()),
         static_cast<long long>(want.comm.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* input, size_t size) {
  // DecodeDatagram wants 4-byte-aligned data; a malloc of exactly `size` bytes keeps every read past
  // the end an ASan report instead of a silent read of slack.
  uint8_t* data = static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
  if (size != 0) std::memcpy(data, input, size);

  const cntop::DecodeResult got = cntop::DecodeDatagram(data, size);
  size_t messages = 0;
  const std::vector<Expected> want = Reference(data, size, messages);

  size_t events = 0, acks = 0, malformed = 0, foreign = 0;
  for (const Expected& e : want) {
    events += e.outcome == Outcome::kEvent;
    acks += e.outcome == Outcome::kAck;
    malformed += e.outcome == Outcome::kMalformed;
    foreign += e.outcome == Outcome::kForeign;
  }

  // 1. Accounting.
  const size_t total = got.events.size() + got.acks.size() + got.malformed + got.foreign;
  Expect(total <= messages + 1, "events+acks+malformed+foreign exceeds netlink messages + 1",
         static_cast<long long>(total), static_cast<long long>(messages + 1));
  Expect(total <= size / kNlHeader + 1, "events+acks+malformed+foreign exceeds size/16 + 1",
         static_cast<long long>(total), static_cast<long long>(size / kNlHeader + 1));
  Expect(total == want.size(), "events+acks+malformed+foreign", static_cast<long long>(total),
         static_cast<long long>(want.size()));
  Expect(got.events.size() == events, "event count", static_cast<long long>(got.events.size()),
         static_cast<long long>(events));
  Expect(got.acks.size() == acks, "ack count", static_cast<long long>(got.acks.size()), static_cast<long long>(acks));
  Expect(got.malformed == malformed, "malformed count", got.malformed, static_cast<long long>(malformed));
  Expect(got.foreign == foreign, "foreign count", got.foreign, static_cast<long long>(foreign));
  Expect(got.sequence.size() == got.events.size() + got.acks.size(), "sequence length",
         static_cast<long long>(got.sequence.size()), static_cast<long long>(got.events.size() + got.acks.size()));

  // 2-5. Item by item, in arrival order.
  size_t ei = 0, ai = 0, si = 0;
  for (const Expected& e : want) {
    if (e.outcome == Outcome::kEvent) {
      const cntop::DecodedEvent& ev = got.events[ei++];
      CheckEvent(ev, e.event);
      const cntop::CpuSeq& at = got.sequence[si++];
      Expect(at.cpu == ev.cpu && at.seq == ev.seq, "sequence entry of an event", at.seq, ev.seq);
    } else if (e.outcome == Outcome::kAck) {
      const cntop::DecodedAck& ack = got.acks[ai++];
      Expect(ack.ack == e.ack.ack, "ack.ack", ack.ack, e.ack.ack);
      Expect(ack.err == e.ack.err, "ack.err", ack.err, e.ack.err);
      Expect(ack.cpu == e.ack.cpu, "ack.cpu", ack.cpu, e.ack.cpu);
      Expect(ack.seq == e.ack.seq, "ack.seq", ack.seq, e.ack.seq);
      const cntop::CpuSeq& at = got.sequence[si++];
      Expect(at.cpu == ack.cpu && at.seq == ack.seq, "sequence entry of an ack", at.seq, ack.seq);
    }
  }

  // The name table round-trips for every kind the decoder produced.
  for (const cntop::DecodedEvent& ev : got.events) {
    const char* name = cntop::EventKindName(ev.kind);
    Expect(name != nullptr && cntop::EventKindFromName(name) == static_cast<int>(ev.kind),
           "EventKindFromName(EventKindName(kind))", cntop::EventKindFromName(name ? name : ""),
           static_cast<int>(ev.kind));
  }

  std::free(data);
  return 0;
}
