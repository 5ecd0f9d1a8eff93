// Builds the classic-BPF program described in bpf_filter.h. Layout of a datagram:
// nlmsghdr (16 bytes) + cn_msg header (20 bytes) + proc_event, whose first field is `what`.
#include "bpf_filter.h"

#include <arpa/inet.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstddef>

namespace cntop {
namespace {

constexpr uint32_t kWhatOffset = NLMSG_HDRLEN + offsetof(cn_msg, data);
constexpr uint32_t kAcceptAll = 0xffffffffu;

}  // namespace

std::vector<sock_filter> BuildWhatFilter(const std::vector<uint32_t>& whats, FilterMode mode) {
  const uint32_t onMatch = mode == FilterMode::kDropListed ? 0 : kAcceptAll;
  const uint32_t onMiss = mode == FilterMode::kDropListed ? kAcceptAll : 0;
  std::vector<sock_filter> program;
  // BPF_ABS word loads are big-endian (network order), so compare against htonl(what).
  program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kWhatOffset));
  const size_t count = whats.size();
  for (size_t i = 0; i < count; i++) {
    // On a match jump over the remaining compares and the "miss" return to the "match" return.
    const uint8_t toMatch = static_cast<uint8_t>(count - i);
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(whats[i]), toMatch, 0));
  }
  program.push_back(BPF_STMT(BPF_RET | BPF_K, onMiss));
  program.push_back(BPF_STMT(BPF_RET | BPF_K, onMatch));
  return program;
}

}  // namespace cntop
