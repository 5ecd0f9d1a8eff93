// TaskstatsListener (see taskstats_listener.h). The kernel keys a listener by (netlink port id, CPU):
// kernel/taskstats.c add_del_listener() refuses a mask that is not a subset of the possible CPUs and
// callers outside the initial user/pid namespaces with EINVAL, before registering anything. So a
// REGISTER answered with an error leaves nothing to deregister; an unanswered one might have worked,
// and is deregistered like an accepted one.
#include "taskstats_listener.h"

#include <fcntl.h>
#include <linux/netlink.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "genl_messages.h"
#include "monotonic_clock.h"

namespace cntop {
namespace {

std::atomic<uint64_t> gRegistersSent{0}, gDeregistersSent{0}, gRegisterAcks{0}, gDeregisterAcks{0};

// Replies to our own requests are small; records (~600 bytes) that arrive meanwhile fit too.
constexpr size_t kScratchBytes = 64 * 1024;

int RemainingMs(int64_t deadlineNs) {
  const int64_t remaining = deadlineNs - MonotonicNs();
  return remaining <= 0 ? 0 : static_cast<int>((remaining + 999999) / 1000000);
}

}  // namespace

TaskstatsWireCounts GetTaskstatsWireCounts() {
  return TaskstatsWireCounts{gRegistersSent, gDeregistersSent, gRegisterAcks, gDeregisterAcks};
}

SysStatus ReadPossibleCpus(std::string& cpulist) {
  const int fd = open("/sys/devices/system/cpu/possible", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SysStatus::FromErrno("open(/sys/devices/system/cpu/possible)");
  char buffer[256];
  ssize_t n;
  do {
    n = read(fd, buffer, sizeof buffer - 1);
  } while (n < 0 && errno == EINTR);
  const int readErr = errno;
  close(fd);
  if (n < 0) return SysStatus::Failed("read(/sys/devices/system/cpu/possible)", readErr);
  cpulist.assign(buffer, static_cast<size_t>(n));
  while (!cpulist.empty() && (cpulist.back() == '\n' || cpulist.back() == ' ')) cpulist.pop_back();
  if (cpulist.empty()) return SysStatus::Failed("read(/sys/devices/system/cpu/possible)", EINVAL);
  return SysStatus::Ok();
}

bool TaskstatsListener::Open(const TaskstatsConfig& config, TaskstatsFailure& failure) {
  cpumask_ = config.cpumask;
  if (cpumask_.empty()) {
    SysStatus status = ReadPossibleCpus(cpumask_);
    if (!status.ok) return failure = {"cpumask", status}, false;
  }
  SysStatus status = socket_.Open(NETLINK_GENERIC);
  if (!status.ok) return failure = {"socket", status}, false;
  // Before any record can be queued: a storm of exits is ~7 MB/s of records.
  rcvbuf_ = socket_.SetReceiveBuffer(config.rcvbufBytes);
  status = ResolveFamily(config.waitMs);
  if (!status.ok) return failure = {"family", status}, false;
  return true;
}

SysStatus TaskstatsListener::ResolveFamily(int waitMs) {
  const uint32_t seq = nextSeq_++;
  const std::vector<uint8_t> request = BuildGetFamilyRequest(seq, "TASKSTATS");
  SysStatus status = socket_.SendToKernel(request.data(), request.size());
  if (!status.ok) return status;
  std::unique_ptr<uint64_t[]> scratch(new uint64_t[kScratchBytes / 8]);  // 8-aligned for the header walk
  uint8_t* buffer = reinterpret_cast<uint8_t*>(scratch.get());
  const int64_t deadlineNs = MonotonicNs() + static_cast<int64_t>(waitMs) * 1000000;
  for (;;) {
    const long n = socket_.Receive(buffer, kScratchBytes);
    if (n >= 0 && static_cast<size_t>(n) <= kScratchBytes) {
      const FamilyReply reply = ParseFamilyReply(buffer, static_cast<size_t>(n), seq);
      if (reply.answered && reply.err != 0) return SysStatus::Failed("CTRL_CMD_GETFAMILY", reply.err);
      if (reply.answered) {
        familyId_ = reply.familyId;
        return SysStatus::Ok();
      }
      continue;
    }
    if (n < 0 && n != -EAGAIN && n != -ENOBUFS) return SysStatus::Failed("recv", static_cast<int>(-n));
    const int remainingMs = RemainingMs(deadlineNs);
    if (remainingMs == 0) return SysStatus::Failed("CTRL_CMD_GETFAMILY", ETIMEDOUT);
    socket_.WaitReadable(remainingMs);
  }
}

SysStatus TaskstatsListener::SendRegister() {
  registerSeq_ = nextSeq_++;
  const std::vector<uint8_t> request = BuildCpumaskRequest(familyId_, registerSeq_, CpumaskOp::kRegister, cpumask_);
  SysStatus status = socket_.SendToKernel(request.data(), request.size());
  if (!status.ok) return status;
  gRegistersSent++;
  // Registered with the guard before anyone can call exit(): from now on the DEREGISTER is owed.
  registerSent_ = true;
  RegisterIgnoreOwer(this);
  return status;
}

void TaskstatsListener::OnAck(const TaskstatsAck& ack) {
  if (registerSent_ && ack.seq == registerSeq_ && registerAckErr_ < 0) {
    gRegisterAcks++;
    registerAckErr_ = static_cast<int>(ack.err);
  } else if (deregisterSent_ && ack.seq == deregisterSeq_ && !deregisterAcked_) {
    gDeregisterAcks++;
    deregisterAcked_ = true;
  }
}

bool TaskstatsListener::SendIgnoreOnce() {
  if (!registerSent_) return false;       // never a DEREGISTER without our REGISTER
  if (registerAckErr_ > 0) return false;  // refused: the kernel registered nothing
  bool expected = false;
  if (!deregisterAttempted_.compare_exchange_strong(expected, true)) return deregisterSent_;
  const uint32_t seq = nextSeq_++;  // the reader thread never sends, so only this once-only path bumps it
  deregisterSeq_ = seq;
  const std::vector<uint8_t> request = BuildCpumaskRequest(familyId_, seq, CpumaskOp::kDeregister, cpumask_);
  deregisterSent_ = socket_.SendToKernel(request.data(), request.size()).ok;
  if (deregisterSent_) gDeregistersSent++;
  return deregisterSent_;
}

void TaskstatsListener::Close(int ackWaitMs) {
  if (closed_) return;
  closed_ = true;
  if (SendIgnoreOnce() && ackWaitMs > 0) {
    // The kernel handles the request inside send(), so its ack is normally queued already; records
    // queued before it are read and dropped on the way (the reader has stopped: nobody would take them).
    std::unique_ptr<uint64_t[]> scratch(new uint64_t[kScratchBytes / 8]);
    uint8_t* buffer = reinterpret_cast<uint8_t*>(scratch.get());
    const int64_t deadlineNs = MonotonicNs() + static_cast<int64_t>(ackWaitMs) * 1000000;
    while (!deregisterAcked_) {
      const long n = socket_.Receive(buffer, kScratchBytes);
      if (n >= 0 && static_cast<size_t>(n) <= kScratchBytes) {
        for (const TaskstatsAck& ack : DecodeTaskstats(buffer, static_cast<size_t>(n), familyId_).acks) OnAck(ack);
        continue;
      }
      if (n >= 0 || n == -ENOBUFS) continue;
      if (n != -EAGAIN) break;  // the socket itself failed: no ack will come
      const int remainingMs = RemainingMs(deadlineNs);
      if (remainingMs == 0) break;
      socket_.WaitReadable(remainingMs);
    }
  }
  UnregisterIgnoreOwer(this);  // before the fd goes, so the exit handler never uses a closed socket
  socket_.Close();
}

}  // namespace cntop
