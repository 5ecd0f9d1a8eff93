// The subscription without N-API: socket setup, LISTEN and its ack, the reader thread (poll on the
// socket and a wake eventfd), decoding, gap counting, batching, stats, and exactly one IGNORE.
// The N-API wrapper (connector.cc) supplies a Deliver function that hands batches to JS.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "event_batcher.h"
#include "exit_guard.h"
#include "netlink_socket.h"
#include "proc_event_decoder.h"
#include "seq_tracker.h"
#include "sys_status.h"
#include "taskstats_listener.h"

namespace cntop {

struct ConnectorConfig {
  int rcvbufBytes = 32 * 1024 * 1024;
  bool readExecInfo = true;
  std::vector<EventKind> dropKinds;
  size_t maxBatchEvents = 512;
  int maxBatchMs = 5;
  uint32_t ackCookie = 0;
  int ackWaitMs = 250;
  TaskstatsConfig taskstats;  // optional: disabled unless asked for
};

/** What start() learned about taskstats: running (with these facts) or why not. */
struct TaskstatsStart {
  bool ok = false;
  TaskstatsFailure failure{"", SysStatus::Ok()};
  uint16_t familyId = 0;
  std::string cpumask;
  ReceiveBuffer rcvbuf;
  double ackLatencyMs = 0;
};

struct AckReply {
  uint32_t err;
  double latencyMs;
};

struct StartOutcome {
  SysStatus status;
  std::optional<AckReply> ack;
  ReceiveBuffer rcvbuf;
  bool filterAttached = false;
  std::optional<TaskstatsStart> taskstats;  // empty when not asked for
};

struct TaskstatsStatsSnapshot {
  bool enabled = false, registered = false, registerSent = false, deregisterSent = false;
  std::string cpumask;
  uint16_t familyId = 0;
  uint64_t recordsByKind[2] = {};  // TaskstatsKind order: pid, tgid
  uint64_t overruns = 0, malformed = 0, foreign = 0;
  int rcvbufBytes = 0;
  std::optional<TaskstatsFailure> failure;
};

struct StatsSnapshot {
  uint64_t eventsByKind[kEventKindCount] = {};
  uint64_t batches = 0, overruns = 0, seqGapMessages = 0, malformed = 0, foreign = 0, acksSeen = 0;
  uint64_t queueFullDrops = 0;
  int rcvbufBytes = 0;
  int64_t lastEventNs = 0;  // 0: none yet
  bool listenSent = false, ignoreSent = false;
  TaskstatsStatsSnapshot taskstats;
};

class ConnectorCore : public IgnoreOwer {
 public:
  /** Takes the batch and returns true, or returns false (consumer queue full) leaving it with us. */
  using Deliver = std::function<bool(std::unique_ptr<Batch>&)>;
  /** Connector datagrams are ~100 bytes; a large buffer lets MSG_TRUNC reveal anything odd. */
  static constexpr size_t kReceiveBufferBytes = 64 * 1024;

  explicit ConnectorCore(ConnectorConfig config);
  ~ConnectorCore() override;
  ConnectorCore(const ConnectorCore&) = delete;
  ConnectorCore& operator=(const ConnectorCore&) = delete;

  /** Call once. On failure nothing keeps running; LISTEN may or may not have been sent (see Stats). */
  StartOutcome Start(Deliver deliver);
  void PauseReader(int ms);
  /** Idempotent: stops and joins the reader, sends the IGNORE owed, closes. Returns ignoreSent. */
  bool Close();
  bool SendIgnoreOnce() override;
  StatsSnapshot Stats() const;
  bool WasStarted() const { return started_; }

 private:
  SysStatus OpenSocket(StartOutcome& outcome);
  void WaitForOwnAck(int64_t listenSentNs);
  void ReaderLoop();
  int PollTimeoutMs(int64_t nowNs) const;
  // Returns how many datagrams it took: the reader loop uses it to tell a storm from a lone event.
  size_t ReadAvailable();
  void CoalesceStorm();
  void Ingest(const uint8_t* data, size_t size, int64_t nowNs);
  void IngestAcks(const DecodeResult& decoded, int64_t nowNs);
  void Flush(int64_t nowNs);
  void Wake();
  // Taskstats side (connector_taskstats.cc): optional, never fails start().
  void StartTaskstats(StartOutcome& outcome);
  size_t ReadTaskstats();
  void IngestTaskstats(const uint8_t* data, size_t size, int64_t nowNs);

  ConnectorConfig config_;
  NetlinkSocket socket_;
  int wakeFd_ = -1;
  std::thread reader_;
  Deliver deliver_;
  EventBatcher batcher_;
  SeqTracker seqTracker_;
  bool filterAttached_ = false;
  bool started_ = false;
  bool readerStarted_ = false;  // set before the thread starts: the reader may read it at once
  bool closed_ = false;
  int64_t listenSentNs_ = 0;
  std::optional<AckReply> ownAck_;
  int64_t retryDeliveryAtNs_ = 0;
  std::unique_ptr<uint8_t[]> receiveBuffer_;

  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> pauseUntilNs_{0};
  std::atomic<bool> listenSent_{false};
  std::atomic<bool> ignoreAttempted_{false};
  std::atomic<bool> ignoreSent_{false};

  std::atomic<uint64_t> eventsByKind_[kEventKindCount] = {};
  std::atomic<uint64_t> batches_{0}, overruns_{0}, seqGapMessages_{0}, malformed_{0}, foreign_{0}, acksSeen_{0};
  std::atomic<uint64_t> queueFullDrops_{0};
  std::atomic<int> rcvbufBytes_{0};
  std::atomic<int64_t> lastEventNs_{0};

  TaskstatsListener taskstats_;
  bool taskstatsRunning_ = false;                     // set before the reader starts, cleared only after it stopped
  std::optional<TaskstatsFailure> taskstatsFailure_;  // written before the reader starts
  std::atomic<uint64_t> recordsByKind_[2] = {};
  std::atomic<uint64_t> recordOverruns_{0}, recordsMalformed_{0}, recordsForeign_{0};
};

}  // namespace cntop
