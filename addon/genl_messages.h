// Generic-netlink requests the taskstats listener sends, and the one reply it parses (the family id).
// Pure byte building and parsing, no system calls: kept apart so the socket code stays small.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cntop {

/** CTRL_CMD_GETFAMILY for `name` (e.g. "TASKSTATS"), to the generic-netlink controller. */
std::vector<uint8_t> BuildGetFamilyRequest(uint32_t seq, const std::string& name);

enum class CpumaskOp { kRegister, kDeregister };
/** TASKSTATS_CMD_GET with TASKSTATS_CMD_ATTR_(DE)REGISTER_CPUMASK = cpulist, asking for an ack. */
std::vector<uint8_t> BuildCpumaskRequest(uint16_t familyId, uint32_t seq, CpumaskOp op, const std::string& cpulist);

struct FamilyReply {
  bool answered = false;  // a reply (or error) to request `seq` was found in the datagram
  uint16_t familyId = 0;  // CTRL_ATTR_FAMILY_ID when the lookup succeeded
  int err = 0;            // positive errno from NLMSG_ERROR (ENOENT: no such family), or EPROTO when unparsable
};

/** Looks for the answer to GETFAMILY request `seq` in one datagram (4-byte aligned). */
FamilyReply ParseFamilyReply(const uint8_t* data, size_t size, uint32_t seq);

}  // namespace cntop
