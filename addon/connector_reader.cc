// ConnectorCore's reader side: the thread loop (poll on socket + wake eventfd), draining the socket,
// decoding, per-CPU gap counting, ack sorting and batch hand-off. Never blocks on JS.
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "connector_core.h"
#include "monotonic_clock.h"

namespace cntop {
namespace {

// A full consumer queue is retried after this long instead of spinning.
constexpr int64_t kDeliveryRetryNs = 2 * 1000 * 1000;
// Events held back for a stalled consumer beyond this are dropped and reported as an overrun.
constexpr size_t kMaxHeldEvents = 256 * 1024;
// Under a storm the reader used to wake for every 2-3 datagrams, and each wake (schedule in, poll,
// the recv that says EAGAIN, schedule out) cost more than reading the datagrams. A drain that found
// this many datagrams means a storm: rest this long first, so the next wake takes a bigger bite.
// A lone event still wakes us at once; the rest is short enough that an exec's /proc entries are
// still read within a fraction of a millisecond.
constexpr size_t kStormDrainDatagrams = 2;
constexpr int64_t kStormRestNs = 200 * 1000;

int CeilMs(int64_t ns) { return ns <= 0 ? 0 : static_cast<int>((ns + 999999) / 1000000); }

// poll() timeouts: -1 (forever) loses to any real deadline.
int EarliestTimeout(int a, int b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return std::min(a, b);
}

}  // namespace

int ConnectorCore::PollTimeoutMs(int64_t nowNs) const {
  int timeout = batcher_.MsUntilDue(nowNs);
  if (timeout >= 0 && retryDeliveryAtNs_ > nowNs) timeout = std::max(timeout, CeilMs(retryDeliveryAtNs_ - nowNs));
  if (!filterAttached_ && seqTracker_.HasMissing()) {
    timeout = EarliestTimeout(timeout, CeilMs(SeqTracker::kReorderWindowNs));
  }
  const int64_t pauseUntil = pauseUntilNs_;
  if (pauseUntil > nowNs) timeout = EarliestTimeout(timeout, CeilMs(pauseUntil - nowNs));
  return timeout;
}

void ConnectorCore::ReaderLoop() {
  // Named, so that top -H, htop and /proc/<pid>/task/*/comm tell it from node's own threads.
  pthread_setname_np(pthread_self(), "cntop-reader");
  while (!stopping_) {
    int64_t nowNs = MonotonicNs();
    const bool paused = pauseUntilNs_ > nowNs;
    // A negative fd is skipped by poll: while paused the socket is not even watched (else ENOBUFS'
    // POLLERR would spin us), which is the point of the pause: let the kernel queue overflow.
    // Taskstats (when running) is polled beside the connector, so its records join the same batches.
    pollfd fds[3] = {{paused ? -1 : socket_.fd(), POLLIN, 0},
                     {wakeFd_, POLLIN, 0},
                     {paused || !taskstatsRunning_ ? -1 : taskstats_.fd(), POLLIN, 0}};
    const int ready = poll(fds, 3, PollTimeoutMs(nowNs));
    if (ready < 0 && errno != EINTR) break;  // EBADF/ENOMEM: nothing sensible left to do
    if (fds[1].revents & POLLIN) {
      uint64_t counter;
      ssize_t ignored = read(wakeFd_, &counter, sizeof counter);
      (void)ignored;
    }
    if (stopping_) break;
    size_t datagrams = 0;
    if (fds[0].revents != 0) datagrams += ReadAvailable();
    if (fds[2].revents != 0) datagrams += ReadTaskstats();
    if (datagrams >= kStormDrainDatagrams) CoalesceStorm();
    nowNs = MonotonicNs();
    if (!filterAttached_) {
      const uint64_t lost = seqTracker_.Expire(nowNs);
      seqGapMessages_ += lost;
      batcher_.AddSeqGaps(lost, nowNs);
    }
    if (batcher_.Due(nowNs) && retryDeliveryAtNs_ <= nowNs) Flush(nowNs);
  }
}

// Sleeps kStormRestNs unless close() wakes us first (ppoll: poll() only has millisecond timeouts).
void ConnectorCore::CoalesceStorm() {
  pollfd wake{wakeFd_, POLLIN, 0};
  const timespec rest{0, kStormRestNs};
  ppoll(&wake, 1, &rest, nullptr);  // a wake stays readable: the main poll consumes it next
}

size_t ConnectorCore::ReadAvailable() {
  size_t datagrams = 0;
  for (;;) {
    const int64_t nowNs = MonotonicNs();
    // A flood never ends on its own: leave the loop to honour close() and pauseReader().
    if (readerStarted_ && (stopping_ || pauseUntilNs_ > nowNs)) return datagrams;
    const long n = socket_.Receive(receiveBuffer_.get(), kReceiveBufferBytes);
    if (n == -ENOBUFS) {  // the kernel dropped messages for us: count, then keep reading
      overruns_++;
      batcher_.AddOverrun(nowNs);
      continue;
    }
    if (n < 0) return datagrams;  // EAGAIN: drained (other errors: poll reports them again)
    datagrams++;
    if (static_cast<size_t>(n) > kReceiveBufferBytes) {
      malformed_++;  // MSG_TRUNC told us the real size: the rest was cut off
    } else {
      Ingest(receiveBuffer_.get(), static_cast<size_t>(n), nowNs);
    }
    if (readerStarted_ && batcher_.Due(nowNs) && retryDeliveryAtNs_ <= nowNs) Flush(nowNs);
  }
}

void ConnectorCore::Ingest(const uint8_t* data, size_t size, int64_t nowNs) {
  DecodeResult decoded = DecodeDatagram(data, size);
  malformed_ += decoded.malformed;
  foreign_ += decoded.foreign;
  // With a filter, dropped kinds leave holes in the sequence that are not losses.
  if (!filterAttached_) {
    uint64_t lost = 0;
    for (const CpuSeq& position : decoded.sequence) lost += seqTracker_.Observe(position.cpu, position.seq, nowNs);
    seqGapMessages_ += lost;
    batcher_.AddSeqGaps(lost, nowNs);
  }
  IngestAcks(decoded, nowNs);
  for (DecodedEvent& event : decoded.events) {
    eventsByKind_[static_cast<size_t>(event.kind)]++;
    lastEventNs_ = static_cast<int64_t>(event.timestampNs);
    BatchEvent entry{std::move(event), ExecInfo{}};
    if (entry.event.kind == EventKind::kExec && config_.readExecInfo) entry.exec = ReadExecInfo(entry.event.tgid);
    batcher_.AddEvent(std::move(entry), nowNs);
  }
}

void ConnectorCore::IngestAcks(const DecodeResult& decoded, int64_t nowNs) {
  for (const DecodedAck& ack : decoded.acks) {
    acksSeen_++;
    if (ack.ack == config_.ackCookie + 1) {  // our LISTEN's answer (a late one after Start is dropped)
      if (!ownAck_) ownAck_ = AckReply{ack.err, NsToMs(nowNs - listenSentNs_)};
    } else if (ack.ack != config_.ackCookie + 3) {  // +3 would be our IGNORE's: ours, not foreign
      batcher_.AddForeignAck(ForeignAck{ack.ack, ack.err}, nowNs);
    }
  }
}

void ConnectorCore::Flush(int64_t nowNs) {
  auto batch = std::make_unique<Batch>(batcher_.Take());
  if (batch->Empty()) return;
  if (deliver_(batch)) {
    batches_++;
    retryDeliveryAtNs_ = 0;
    return;
  }
  // JS has fallen behind and its queue is full: keep the batch and retry shortly, never block.
  if (batch->events.size() > kMaxHeldEvents) {
    queueFullDrops_ += batch->events.size();
    overruns_++;
    batch->events.clear();
    batch->overruns++;
  }
  if (batch->records.size() > kMaxHeldEvents) {  // the same limit for records, reported as their overrun
    recordOverruns_++;
    batch->records.clear();
    batch->recordOverruns++;
  }
  batcher_.PutBack(std::move(*batch));
  retryDeliveryAtNs_ = nowNs + kDeliveryRetryNs;
}

}  // namespace cntop
