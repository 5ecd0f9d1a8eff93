// Counts messages this socket missed, from the per-CPU cn_msg.seq counter the kernel stamps on every
// proc_event it sends (acks included). A small reorder window keeps a late message from counting
// as lost; a number stays "missing" until the window passes it or it has waited too long.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>

namespace cntop {

class SeqTracker {
 public:
  /** Records one message; returns how many messages were declared lost by this call. */
  uint64_t Observe(uint32_t cpu, uint32_t seq, int64_t nowNs);
  /** Declares lost every missing number that has waited longer than the time window. */
  uint64_t Expire(int64_t nowNs);
  /** True while some number is waiting to be declared late or lost (the reader then wakes to expire it). */
  bool HasMissing() const;

  /** A missing number later than this many messages after it is lost, not late. */
  static constexpr uint32_t kReorderWindow = 64;
  /** A missing number older than this is lost even if its CPU has gone quiet. */
  static constexpr int64_t kReorderWindowNs = 100 * 1000 * 1000;
  /** Gaps larger than this are counted at once instead of being tracked number by number. */
  static constexpr uint32_t kMaxTrackedGap = 4096;

 private:
  struct Missing {
    uint32_t seq;
    int64_t sinceNs;
  };
  struct CpuState {
    uint32_t next = 0;
    std::deque<Missing> missing;  // ascending seq order
  };
  uint64_t ExpireCpu(CpuState& state, int64_t nowNs);

  std::unordered_map<uint32_t, CpuState> cpus_;
};

}  // namespace cntop
