// The pure decoder: one netlink datagram from the process connector -> events, acks and counts of
// what could not be decoded. No system calls, no N-API: tests drive it with crafted bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cntop {

enum class EventKind : uint8_t { kFork, kExec, kExit, kComm, kUid, kGid, kSid, kPtrace, kCoredump };
constexpr size_t kEventKindCount = 9;

/** The TypeScript ProcEventKind spelling ("fork", "exec", ...). */
const char* EventKindName(EventKind kind);
/** Index of a ProcEventKind name, or -1 when unknown. */
int EventKindFromName(const std::string& name);
/** The kernel's proc_event.what value for a kind. */
uint32_t EventKindWhat(EventKind kind);

/** One decoded proc_event. Fields a kind does not carry stay 0. */
struct DecodedEvent {
  EventKind kind = EventKind::kFork;
  int32_t pid = 0;   // task id; for fork the child task
  int32_t tgid = 0;  // thread group; for fork the child process
  uint32_t cpu = 0;
  uint32_t seq = 0;  // cn_msg.seq: a per-CPU counter
  uint64_t timestampNs = 0;
  int32_t parentPid = 0;  // fork, exit, coredump
  int32_t parentTgid = 0;
  int32_t tracerPid = 0;  // ptrace (0 on detach)
  int32_t tracerTgid = 0;
  uint32_t exitCode = 0;     // exit: wait-status encoding
  uint32_t exitSignal = 0;   // exit: signal sent to the parent
  uint32_t realId = 0;       // uid/gid events: ruid or rgid
  uint32_t effectiveId = 0;  // uid/gid events: euid or egid
  std::string comm;          // comm events: the new name (<= 16 bytes, raw, not UTF-8-checked)
};

/** A PROC_EVENT_NONE message: the kernel's answer to somebody's LISTEN/IGNORE (multicast). */
struct DecodedAck {
  uint32_t ack = 0;  // the sender's cn_msg.ack + 1
  uint32_t err = 0;  // 0, EPERM or EINVAL
  uint32_t cpu = 0;
  uint32_t seq = 0;
};

/** Every decoded message's place in its CPU's sequence, events and acks alike, in arrival order. */
struct CpuSeq {
  uint32_t cpu;
  uint32_t seq;
};

struct DecodeResult {
  std::vector<DecodedEvent> events;
  std::vector<DecodedAck> acks;
  std::vector<CpuSeq> sequence;
  /** Messages (or trailing byte runs) whose lengths do not hold together, and empty datagrams. */
  uint32_t malformed = 0;
  /** Messages that are not process-connector events: other connector ids, other netlink types,
   *  and proc_event kinds this build does not know (a newer kernel's). */
  uint32_t foreign = 0;
};

/** Walks every netlink message in the datagram (NLMSG_OK / NLMSG_NEXT). data must be 4-byte aligned. */
DecodeResult DecodeDatagram(const uint8_t* data, size_t size);

}  // namespace cntop
