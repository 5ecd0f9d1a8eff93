// Batching policy (see event_batcher.h): size or age, whichever comes first, so a storm is handed
// over in large batches while a lone event still reaches JS within maxAge.
#include "event_batcher.h"

#include <iterator>

namespace cntop {

void EventBatcher::Touch(int64_t nowNs) {
  if (batch_.firstAddedNs == 0) batch_.firstAddedNs = nowNs;
}

void EventBatcher::AddEvent(BatchEvent&& event, int64_t nowNs) {
  Touch(nowNs);
  batch_.events.push_back(std::move(event));
}

void EventBatcher::AddOverrun(int64_t nowNs) {
  Touch(nowNs);
  batch_.overruns++;
}

void EventBatcher::AddSeqGaps(uint64_t messages, int64_t nowNs) {
  if (messages == 0) return;
  Touch(nowNs);
  batch_.seqGapMessages += messages;
}

void EventBatcher::AddForeignAck(ForeignAck ack, int64_t nowNs) {
  Touch(nowNs);
  batch_.foreignAcks.push_back(ack);
}

void EventBatcher::AddRecord(TaskstatsRecord&& record, int64_t nowNs) {
  Touch(nowNs);
  batch_.records.push_back(std::move(record));
}

void EventBatcher::AddRecordOverrun(int64_t nowNs) {
  Touch(nowNs);
  batch_.recordOverruns++;
}

bool EventBatcher::Due(int64_t nowNs) const {
  if (batch_.Empty()) return false;
  return batch_.Entries() >= maxEvents_ || nowNs - batch_.firstAddedNs >= maxAgeNs_;
}

int EventBatcher::MsUntilDue(int64_t nowNs) const {
  if (batch_.Empty()) return -1;
  if (batch_.Entries() >= maxEvents_) return 0;
  const int64_t remainingNs = batch_.firstAddedNs + maxAgeNs_ - nowNs;
  if (remainingNs <= 0) return 0;
  return static_cast<int>((remainingNs + 999999) / 1000000);  // round up: never wake early and spin
}

Batch EventBatcher::Take() {
  Batch taken = std::move(batch_);
  batch_ = Batch{};
  return taken;
}

void EventBatcher::PutBack(Batch&& batch) {
  Batch newer = Take();
  batch_ = std::move(batch);
  batch_.events.insert(batch_.events.end(), std::make_move_iterator(newer.events.begin()),
                       std::make_move_iterator(newer.events.end()));
  batch_.overruns += newer.overruns;
  batch_.seqGapMessages += newer.seqGapMessages;
  batch_.foreignAcks.insert(batch_.foreignAcks.end(), newer.foreignAcks.begin(), newer.foreignAcks.end());
  batch_.records.insert(batch_.records.end(), std::make_move_iterator(newer.records.begin()),
                        std::make_move_iterator(newer.records.end()));
  batch_.recordOverruns += newer.recordOverruns;
  if (batch_.firstAddedNs == 0) batch_.firstAddedNs = newer.firstAddedNs;
}

}  // namespace cntop
