// Conversions (see js_convert.h). Events are packed into a Float64Array and built by a small compiled
// JS function (materialize_js.h). Process-supplied bytes (comm, cmdline) go through
// napi_create_string_utf8, which replaces invalid UTF-8 with U+FFFD instead of failing.
#include "js_convert.h"

#include <cmath>

#include "materialize_js.h"
#include "materialize_records_js.h"
#include "monotonic_clock.h"

namespace cntop {
namespace {

struct AddonData {
  Napi::FunctionReference materialize;
  Napi::FunctionReference materializeRecords;
};

Napi::FunctionReference CompileFunction(Napi::Env env, const char* source) {
  napi_value function = nullptr;
  napi_run_script(env, Napi::String::New(env, source), &function);
  return Napi::Persistent(Napi::Function(env, function));
}

Napi::Value OptionalString(Napi::Env env, const std::optional<std::string>& text) {
  if (!text) return env.Null();
  return Napi::String::New(env, *text);
}

Napi::Value OptionalArgs(Napi::Env env, const std::optional<std::vector<std::string>>& args) {
  if (!args) return env.Null();
  Napi::Array array = Napi::Array::New(env, args->size());
  for (size_t i = 0; i < args->size(); i++) array.Set(static_cast<uint32_t>(i), Napi::String::New(env, (*args)[i]));
  return array;
}

// Appends a value to the side array and returns its index, or -1 (null) without appending.
double AddString(Napi::Array& strings, Napi::Value value) {
  if (value.IsNull()) return -1;
  const uint32_t index = strings.Length();
  strings.Set(index, value);
  return index;
}

// Writes one event as kPackedFields doubles (layout in materialize_js.h).
void PackEvent(double* out, const DecodedEvent& ev, const ExecInfo* exec, Napi::Array& strings) {
  Napi::Env env = strings.Env();
  out[0] = static_cast<double>(ev.kind);
  out[1] = ev.pid;
  out[2] = ev.tgid;
  out[3] = ev.cpu;
  out[4] = static_cast<double>(ev.timestampNs) / 1e6;
  out[5] = out[6] = out[7] = out[8] = 0;
  switch (ev.kind) {
    case EventKind::kFork:
    case EventKind::kCoredump:
      out[5] = ev.parentPid, out[6] = ev.parentTgid;
      return;
    case EventKind::kExec:
      out[5] = AddString(strings, exec != nullptr ? OptionalString(env, exec->comm) : env.Null());
      out[6] = AddString(strings, exec != nullptr ? OptionalArgs(env, exec->cmdline) : env.Null());
      return;
    case EventKind::kExit:
      out[5] = ev.exitCode, out[6] = ev.exitSignal, out[7] = ev.parentPid, out[8] = ev.parentTgid;
      return;
    case EventKind::kComm:
      out[5] = AddString(strings, Napi::String::New(env, ev.comm));
      return;
    case EventKind::kUid:
    case EventKind::kGid:
      out[5] = ev.realId, out[6] = ev.effectiveId;
      return;
    case EventKind::kPtrace:
      out[5] = ev.tracerPid, out[6] = ev.tracerTgid;
      return;
    case EventKind::kSid:
      return;
  }
}

// Packs count events (eventAt(i), execAt(i)) and lets the compiled materializer build the objects.
template <typename EventAt, typename ExecAt>
Napi::Value EventsToJs(Napi::Env env, size_t count, EventAt eventAt, ExecAt execAt) {
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, count * kPackedFields * sizeof(double));
  // While an environment tears down (a worker ending) queued batches still arrive but nothing can be
  // allocated: give up on the batch instead of writing through a null buffer.
  if (buffer.IsEmpty() || env.IsExceptionPending()) return Napi::Value();
  Napi::Float64Array nums = Napi::Float64Array::New(env, count * kPackedFields, buffer, 0);
  Napi::Array strings = Napi::Array::New(env);
  if (nums.IsEmpty() || strings.IsEmpty() || (count > 0 && nums.Data() == nullptr)) return Napi::Value();
  double* out = nums.Data();
  for (size_t i = 0; i < count; i++) PackEvent(out + i * kPackedFields, eventAt(i), execAt(i), strings);
  AddonData* data = env.GetInstanceData<AddonData>();
  return data->materialize.Call({nums, Napi::Number::New(env, static_cast<double>(count)), strings});
}

Napi::Object AckObject(Napi::Env env, uint32_t ack, uint32_t err) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ack", Napi::Number::New(env, ack));
  object.Set("err", Napi::Number::New(env, err));
  return object;
}

