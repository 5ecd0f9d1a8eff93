// Per-CPU gap counting for cn_msg.seq (see seq_tracker.h). Arithmetic is modulo 2^32 so the
// counter may wrap on a long-running machine.
#include "seq_tracker.h"

#include <algorithm>

namespace cntop {
namespace {

// Signed distance a - b on the wrapping 32-bit counter.
int64_t SeqDistance(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b); }

}  // namespace

uint64_t SeqTracker::Observe(uint32_t cpu, uint32_t seq, int64_t nowNs) {
  auto found = cpus_.find(cpu);
  if (found == cpus_.end()) {
    // First message from this CPU: nothing earlier can be judged missing.
    cpus_[cpu].next = seq + 1;
    return 0;
  }
  CpuState& state = found->second;
  uint64_t lost = 0;
  const int64_t ahead = SeqDistance(seq, state.next);
  if (ahead == 0) {
    state.next = seq + 1;
  } else if (ahead > 0) {
    if (ahead > kMaxTrackedGap) {
      lost += static_cast<uint64_t>(ahead);
    } else {
      for (uint32_t s = state.next; s != seq; s++) state.missing.push_back(Missing{s, nowNs});
    }
    state.next = seq + 1;
  } else {
    // Behind: a late arrival fills its hole; anything else is a duplicate and changes nothing.
    auto hole =
        std::find_if(state.missing.begin(), state.missing.end(), [seq](const Missing& m) { return m.seq == seq; });
    if (hole != state.missing.end()) state.missing.erase(hole);
  }
  return lost + ExpireCpu(state, nowNs);
}

uint64_t SeqTracker::ExpireCpu(CpuState& state, int64_t nowNs) {
  uint64_t lost = 0;
  while (!state.missing.empty()) {
    const Missing& oldest = state.missing.front();
    const bool passed = SeqDistance(state.next, oldest.seq) > kReorderWindow;
    const bool stale = nowNs - oldest.sinceNs > kReorderWindowNs;
    if (!passed && !stale) break;
    state.missing.pop_front();
    lost++;
  }
  return lost;
}

uint64_t SeqTracker::Expire(int64_t nowNs) {
  uint64_t lost = 0;
  for (auto& entry : cpus_) lost += ExpireCpu(entry.second, nowNs);
  return lost;
}

bool SeqTracker::HasMissing() const {
  for (const auto& entry : cpus_) {
    if (!entry.second.missing.empty()) return true;
  }
  return false;
}

}  // namespace cntop
