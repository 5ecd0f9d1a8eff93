// Classic BPF programs for a process-connector socket that keep or drop messages by
// proc_event.what, so unwanted kinds never wake the reader. Pure: builds instructions only.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

namespace cntop {

enum class FilterMode { kDropListed, kKeepListed };

/** A program over one connector message per datagram (cn_proc sends each event in its own skb). */
std::vector<sock_filter> BuildWhatFilter(const std::vector<uint32_t>& whats, FilterMode mode);

}  // namespace cntop
