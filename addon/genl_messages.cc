// Generic-netlink message building and the GETFAMILY reply parser (see genl_messages.h).
// Messages are assembled with memcpy into a byte vector: sendto() needs no alignment, and the
// layout (nlmsghdr, genlmsghdr, one NUL-terminated string attribute) is spelled out once here.
#include "genl_messages.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>

#include <cerrno>
#include <cstring>

namespace cntop {
namespace {

std::vector<uint8_t> BuildStringRequest(uint16_t type, uint16_t flags, uint32_t seq, uint8_t cmd, uint8_t version,
                                        uint16_t attrType, const std::string& text) {
  const size_t attrLen = NLA_HDRLEN + text.size() + 1;  // the kernel's string policies want the NUL
  const size_t total = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(attrLen);
  std::vector<uint8_t> bytes(total, 0);
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(total);
  header.nlmsg_type = type;
  header.nlmsg_flags = flags;
  header.nlmsg_seq = seq;
  header.nlmsg_pid = 0;  // the kernel fills in our port id
  std::memcpy(bytes.data(), &header, sizeof header);
  genlmsghdr genl{};
  genl.cmd = cmd;
  genl.version = version;
  std::memcpy(bytes.data() + NLMSG_HDRLEN, &genl, sizeof genl);
  nlattr attr{};
  attr.nla_len = static_cast<uint16_t>(attrLen);
  attr.nla_type = attrType;
  std::memcpy(bytes.data() + NLMSG_HDRLEN + GENL_HDRLEN, &attr, sizeof attr);
  std::memcpy(bytes.data() + NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN, text.data(), text.size());
  return bytes;
}

}  // namespace

std::vector<uint8_t> BuildGetFamilyRequest(uint32_t seq, const std::string& name) {
  return BuildStringRequest(GENL_ID_CTRL, NLM_F_REQUEST, seq, CTRL_CMD_GETFAMILY, 1, CTRL_ATTR_FAMILY_NAME, name);
}

std::vector<uint8_t> BuildCpumaskRequest(uint16_t familyId, uint32_t seq, CpumaskOp op, const std::string& cpulist) {
  const uint16_t attr =
      op == CpumaskOp::kRegister ? TASKSTATS_CMD_ATTR_REGISTER_CPUMASK : TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK;
  return BuildStringRequest(familyId, NLM_F_REQUEST | NLM_F_ACK, seq, TASKSTATS_CMD_GET, TASKSTATS_GENL_VERSION, attr,
                            cpulist);
}

FamilyReply ParseFamilyReply(const uint8_t* data, size_t size, uint32_t seq) {
  FamilyReply reply;
  int remaining = size > 0x7fffffff ? 0x7fffffff : static_cast<int>(size);
  const nlmsghdr* header = reinterpret_cast<const nlmsghdr*>(data);
  for (; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
    if (header->nlmsg_seq != seq) continue;
    const uint8_t* payload = reinterpret_cast<const uint8_t*>(NLMSG_DATA(header));
    const size_t bytes = header->nlmsg_len - NLMSG_HDRLEN;
    if (header->nlmsg_type == NLMSG_ERROR) {
      nlmsgerr error{};
      if (bytes < sizeof error) return FamilyReply{true, 0, EPROTO};
      std::memcpy(&error, payload, sizeof error);
      if (error.error == 0) continue;  // a plain ack; the reply itself carries the id
      return FamilyReply{true, 0, error.error < 0 ? -error.error : error.error};
    }
    if (header->nlmsg_type != GENL_ID_CTRL || bytes < GENL_HDRLEN) continue;
    size_t offset = GENL_HDRLEN;
    while (bytes - offset >= NLA_HDRLEN) {
      nlattr attr{};
      std::memcpy(&attr, payload + offset, sizeof attr);
      if (attr.nla_len < NLA_HDRLEN || attr.nla_len > bytes - offset) break;
      if ((attr.nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID && attr.nla_len >= NLA_HDRLEN + sizeof(uint16_t)) {
        std::memcpy(&reply.familyId, payload + offset + NLA_HDRLEN, sizeof reply.familyId);
        reply.answered = true;
        return reply;
      }
      offset += NLA_ALIGN(attr.nla_len);
      if (offset > bytes) break;
    }
    return FamilyReply{true, 0, EPROTO};  // our reply, but without a family id
  }
  return reply;
}

}  // namespace cntop
