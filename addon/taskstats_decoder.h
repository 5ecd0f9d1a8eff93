// The pure taskstats decoder: one NETLINK_GENERIC datagram from the TASKSTATS family -> per-exit
// records (AGGR_PID and AGGR_TGID), NLMSG_ERROR acks, and counts of what could not be decoded.
// No system calls, no N-API: tests drive it with crafted bytes through decodeTaskstats().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cntop {

/** AGGR_PID: one task (thread) exited. AGGR_TGID: a thread group of more than one thread died. */
enum class TaskstatsKind : uint8_t { kPid, kTgid };

/** The struct taskstats fields cntop reads. Order is the packed order in js_convert / materialize. */
enum class TsField : uint8_t {
  kExitStatus,  // ac_exitcode: raw wait status
  kCpuRunNs,    // cpu_run_virtual_total: the scheduler's exact sum_exec_runtime
  kUtimeUs,     // ac_utime (tick-granular)
  kStimeUs,     // ac_stime (tick-granular)
  kBtime,       // ac_btime64 when the record has it, else ac_btime: start, s since the epoch
  kEtimeUs,     // ac_etime: start to exit
  kUid,
  kGid,
  kPpid,
  kTgid,  // ac_tgid (version 12+): lets a thread's AGGR_PID record be joined to its process
  kMinflt,
  kMajflt,
  kHiwaterRssKiB,
  kHiwaterVmKiB,
  kReadChar,
  kWriteChar,
  kReadBytes,
  kWriteBytes,
  kNvcsw,
  kNivcsw,
};
constexpr size_t kTsFieldCount = 20;

struct TaskstatsRecord {
  TaskstatsKind kind = TaskstatsKind::kPid;
  uint32_t id = 0;          // the TASKSTATS_TYPE_PID or _TGID attribute
  uint16_t version = 0;     // struct taskstats version the kernel sent
  uint32_t statsBytes = 0;  // length of the struct in the message (a newer kernel's is longer)
  uint32_t present = 0;     // bit i set: values[i] came from the record (it was long enough)
  uint64_t values[kTsFieldCount] = {};
  bool hasComm = false;
  std::string comm;  // ac_comm up to its first NUL (<= 32 bytes, raw, not UTF-8-checked)

  bool Has(TsField field) const { return (present >> static_cast<unsigned>(field)) & 1u; }
  uint64_t Get(TsField field) const { return values[static_cast<size_t>(field)]; }
};

/** NLMSG_ERROR: the kernel's answer to a request sent with NLM_F_ACK (register, deregister). */
struct TaskstatsAck {
  uint32_t seq = 0;  // nlmsg_seq of the request it answers
  uint32_t err = 0;  // positive errno, 0 for success
};

struct TaskstatsDecodeResult {
  std::vector<TaskstatsRecord> records;
  std::vector<TaskstatsAck> acks;
  /** Messages, attributes or records whose lengths do not hold together; empty datagrams. */
  uint32_t malformed = 0;
  /** Well-formed messages that are not taskstats records: other families, other commands. */
  uint32_t foreign = 0;
};

/** Walks every netlink message. familyId: the dynamic TASKSTATS id. data must be 4-byte aligned. */
TaskstatsDecodeResult DecodeTaskstats(const uint8_t* data, size_t size, uint16_t familyId);

}  // namespace cntop