// NativeTaskstatsFailure: the failed stage plus the StatusToJs fields.
Napi::Object TaskstatsFailureToJs(Napi::Env env, const TaskstatsFailure& failure) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ok", Napi::Boolean::New(env, false));
  object.Set("stage", Napi::String::New(env, failure.stage));
  object.Set("syscall", Napi::String::New(env, failure.status.syscall));
  object.Set("errno", Napi::Number::New(env, failure.status.err));
  object.Set("code", Napi::String::New(env, ErrnoName(failure.status.err)));
  return object;
}

Napi::Object TaskstatsStatsToJs(Napi::Env env, const TaskstatsStatsSnapshot& ts) {
  auto number = [env](uint64_t value) { return Napi::Number::New(env, static_cast<double>(value)); };
  Napi::Object byKind = Napi::Object::New(env);
  byKind.Set("pid", number(ts.recordsByKind[0]));
  byKind.Set("tgid", number(ts.recordsByKind[1]));
  Napi::Object object = Napi::Object::New(env);
  object.Set("enabled", Napi::Boolean::New(env, ts.enabled));
  object.Set("registered", Napi::Boolean::New(env, ts.registered));
  object.Set("registerSent", Napi::Boolean::New(env, ts.registerSent));
  object.Set("deregisterSent", Napi::Boolean::New(env, ts.deregisterSent));
  object.Set("cpumask", Napi::String::New(env, ts.cpumask));
  object.Set("familyId", Napi::Number::New(env, ts.familyId));
  object.Set("records", number(ts.recordsByKind[0] + ts.recordsByKind[1]));
  object.Set("recordsByKind", byKind);
  object.Set("overruns", number(ts.overruns));
  object.Set("malformed", number(ts.malformed));
  object.Set("foreign", number(ts.foreign));
  object.Set("rcvbufBytes", Napi::Number::New(env, ts.rcvbufBytes));
  object.Set("failure", ts.failure ? Napi::Value(TaskstatsFailureToJs(env, *ts.failure)) : env.Null());
  return object;
}

}  // namespace

Napi::Object StatusToJs(Napi::Env env, const SysStatus& status) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ok", Napi::Boolean::New(env, status.ok));
  if (!status.ok) {
    object.Set("syscall", Napi::String::New(env, status.syscall));
    object.Set("errno", Napi::Number::New(env, status.err));
    object.Set("code", Napi::String::New(env, ErrnoName(status.err)));
  }
  return object;
}

void InstallMaterializer(Napi::Env env) {
  auto* data = new AddonData();
  data->materialize = CompileFunction(env, kMaterializeSource);
  data->materializeRecords = CompileFunction(env, kMaterializeRecordsSource);
  env.SetInstanceData(data);
}

