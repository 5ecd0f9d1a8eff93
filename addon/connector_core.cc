// ConnectorCore lifecycle: open and subscribe, wait for our own ack, start/stop the reader thread,
// and the one IGNORE owed for our LISTEN. The reader's work lives in connector_reader.cc.
#include "connector_core.h"

#include <linux/cn_proc.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "bpf_filter.h"
#include "monotonic_clock.h"

namespace cntop {
namespace {

// close() waits this long for the kernel's ack of our DEREGISTER (it is normally queued inside send()).
constexpr int kDeregisterAckWaitMs = 100;

}  // namespace

ConnectorCore::ConnectorCore(ConnectorConfig config)
    : config_(std::move(config)),
      batcher_(config_.maxBatchEvents, static_cast<int64_t>(config_.maxBatchMs) * 1000000),
      receiveBuffer_(new uint8_t[kReceiveBufferBytes]) {}

ConnectorCore::~ConnectorCore() { Close(); }

SysStatus ConnectorCore::OpenSocket(StartOutcome& outcome) {
  SysStatus status = socket_.Open();
  if (!status.ok) return status;
  outcome.rcvbuf = socket_.SetReceiveBuffer(config_.rcvbufBytes);
  rcvbufBytes_ = outcome.rcvbuf.bytes;
  if (!config_.dropKinds.empty()) {
    std::vector<uint32_t> whats;
    for (EventKind kind : config_.dropKinds) whats.push_back(EventKindWhat(kind));
    // Attached before bind, so no unfiltered datagram can be queued; the drain is insurance that
    // stays correct if the order of these calls ever changes.
    status = socket_.AttachFilter(BuildWhatFilter(whats, FilterMode::kDropListed));
    if (!status.ok) return status;
    socket_.Drain();
    filterAttached_ = outcome.filterAttached = true;
  }
  return socket_.Bind();
}

StartOutcome ConnectorCore::Start(Deliver deliver) {
  StartOutcome outcome;
  started_ = true;
  deliver_ = std::move(deliver);
  wakeFd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd_ < 0) {
    outcome.status = SysStatus::FromErrno("eventfd");
    return outcome;
  }
  outcome.status = OpenSocket(outcome);
  if (!outcome.status.ok) return outcome;

  listenSentNs_ = MonotonicNs();
  outcome.status = socket_.SendOp(PROC_CN_MCAST_LISTEN, config_.ackCookie);
  if (!outcome.status.ok) return outcome;
  listenSent_ = true;
  RegisterIgnoreOwer(this);

  WaitForOwnAck(listenSentNs_);
  outcome.ack = ownAck_;
  if (config_.taskstats.enabled) StartTaskstats(outcome);
  readerStarted_ = true;
  try {
    reader_ = std::thread(&ConnectorCore::ReaderLoop, this);
  } catch (const std::system_error& error) {
    readerStarted_ = false;
    outcome.status = SysStatus::Failed("pthread_create", error.code().value());
  }
  return outcome;
}

// LISTEN is handled synchronously inside send(), so an ack (if the gate is open) is already queued;
// the bounded wait covers kernels that answer later. Events read meanwhile stay in the batcher.
void ConnectorCore::WaitForOwnAck(int64_t listenSentNs) {
  const int64_t deadlineNs = listenSentNs + static_cast<int64_t>(config_.ackWaitMs) * 1000000;
  for (;;) {
    ReadAvailable();
    if (ownAck_) return;
    const int64_t remainingNs = deadlineNs - MonotonicNs();
    if (remainingNs <= 0) return;
    socket_.WaitReadable(static_cast<int>((remainingNs + 999999) / 1000000));
  }
}

void ConnectorCore::Wake() {
  const uint64_t one = 1;
  if (wakeFd_ >= 0) {
    ssize_t ignored = write(wakeFd_, &one, sizeof one);
    (void)ignored;  // the counter cannot overflow in practice; a failed wake only delays the reader
  }
}

void ConnectorCore::PauseReader(int ms) {
  pauseUntilNs_ = MonotonicNs() + static_cast<int64_t>(ms) * 1000000;
  Wake();
}

bool ConnectorCore::SendIgnoreOnce() {
  if (!listenSent_) return false;  // never an IGNORE without our LISTEN
  bool expected = false;
  if (!ignoreAttempted_.compare_exchange_strong(expected, true)) return ignoreSent_;
  ignoreSent_ = socket_.SendOp(PROC_CN_MCAST_IGNORE, config_.ackCookie + 2).ok;
  return ignoreSent_;
}

bool ConnectorCore::Close() {
  if (closed_) return ignoreSent_;
  closed_ = true;
  if (reader_.joinable()) {
    stopping_ = true;
    Wake();
    reader_.join();
  }
  SendIgnoreOnce();
  UnregisterIgnoreOwer(this);  // before the fd goes, so the exit handler never uses a closed socket
  socket_.Close();
  taskstatsRunning_ = false;
  taskstats_.Close(kDeregisterAckWaitMs);  // the one DEREGISTER, if a REGISTER went out
  if (wakeFd_ >= 0) close(wakeFd_);
  wakeFd_ = -1;
  return ignoreSent_;
}

StatsSnapshot ConnectorCore::Stats() const {
  StatsSnapshot snapshot;
  for (size_t i = 0; i < kEventKindCount; i++) snapshot.eventsByKind[i] = eventsByKind_[i];
  snapshot.batches = batches_;
  snapshot.overruns = overruns_;
  snapshot.seqGapMessages = seqGapMessages_;
  snapshot.malformed = malformed_;
  snapshot.foreign = foreign_;
  snapshot.acksSeen = acksSeen_;
  snapshot.queueFullDrops = queueFullDrops_;
  snapshot.rcvbufBytes = rcvbufBytes_;
  snapshot.lastEventNs = lastEventNs_;
  snapshot.listenSent = listenSent_;
  snapshot.ignoreSent = ignoreSent_;
  TaskstatsStatsSnapshot& ts = snapshot.taskstats;
  ts.enabled = config_.taskstats.enabled;
  ts.registered = taskstats_.Registered();
  ts.registerSent = taskstats_.registerSent();
  ts.deregisterSent = taskstats_.deregisterSent();
  ts.cpumask = ts.registerSent ? taskstats_.cpumask() : "";
  ts.familyId = taskstats_.familyId();
  ts.recordsByKind[0] = recordsByKind_[0];
  ts.recordsByKind[1] = recordsByKind_[1];
  ts.overruns = recordOverruns_;
  ts.malformed = recordsMalformed_;
  ts.foreign = recordsForeign_;
  ts.rcvbufBytes = taskstats_.rcvbuf().bytes;
  ts.failure = taskstatsFailure_;
  return snapshot;
}

}  // namespace cntop
