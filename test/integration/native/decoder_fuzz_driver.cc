// Memory-safety driver for addon/proc_event_decoder.cc, built with AddressSanitizer and UBSan:
// decodes random and mutated-valid datagrams, each in a heap buffer of exactly its own size, so any
// read past the end aborts. Prints "ok <decoded items>" when every input was handled.
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "../../../addon/proc_event_decoder.h"

namespace {

constexpr size_t kFullMessage = NLMSG_LENGTH(sizeof(cn_msg) + sizeof(proc_event));

// A single-event datagram (nlmsghdr + cn_msg + proc_event) of n bytes, its nlmsg_len saying n, with a
// random kind and cn_msg.len, then a few random bytes: lengths that lie are what a decoder must survive.
void FillMutatedValid(uint8_t* buf, size_t n, std::mt19937& random) {
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(n);
  header.nlmsg_type = NLMSG_DONE;
  std::memcpy(buf, &header, sizeof header);
  cn_msg msg{};
  msg.id.idx = CN_IDX_PROC;
  msg.id.val = CN_VAL_PROC;
  msg.len = random() % 2 ? sizeof(proc_event) : static_cast<uint16_t>(random() % 64);
  if (n < NLMSG_HDRLEN + sizeof msg) return;
  std::memcpy(buf + NLMSG_HDRLEN, &msg, sizeof msg);
  const uint32_t whats[] = {0, 1, 2, 4, 0x40, 0x80, 0x100, 0x200, 0x40000000, 0x80000000};
  const uint32_t what = whats[random() % 10];
  if (n < NLMSG_HDRLEN + sizeof msg + sizeof what) return;
  std::memcpy(buf + NLMSG_HDRLEN + sizeof msg, &what, sizeof what);
  for (int k = 0; k < 2; k++) buf[NLMSG_HDRLEN + sizeof msg + random() % (n - NLMSG_HDRLEN - sizeof msg)] = static_cast<uint8_t>(random());
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 100000;
  std::mt19937 random(12345);
  size_t decoded = 0;
  for (int round = 0; round < rounds; round++) {
    const bool structured = random() % 2 == 0;
    // Structured inputs are full-size or cut short (down to a bare header); random ones any size.
    const size_t cut = random() % 2 ? 0 : random() % (kFullMessage - NLMSG_HDRLEN + 1);
    const size_t n = structured ? kFullMessage - cut : random() % 300;
    auto* buf = static_cast<uint8_t*>(std::malloc(n == 0 ? 1 : n));
    if (structured) {
      std::memset(buf, 0, n);
      FillMutatedValid(buf, n, random);
    } else {
      for (size_t i = 0; i < n; i++) buf[i] = static_cast<uint8_t>(random());
    }
    const cntop::DecodeResult result = cntop::DecodeDatagram(buf, n);
    decoded += result.events.size() + result.acks.size();
    std::free(buf);
  }
  std::printf("ok %zu\n", decoded);
  return 0;
}