Napi::Value RecordsToJs(Napi::Env env, const std::vector<TaskstatsRecord>& records) {
  const size_t count = records.size();
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, count * kRecordPackedFields * sizeof(double));
  if (buffer.IsEmpty() || env.IsExceptionPending()) return Napi::Value();  // environment tearing down
  Napi::Float64Array nums = Napi::Float64Array::New(env, count * kRecordPackedFields, buffer, 0);
  Napi::Array strings = Napi::Array::New(env);
  if (nums.IsEmpty() || strings.IsEmpty() || (count > 0 && nums.Data() == nullptr)) return Napi::Value();
  for (size_t i = 0; i < count; i++) {
    const TaskstatsRecord& record = records[i];
    double* out = nums.Data() + i * kRecordPackedFields;
    out[0] = record.kind == TaskstatsKind::kPid ? 0 : 1;
    out[1] = record.id;
    out[2] = record.version;
    // uint64 -> double is exact below 2^53 (104 days of CPU in ns); beyond that the nearest double.
    for (size_t f = 0; f < kTsFieldCount; f++) {
      out[3 + f] = record.Has(static_cast<TsField>(f)) ? static_cast<double>(record.values[f]) : std::nan("");
    }
    out[3 + kTsFieldCount] = record.hasComm ? AddString(strings, Napi::String::New(env, record.comm)) : -1;
  }
  AddonData* data = env.GetInstanceData<AddonData>();
  return data->materializeRecords.Call({nums, Napi::Number::New(env, static_cast<double>(count)), strings});
}

Napi::Object TaskstatsDecodeResultToJs(Napi::Env env, const TaskstatsDecodeResult& decoded) {
  Napi::Value records = RecordsToJs(env, decoded.records);
  Napi::Array acks = Napi::Array::New(env, decoded.acks.size());
  for (size_t i = 0; i < decoded.acks.size(); i++) {
    Napi::Object ack = Napi::Object::New(env);
    ack.Set("seq", Napi::Number::New(env, decoded.acks[i].seq));
    ack.Set("err", Napi::Number::New(env, decoded.acks[i].err));
    acks.Set(static_cast<uint32_t>(i), ack);
  }
  Napi::Object object = Napi::Object::New(env);
  object.Set("records", records);
  object.Set("acks", acks);
  object.Set("malformed", Napi::Number::New(env, decoded.malformed));
  object.Set("foreign", Napi::Number::New(env, decoded.foreign));
  return object;
}

Napi::Object BatchToJs(Napi::Env env, const Batch& batch) {
  Napi::Value events = EventsToJs(
      env, batch.events.size(), [&](size_t i) -> const DecodedEvent& { return batch.events[i].event; },
      [&](size_t i) { return &batch.events[i].exec; });
  if (events.IsEmpty()) return Napi::Object();
  Napi::Array acks = Napi::Array::New(env, batch.foreignAcks.size());
  for (size_t i = 0; i < batch.foreignAcks.size(); i++) {
    acks.Set(static_cast<uint32_t>(i), AckObject(env, batch.foreignAcks[i].ack, batch.foreignAcks[i].err));
  }
  Napi::Value records = RecordsToJs(env, batch.records);
  if (records.IsEmpty()) return Napi::Object();
  Napi::Object object = Napi::Object::New(env);
  object.Set("events", events);
  object.Set("overruns", Napi::Number::New(env, static_cast<double>(batch.overruns)));
  object.Set("seqGapMessages", Napi::Number::New(env, static_cast<double>(batch.seqGapMessages)));
  object.Set("foreignAcks", acks);
  object.Set("records", records);
  object.Set("recordOverruns", Napi::Number::New(env, static_cast<double>(batch.recordOverruns)));
  return object;
}

Napi::Object DecodeResultToJs(Napi::Env env, const DecodeResult& decoded) {
  Napi::Value events = EventsToJs(
      env, decoded.events.size(), [&](size_t i) -> const DecodedEvent& { return decoded.events[i]; },
      [](size_t) -> const ExecInfo* { return nullptr; });
  Napi::Array seqs = Napi::Array::New(env, decoded.events.size());
  for (size_t i = 0; i < decoded.events.size(); i++)
    seqs.Set(static_cast<uint32_t>(i), Napi::Number::New(env, decoded.events[i].seq));
  Napi::Array acks = Napi::Array::New(env, decoded.acks.size());
  for (size_t i = 0; i < decoded.acks.size(); i++) {
    Napi::Object ack = AckObject(env, decoded.acks[i].ack, decoded.acks[i].err);
    ack.Set("cpu", Napi::Number::New(env, decoded.acks[i].cpu));
    ack.Set("seq", Napi::Number::New(env, decoded.acks[i].seq));
    acks.Set(static_cast<uint32_t>(i), ack);
  }
  Napi::Object object = Napi::Object::New(env);
  object.Set("events", events);
  object.Set("acks", acks);
  object.Set("seqs", seqs);
  object.Set("malformed", Napi::Number::New(env, decoded.malformed));
  object.Set("foreign", Napi::Number::New(env, decoded.foreign));
  return object;
}

