// Collects decoded events and loss counters into batches for JS: a batch is due when it holds
// maxEvents events or its oldest entry has waited maxAge. Single-threaded: owned by the reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exec_info.h"
#include "proc_event_decoder.h"
#include "taskstats_decoder.h"

namespace cntop {

struct BatchEvent {
  DecodedEvent event;
  ExecInfo exec;  // exec events only, and only when exec info is read
};

struct ForeignAck {
  uint32_t ack;
  uint32_t err;
};

struct Batch {
  std::vector<BatchEvent> events;
  uint64_t overruns = 0;
  uint64_t seqGapMessages = 0;
  std::vector<ForeignAck> foreignAcks;
  std::vector<TaskstatsRecord> records;  // taskstats, in arrival order, beside the events
  uint64_t recordOverruns = 0;           // ENOBUFS on the taskstats socket
  int64_t firstAddedNs = 0;              // when the oldest entry arrived; 0 while empty

  bool Empty() const {
    return events.empty() && overruns == 0 && seqGapMessages == 0 && foreignAcks.empty() && records.empty() &&
           recordOverruns == 0;
  }
  /** Events and records together: both cost the JS thread, so both count towards maxEvents. */
  size_t Entries() const { return events.size() + records.size(); }
};

class EventBatcher {
 public:
  EventBatcher(size_t maxEvents, int64_t maxAgeNs) : maxEvents_(maxEvents), maxAgeNs_(maxAgeNs) {}

  void AddEvent(BatchEvent&& event, int64_t nowNs);
  void AddOverrun(int64_t nowNs);
  void AddSeqGaps(uint64_t messages, int64_t nowNs);
  void AddForeignAck(ForeignAck ack, int64_t nowNs);
  void AddRecord(TaskstatsRecord&& record, int64_t nowNs);
  void AddRecordOverrun(int64_t nowNs);

  bool Due(int64_t nowNs) const;
  /** Milliseconds until the batch is due by age; -1 when empty (wait indefinitely). */
  int MsUntilDue(int64_t nowNs) const;
  size_t PendingEvents() const { return batch_.Entries(); }

  Batch Take();
  /** Returns a batch the consumer could not accept; it is merged with anything added since. */
  void PutBack(Batch&& batch);

 private:
  void Touch(int64_t nowNs);

  size_t maxEvents_;
  int64_t maxAgeNs_;
  Batch batch_;
};

}  // namespace cntop
