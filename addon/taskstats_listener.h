// The taskstats subscription without N-API and without a thread: a NETLINK_GENERIC socket, the
// TASKSTATS family id, REGISTER of a cpumask and exactly one DEREGISTER of that same mask. The reader
// thread (connector_taskstats.cc) reads the socket; acks it decodes come back here through OnAck.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "exit_guard.h"
#include "netlink_socket.h"
#include "sys_status.h"
#include "taskstats_decoder.h"

namespace cntop {

struct TaskstatsConfig {
  bool enabled = false;
  int rcvbufBytes = 32 * 1024 * 1024;
  std::string cpumask;  // empty: every possible CPU (/sys/devices/system/cpu/possible)
  int waitMs = 250;     // for the family lookup and the REGISTER ack, each
};

/** Where opening failed: "cpumask", "socket", "family" or "register"; status says which call and errno. */
struct TaskstatsFailure {
  const char* stage;
  SysStatus status;
};

/** Process-wide: what every listener of this process sent and heard (a test witness, never reset). */
struct TaskstatsWireCounts {
  uint64_t registersSent, deregistersSent, registerAcks, deregisterAcks;
};
TaskstatsWireCounts GetTaskstatsWireCounts();

/** Reads /sys/devices/system/cpu/possible, e.g. "0-1", without its newline. */
SysStatus ReadPossibleCpus(std::string& cpulist);

// The DEREGISTER is this subscription's IGNORE: the exit guard sends it through SendIgnoreOnce.
class TaskstatsListener : public IgnoreOwer {
 public:
  TaskstatsListener() = default;
  ~TaskstatsListener() override { Close(0); }
  TaskstatsListener(const TaskstatsListener&) = delete;
  TaskstatsListener& operator=(const TaskstatsListener&) = delete;

  /** Socket, receive buffer, cpumask, family id. Nothing is registered yet; on failure, why. */
  bool Open(const TaskstatsConfig& config, TaskstatsFailure& failure);
  /** Sends REGISTER with NLM_F_ACK; from here the exit guard owes the kernel a DEREGISTER. */
  SysStatus SendRegister();
  /** An NLMSG_ERROR the reader decoded: the answer to our REGISTER or DEREGISTER (others ignored). */
  void OnAck(const TaskstatsAck& ack);
  bool RegisterAnswered() const { return registerAckErr_ >= 0; }
  int RegisterAckErr() const { return registerAckErr_; }
  /** DEREGISTER with the registered mask, at most once, only if a REGISTER went out and was not refused. */
  bool SendIgnoreOnce() override;
  /** Idempotent: the DEREGISTER owed, up to ackWaitMs for its ack (records read meanwhile are dropped), close. */
  void Close(int ackWaitMs);

  long Receive(uint8_t* buffer, size_t size) { return socket_.Receive(buffer, size); }
  bool WaitReadable(int timeoutMs) const { return socket_.WaitReadable(timeoutMs); }
  int fd() const { return socket_.fd(); }
  uint16_t familyId() const { return familyId_; }
  const std::string& cpumask() const { return cpumask_; }
  const ReceiveBuffer& rcvbuf() const { return rcvbuf_; }
  bool registerSent() const { return registerSent_; }
  bool deregisterSent() const { return deregisterSent_; }
  /** Registered and acked with err 0, and not deregistered since. */
  bool Registered() const { return registerAckErr_ == 0 && !deregisterAttempted_; }

 private:
  SysStatus ResolveFamily(int waitMs);

  NetlinkSocket socket_;
  uint16_t familyId_ = 0;
  std::string cpumask_;
  ReceiveBuffer rcvbuf_;
  uint32_t nextSeq_ = 1;
  uint32_t registerSeq_ = 0;
  std::atomic<uint32_t> deregisterSeq_{0};
  bool closed_ = false;
  std::atomic<bool> registerSent_{false};
  std::atomic<int> registerAckErr_{-1};  // -1: no answer yet
  std::atomic<bool> deregisterAttempted_{false};
  std::atomic<bool> deregisterSent_{false};
  std::atomic<bool> deregisterAcked_{false};
};

}  // namespace cntop
