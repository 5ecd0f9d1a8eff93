// Decodes process-connector datagrams with the kernel's own structs (<linux/cn_proc.h>,
// <linux/connector.h>). Every length is checked before it is trusted; payloads are copied with
// memcpy so an odd byte layout can never become an unaligned or out-of-bounds read.
#include "proc_event_decoder.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstring>

namespace cntop {
namespace {

constexpr size_t kEventHeaderBytes = offsetof(proc_event, event_data);

// The union's member structs are not nameable from C++, so measure them through a member access.
#define PayloadBytes(member) sizeof(static_cast<const proc_event*>(nullptr)->event_data.member)

struct KindInfo {
  EventKind kind;
  const char* name;
  uint32_t what;
  size_t payloadBytes;  // bytes of event_data this kind needs
};

const KindInfo kKinds[kEventKindCount] = {
    {EventKind::kFork, "fork", proc_event::PROC_EVENT_FORK, PayloadBytes(fork)},
    {EventKind::kExec, "exec", proc_event::PROC_EVENT_EXEC, PayloadBytes(exec)},
    {EventKind::kExit, "exit", proc_event::PROC_EVENT_EXIT, PayloadBytes(exit)},
    {EventKind::kComm, "comm", proc_event::PROC_EVENT_COMM, PayloadBytes(comm)},
    {EventKind::kUid, "uid", proc_event::PROC_EVENT_UID, PayloadBytes(id)},
    {EventKind::kGid, "gid", proc_event::PROC_EVENT_GID, PayloadBytes(id)},
    {EventKind::kSid, "sid", proc_event::PROC_EVENT_SID, PayloadBytes(sid)},
    {EventKind::kPtrace, "ptrace", proc_event::PROC_EVENT_PTRACE, PayloadBytes(ptrace)},
    {EventKind::kCoredump, "coredump", proc_event::PROC_EVENT_COREDUMP, PayloadBytes(coredump)},
};

const KindInfo* FindKind(uint32_t what) {
  for (const KindInfo& info : kKinds) {
    if (info.what == what) return &info;
  }
  return nullptr;
}

// Fills the kind-specific fields from the union; the caller has checked payload length.
void DecodePayload(const proc_event& ev, DecodedEvent& out) {
  switch (out.kind) {
    case EventKind::kFork:
      out.parentPid = ev.event_data.fork.parent_pid;
      out.parentTgid = ev.event_data.fork.parent_tgid;
      out.pid = ev.event_data.fork.child_pid;
      out.tgid = ev.event_data.fork.child_tgid;
      return;
    case EventKind::kExec:
      out.pid = ev.event_data.exec.process_pid;
      out.tgid = ev.event_data.exec.process_tgid;
      return;
    case EventKind::kExit:
      out.pid = ev.event_data.exit.process_pid;
      out.tgid = ev.event_data.exit.process_tgid;
      out.exitCode = ev.event_data.exit.exit_code;
      out.exitSignal = ev.event_data.exit.exit_signal;
      out.parentPid = ev.event_data.exit.parent_pid;
      out.parentTgid = ev.event_data.exit.parent_tgid;
      return;
    case EventKind::kComm:
      out.pid = ev.event_data.comm.process_pid;
      out.tgid = ev.event_data.comm.process_tgid;
      // The kernel NUL-terminates, but a crafted or future message may fill all 16 bytes.
      out.comm.assign(ev.event_data.comm.comm, strnlen(ev.event_data.comm.comm, sizeof ev.event_data.comm.comm));
      return;
    case EventKind::kUid:
    case EventKind::kGid:
      out.pid = ev.event_data.id.process_pid;
      out.tgid = ev.event_data.id.process_tgid;
      out.realId = ev.event_data.id.r.ruid;
      out.effectiveId = ev.event_data.id.e.euid;
      return;
    case EventKind::kSid:
      out.pid = ev.event_data.sid.process_pid;
      out.tgid = ev.event_data.sid.process_tgid;
      return;
    case EventKind::kPtrace:
      out.pid = ev.event_data.ptrace.process_pid;
      out.tgid = ev.event_data.ptrace.process_tgid;
      out.tracerPid = ev.event_data.ptrace.tracer_pid;
      out.tracerTgid = ev.event_data.ptrace.tracer_tgid;
      return;
    case EventKind::kCoredump:
      out.pid = ev.event_data.coredump.process_pid;
      out.tgid = ev.event_data.coredump.process_tgid;
      out.parentPid = ev.event_data.coredump.parent_pid;
      out.parentTgid = ev.event_data.coredump.parent_tgid;
      return;
  }
}

// One netlink message's payload (after nlmsghdr): cn_msg + proc_event.
void DecodeConnectorMessage(const uint8_t* payload, size_t bytes, DecodeResult& result) {
  cn_msg msg{};
  if (bytes < sizeof msg) {
    result.malformed++;
    return;
  }
  std::memcpy(&msg, payload, sizeof msg);
  if (msg.id.idx != CN_IDX_PROC || msg.id.val != CN_VAL_PROC) {
    result.foreign++;
    return;
  }
  if (msg.len > bytes - sizeof msg || msg.len < kEventHeaderBytes) {
    result.malformed++;
    return;
  }
  proc_event ev{};
  std::memcpy(&ev, payload + sizeof msg, msg.len < sizeof ev ? msg.len : sizeof ev);
  const size_t dataBytes = msg.len - kEventHeaderBytes;

  if (ev.what == proc_event::PROC_EVENT_NONE) {
    if (dataBytes < sizeof ev.event_data.ack) {
      result.malformed++;
      return;
    }
    result.acks.push_back(DecodedAck{msg.ack, ev.event_data.ack.err, ev.cpu, msg.seq});
    result.sequence.push_back(CpuSeq{ev.cpu, msg.seq});
    return;
  }
  const KindInfo* info = FindKind(ev.what);
  if (info == nullptr) {
    result.foreign++;
    return;
  }
  if (dataBytes < info->payloadBytes) {
    result.malformed++;
    return;
  }
  DecodedEvent out;
  out.kind = info->kind;
  out.cpu = ev.cpu;
  out.seq = msg.seq;
  out.timestampNs = ev.timestamp_ns;
  DecodePayload(ev, out);
  result.sequence.push_back(CpuSeq{ev.cpu, msg.seq});
  result.events.push_back(std::move(out));
}

}  // namespace

const char* EventKindName(EventKind kind) { return kKinds[static_cast<size_t>(kind)].name; }

uint32_t EventKindWhat(EventKind kind) { return kKinds[static_cast<size_t>(kind)].what; }

int EventKindFromName(const std::string& name) {
  for (size_t i = 0; i < kEventKindCount; i++) {
    if (name == kKinds[i].name) return static_cast<int>(i);
  }
  return -1;
}

DecodeResult DecodeDatagram(const uint8_t* data, size_t size) {
  DecodeResult result;
  if (size == 0) {
    result.malformed++;
    return result;
  }
  // NLMSG_OK takes an int length; a datagram is far below 2 GiB, but clamp rather than wrap.
  int remaining = size > 0x7fffffff ? 0x7fffffff : static_cast<int>(size);
  const nlmsghdr* header = reinterpret_cast<const nlmsghdr*>(data);
  for (; NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
    if (header->nlmsg_type == NLMSG_NOOP) continue;
    if (header->nlmsg_type != NLMSG_DONE) {  // cn_netlink_send always uses NLMSG_DONE
      result.foreign++;
      continue;
    }
    const uint8_t* payload = reinterpret_cast<const uint8_t*>(NLMSG_DATA(header));
    DecodeConnectorMessage(payload, header->nlmsg_len - NLMSG_HDRLEN, result);
  }
  // Bytes left that do not form a message: a truncated or garbage-length message.
  if (remaining > 0) result.malformed++;
  return result;
}

}  // namespace cntop
