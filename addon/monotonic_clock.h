// CLOCK_MONOTONIC readings: the clock of proc_event.timestamp_ns, used for batching deadlines,
// ack latency and the monotonicMs() export that lets JS relate event times to its own clock.
#pragma once

#include <cstdint>
#include <ctime>

namespace cntop {

inline int64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

inline double NsToMs(int64_t ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace cntop