Napi::Object StatsToJs(Napi::Env env, const StatsSnapshot& stats) {
  Napi::Object byKind = Napi::Object::New(env);
  for (size_t i = 0; i < kEventKindCount; i++) {
    byKind.Set(EventKindName(static_cast<EventKind>(i)),
               Napi::Number::New(env, static_cast<double>(stats.eventsByKind[i])));
  }
  auto number = [env](uint64_t value) { return Napi::Number::New(env, static_cast<double>(value)); };
  Napi::Object object = Napi::Object::New(env);
  object.Set("eventsByKind", byKind);
  object.Set("batches", number(stats.batches));
  object.Set("overruns", number(stats.overruns));
  object.Set("seqGapMessages", number(stats.seqGapMessages));
  object.Set("malformed", number(stats.malformed));
  object.Set("foreign", number(stats.foreign));
  object.Set("acksSeen", number(stats.acksSeen));
  object.Set("queueFullDrops", number(stats.queueFullDrops));
  object.Set("rcvbufBytes", Napi::Number::New(env, stats.rcvbufBytes));
  object.Set("lastEventMs", stats.lastEventNs == 0 ? env.Null() : Napi::Number::New(env, NsToMs(stats.lastEventNs)));
  object.Set("listenSent", Napi::Boolean::New(env, stats.listenSent));
  object.Set("ignoreSent", Napi::Boolean::New(env, stats.ignoreSent));
  object.Set("taskstats", TaskstatsStatsToJs(env, stats.taskstats));
  return object;
}

Napi::Value TaskstatsStartToJs(Napi::Env env, const std::optional<TaskstatsStart>& start) {
  if (!start) return env.Null();
  if (!start->ok) return TaskstatsFailureToJs(env, start->failure);
  Napi::Object object = Napi::Object::New(env);
  object.Set("ok", Napi::Boolean::New(env, true));
  object.Set("familyId", Napi::Number::New(env, start->familyId));
  object.Set("cpumask", Napi::String::New(env, start->cpumask));
  object.Set("rcvbufBytes", Napi::Number::New(env, start->rcvbuf.bytes));
  object.Set("rcvbufForced", Napi::Boolean::New(env, start->rcvbuf.forced));
  object.Set("ackLatencyMs", Napi::Number::New(env, start->ackLatencyMs));
  return object;
}

Napi::Object TaskstatsWireCountsToJs(Napi::Env env, const TaskstatsWireCounts& counts) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("registersSent", Napi::Number::New(env, static_cast<double>(counts.registersSent)));
  object.Set("deregistersSent", Napi::Number::New(env, static_cast<double>(counts.deregistersSent)));
  object.Set("registerAcks", Napi::Number::New(env, static_cast<double>(counts.registerAcks)));
  object.Set("deregisterAcks", Napi::Number::New(env, static_cast<double>(counts.deregisterAcks)));
  return object;
}

Napi::Value AckToJs(Napi::Env env, const std::optional<AckReply>& ack) {
  if (!ack) return env.Null();
  Napi::Object object = Napi::Object::New(env);
  object.Set("err", Napi::Number::New(env, ack->err));
  object.Set("latencyMs", Napi::Number::New(env, ack->latencyMs));
  return object;
}

}  // namespace cntop
