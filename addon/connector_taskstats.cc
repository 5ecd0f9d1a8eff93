// ConnectorCore's taskstats side: open and register the listener during start(), then read its
// socket on the same reader thread as the connector, so records reach JS in the same batches as the
// exit events they belong to. Optional by design: any failure is recorded and the connector goes on.
#include <cerrno>

#include "connector_core.h"
#include "monotonic_clock.h"

namespace cntop {

void ConnectorCore::StartTaskstats(StartOutcome& outcome) {
  TaskstatsStart start;
  auto fail = [&](TaskstatsFailure failure) {
    start.failure = failure;
    taskstatsFailure_ = failure;
    outcome.taskstats = start;
    taskstats_.Close(0);  // deregisters iff a REGISTER went out and was not refused
  };
  TaskstatsFailure failure{"", SysStatus::Ok()};
  if (!taskstats_.Open(config_.taskstats, failure)) return fail(failure);

  const int64_t sentNs = MonotonicNs();
  SysStatus status = taskstats_.SendRegister();
  if (!status.ok) return fail({"register", status});
  // The kernel registers inside send(), so the ack is normally queued already. Records that arrive
  // meanwhile are real: IngestTaskstats puts them in the first batch.
  const int64_t deadlineNs = sentNs + static_cast<int64_t>(config_.taskstats.waitMs) * 1000000;
  for (;;) {
    ReadTaskstats();
    if (taskstats_.RegisterAnswered()) break;
    const int64_t remainingNs = deadlineNs - MonotonicNs();
    if (remainingNs <= 0)
      return fail({"register", SysStatus::Failed("TASKSTATS_CMD_ATTR_REGISTER_CPUMASK", ETIMEDOUT)});
    taskstats_.WaitReadable(static_cast<int>((remainingNs + 999999) / 1000000));
  }
  if (taskstats_.RegisterAckErr() != 0) {
    return fail({"register", SysStatus::Failed("TASKSTATS_CMD_ATTR_REGISTER_CPUMASK", taskstats_.RegisterAckErr())});
  }
  start.ok = true;
  start.familyId = taskstats_.familyId();
  start.cpumask = taskstats_.cpumask();
  start.rcvbuf = taskstats_.rcvbuf();
  start.ackLatencyMs = NsToMs(MonotonicNs() - sentNs);
  outcome.taskstats = start;
  taskstatsRunning_ = true;
}

size_t ConnectorCore::ReadTaskstats() {
  size_t datagrams = 0;
  for (;;) {
    const int64_t nowNs = MonotonicNs();
    if (readerStarted_ && (stopping_ || pauseUntilNs_ > nowNs)) return datagrams;
    const long n = taskstats_.Receive(receiveBuffer_.get(), kReceiveBufferBytes);
    if (n == -ENOBUFS) {  // records were dropped for us: count, report, keep reading
      recordOverruns_++;
      batcher_.AddRecordOverrun(nowNs);
      continue;
    }
    if (n < 0) return datagrams;
    datagrams++;
    if (static_cast<size_t>(n) > kReceiveBufferBytes) {
      recordsMalformed_++;  // MSG_TRUNC: a datagram larger than any record message
    } else {
      IngestTaskstats(receiveBuffer_.get(), static_cast<size_t>(n), nowNs);
    }
    if (readerStarted_ && batcher_.Due(nowNs) && retryDeliveryAtNs_ <= nowNs) Flush(nowNs);
  }
}

void ConnectorCore::IngestTaskstats(const uint8_t* data, size_t size, int64_t nowNs) {
  TaskstatsDecodeResult decoded = DecodeTaskstats(data, size, taskstats_.familyId());
  recordsMalformed_ += decoded.malformed;
  recordsForeign_ += decoded.foreign;
  for (const TaskstatsAck& ack : decoded.acks) taskstats_.OnAck(ack);
  for (TaskstatsRecord& record : decoded.records) {
    recordsByKind_[static_cast<size_t>(record.kind)]++;
    batcher_.AddRecord(std::move(record), nowNs);
  }
}

}  // namespace cntop
