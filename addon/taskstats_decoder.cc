// Decodes taskstats datagrams with the kernel's own struct (<linux/taskstats.h>). Every field is read
// at offsetof() in that header, and only when the record the kernel sent is long enough to hold it:
// struct taskstats only ever grows at its end, so a shorter record (an older kernel) simply lacks the
// newer fields, and a longer one (a newer kernel than our headers) has fields we do not know and skip.
// Every length is checked before it is trusted; values are copied with memcpy, so a crafted datagram
// can never cause an unaligned or out-of-bounds read.
#include "taskstats_decoder.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>

#include <cstring>

namespace cntop {
namespace {

struct FieldSpec {
  TsField field;
  size_t offset;
  size_t bytes;
};

#define TS_AT(member) offsetof(taskstats, member), sizeof(static_cast<const taskstats*>(nullptr)->member)

// kBtime is not here: it prefers ac_btime64 and falls back to ac_btime (see ReadRecordFields).
const FieldSpec kFields[] = {
    {TsField::kExitStatus, TS_AT(ac_exitcode)},
    {TsField::kCpuRunNs, TS_AT(cpu_run_virtual_total)},
    {TsField::kUtimeUs, TS_AT(ac_utime)},
    {TsField::kStimeUs, TS_AT(ac_stime)},
    {TsField::kEtimeUs, TS_AT(ac_etime)},
    {TsField::kUid, TS_AT(ac_uid)},
    {TsField::kGid, TS_AT(ac_gid)},
    {TsField::kPpid, TS_AT(ac_ppid)},
    {TsField::kTgid, TS_AT(ac_tgid)},
    {TsField::kMinflt, TS_AT(ac_minflt)},
    {TsField::kMajflt, TS_AT(ac_majflt)},
    {TsField::kHiwaterRssKiB, TS_AT(hiwater_rss)},
    {TsField::kHiwaterVmKiB, TS_AT(hiwater_vm)},
    {TsField::kReadChar, TS_AT(read_char)},
    {TsField::kWriteChar, TS_AT(write_char)},
    {TsField::kReadBytes, TS_AT(read_bytes)},
    {TsField::kWriteBytes, TS_AT(write_bytes)},
    {TsField::kNvcsw, TS_AT(nvcsw)},
    {TsField::kNivcsw, TS_AT(nivcsw)},
};

// Reads an unsigned little/native-endian integer of 1, 2, 4 or 8 bytes if [offset, offset+bytes) fits.
bool ReadUnsigned(const uint8_t* base, size_t length, size_t offset, size_t bytes, uint64_t& out) {
  if (offset > length || bytes > length - offset) return false;
  switch (bytes) {
    case 1:
      out = base[offset];
      return true;
    case 2: {
      uint16_t v;
      std::memcpy(&v, base + offset, 2);
      out = v;
      return true;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, base + offset, 4);
      out = v;
      return true;
    }
    case 8: {
      uint64_t v;
      std::memcpy(&v, base + offset, 8);
      out = v;
      return true;
    }
    default:
      return false;
  }
}

void Set(TaskstatsRecord& record, TsField field, uint64_t value) {
  record.values[static_cast<size_t>(field)] = value;
  record.present |= 1u << static_cast<unsigned>(field);
}

// The caller has checked that the record holds at least `version`.
void ReadRecordFields(const uint8_t* stats, size_t length, TaskstatsRecord& record) {
  uint64_t value = 0;
  ReadUnsigned(stats, length, TS_AT(version), value);
  record.version = static_cast<uint16_t>(value);
  record.statsBytes = static_cast<uint32_t>(length);
  for (const FieldSpec& spec : kFields) {
    if (ReadUnsigned(stats, length, spec.offset, spec.bytes, value)) Set(record, spec.field, value);
  }
  // ac_btime is 32-bit (it ends in 2106); version 10 added ac_btime64. Prefer the wide one.
  if (ReadUnsigned(stats, length, TS_AT(ac_btime64), value) || ReadUnsigned(stats, length, TS_AT(ac_btime), value)) {
    Set(record, TsField::kBtime, value);
  }
  constexpr size_t commOffset = offsetof(taskstats, ac_comm);
  constexpr size_t commBytes = sizeof(static_cast<const taskstats*>(nullptr)->ac_comm);
  if (commOffset + commBytes <= length) {
    const char* comm = reinterpret_cast<const char*>(stats + commOffset);
    record.comm.assign(comm, strnlen(comm, commBytes));  // a full field without NUL keeps all bytes
    record.hasComm = true;
  }
}

// Calls visit(type, payload, payloadBytes) for each netlink attribute in [data, data + size).
// Returns false when an attribute's length does not fit: the caller counts the region malformed.
template <typename Visit>
bool WalkAttributes(const uint8_t* data, size_t size, Visit visit) {
  size_t offset = 0;
  while (size - offset >= NLA_HDRLEN) {
    nlattr header;
    std::memcpy(&header, data + offset, sizeof header);
    if (header.nla_len < NLA_HDRLEN || header.nla_len > size - offset) return false;
    visit(static_cast<uint16_t>(header.nla_type & NLA_TYPE_MASK), data + offset + NLA_HDRLEN,
          static_cast<size_t>(header.nla_len - NLA_HDRLEN));
    const size_t step = NLA_ALIGN(header.nla_len);
    if (step >= size - offset) return true;  // the last attribute may omit its padding
    offset += step;
  }
  return offset == size;  // 1-3 stray bytes: not an attribute
}

// One TASKSTATS_TYPE_AGGR_PID / _AGGR_TGID nest: { PID or TGID, STATS } in either order, with
// TASKSTATS_TYPE_NULL padding (added on architectures that need 64-bit alignment) skipped.
void DecodeAggregate(TaskstatsKind kind, const uint8_t* nest, size_t size, TaskstatsDecodeResult& result) {
  const uint16_t idType = kind == TaskstatsKind::kPid ? TASKSTATS_TYPE_PID : TASKSTATS_TYPE_TGID;
  bool hasId = false, broken = false;
  const uint8_t* stats = nullptr;
  size_t statsBytes = 0;
  TaskstatsRecord record;
  record.kind = kind;
  const bool walked = WalkAttributes(nest, size, [&](uint16_t type, const uint8_t* payload, size_t bytes) {
    if (type == idType) {
      uint64_t id = 0;
      if (!ReadUnsigned(payload, bytes, 0, sizeof(uint32_t), id)) broken = true;
      record.id = static_cast<uint32_t>(id);
      hasId = true;
    } else if (type == TASKSTATS_TYPE_STATS) {
      stats = payload;
      statsBytes = bytes;
    }
  });
  // A record needs its id and at least the version field; anything less is not a record.
  if (!walked || broken || !hasId || stats == nullptr || statsBytes < sizeof(uint16_t)) {
    result.malformed++;
    return;
  }
  ReadRecordFields(stats, statsBytes, record);
  result.records.push_back(std::move(record));
}

void DecodeGenericMessage(const uint8_t* payload, size_t bytes, TaskstatsDecodeResult& result) {
  if (bytes < GENL_HDRLEN) {
    result.malformed++;
    return;
  }
  genlmsghdr genl;
  std::memcpy(&genl, payload, sizeof genl);
  if (genl.cmd != TASKSTATS_CMD_NEW) {
    result.foreign++;
    return;
  }
  const bool walked = WalkAttributes(payload + GENL_HDRLEN, bytes - GENL_HDRLEN,
                                     [&](uint16_t type, const uint8_t* nest, size_t nestBytes) {
                                       if (type == TASKSTATS_TYPE_AGGR_PID)
                                         DecodeAggregate(TaskstatsKind::kPid, nest, nestBytes, result);
                                       if (type == TASKSTATS_TYPE_AGGR_TGID)
                                         DecodeAggregate(TaskstatsKind::kTgid, nest, nestBytes, result);
                                     });
  if (!walked) result.malformed++;
}

void DecodeError(const uint8_t* payload, size_t bytes, TaskstatsDecodeResult& result) {
  nlmsgerr error;
  // The kernel always echoes at least the request's header (also with NLM_F_CAPPED).
  if (bytes < sizeof error) {
    result.malformed++;
    return;
  }
  std::memcpy(&error, payload, sizeof error);
  const uint32_t err =
      error.error < 0 ? static_cast<uint32_t>(-static_cast<int64_t>(error.error)) : static_cast<uint32_t>(error.error);
  result.acks.push_back(TaskstatsAck{error.msg.nlmsg_seq, err});
}

}  // namespace

TaskstatsDecodeResult DecodeTaskstats(const uint8_t* data, size_t size, uint16_t familyId) {
  TaskstatsDecodeResult result;
  if (size == 0) {
    result.malformed++;
    return result;
  }
  int remaining = size > 0x7fffffff ? 0x7fffffff : static_cast<int>(size);
  const nlmsghdr* header = reinterpret_cast<const nlmsghdr*>(data);
  for (; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
    const uint8_t* payload = reinterpret_cast<const uint8_t*>(NLMSG_DATA(header));
    const size_t payloadBytes = header->nlmsg_len - NLMSG_HDRLEN;
    if (header->nlmsg_type == NLMSG_NOOP || header->nlmsg_type == NLMSG_DONE) continue;
    if (header->nlmsg_type == NLMSG_ERROR) {
      DecodeError(payload, payloadBytes, result);
    } else if (familyId != 0 && header->nlmsg_type == familyId) {
      DecodeGenericMessage(payload, payloadBytes, result);
    } else {
      result.foreign++;
    }
  }
  // Bytes left that do not form a message: a truncated or garbage-length message.
  if (remaining > 0) result.malformed++;
  return result;
}

}  // namespace cntop
