// Test driver for addon/seq_tracker.cc: reads "observe <cpu> <seq> <nowMs>" and "expire <nowMs>"
// lines on stdin and prints the running total of messages declared lost after each line.
#include <cstdint>
#include <iostream>
#include <string>

#include "../../../addon/seq_tracker.h"

int main() {
  cntop::SeqTracker tracker;
  uint64_t lost = 0;
  std::string op;
  while (std::cin >> op) {
    if (op == "observe") {
      uint32_t cpu, seq;
      int64_t nowMs;
      std::cin >> cpu >> seq >> nowMs;
      lost += tracker.Observe(cpu, seq, nowMs * 1000000);
    } else if (op == "expire") {
      int64_t nowMs;
      std::cin >> nowMs;
      lost += tracker.Expire(nowMs * 1000000);
    }
    std::cout << lost << "\n";
  }
  return 0;
}
