// Conversions (see js_convert.h). Process-supplied bytes (comm, cmdline) go through
// napi_create_string_utf8, which replaces invalid UTF-8 with U+FFFD instead of failing.
#include "js_convert.h"

#include "monotonic_clock.h"

namespace cntop {
namespace {

// Property-name strings created once per conversion call and reused for every event in it.
struct Keys {
  explicit Keys(Napi::Env env)
      : kind(Napi::String::New(env, "kind")), pid(Napi::String::New(env, "pid")),
        tgid(Napi::String::New(env, "tgid")), cpu(Napi::String::New(env, "cpu")),
        timeMs(Napi::String::New(env, "timeMs")), parentPid(Napi::String::New(env, "parentPid")),
        parentTgid(Napi::String::New(env, "parentTgid")), comm(Napi::String::New(env, "comm")),
        cmdline(Napi::String::New(env, "cmdline")), exitCode(Napi::String::New(env, "exitCode")),
        exitSignal(Napi::String::New(env, "exitSignal")), tracerPid(Napi::String::New(env, "tracerPid")),
        tracerTgid(Napi::String::New(env, "tracerTgid")) {
    for (size_t i = 0; i < kEventKindCount; i++) kindNames[i] = Napi::String::New(env, EventKindName(static_cast<EventKind>(i)));
  }
  Napi::String kind, pid, tgid, cpu, timeMs, parentPid, parentTgid, comm, cmdline, exitCode, exitSignal;
  Napi::String tracerPid, tracerTgid;
  Napi::String kindNames[kEventKindCount];
};

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

void SetPair(Napi::Object& object, const Napi::String& a, int32_t va, const Napi::String& b, int32_t vb) {
  Napi::Env env = object.Env();
  object.Set(a, Napi::Number::New(env, va));
  object.Set(b, Napi::Number::New(env, vb));
}

// Adds the fields that only some kinds carry; property order is fixed per kind (stable V8 shapes).
void SetKindFields(Napi::Object& object, const Keys& keys, const DecodedEvent& ev, const ExecInfo* exec) {
  Napi::Env env = object.Env();
  switch (ev.kind) {
    case EventKind::kFork:
    case EventKind::kCoredump:
      SetPair(object, keys.parentPid, ev.parentPid, keys.parentTgid, ev.parentTgid);
      return;
    case EventKind::kExec:
      object.Set(keys.comm, exec != nullptr ? OptionalString(env, exec->comm) : env.Null());
      object.Set(keys.cmdline, exec != nullptr ? OptionalArgs(env, exec->cmdline) : env.Null());
      return;
    case EventKind::kExit:
      object.Set(keys.exitCode, Napi::Number::New(env, ev.exitCode));
      object.Set(keys.exitSignal, Napi::Number::New(env, ev.exitSignal));
      SetPair(object, keys.parentPid, ev.parentPid, keys.parentTgid, ev.parentTgid);
      return;
    case EventKind::kComm:
      object.Set(keys.comm, Napi::String::New(env, ev.comm));
      return;
    case EventKind::kUid:
      object.Set("ruid", Napi::Number::New(env, ev.realId));
      object.Set("euid", Napi::Number::New(env, ev.effectiveId));
      return;
    case EventKind::kGid:
      object.Set("rgid", Napi::Number::New(env, ev.realId));
      object.Set("egid", Napi::Number::New(env, ev.effectiveId));
      return;
    case EventKind::kSid:
      return;
    case EventKind::kPtrace:
      SetPair(object, keys.tracerPid, ev.tracerPid, keys.tracerTgid, ev.tracerTgid);
      return;
  }
}

Napi::Object EventToJs(Napi::Env env, const Keys& keys, const DecodedEvent& ev, const ExecInfo* exec) {
  Napi::Object object = Napi::Object::New(env);
  object.Set(keys.kind, keys.kindNames[static_cast<size_t>(ev.kind)]);
  object.Set(keys.pid, Napi::Number::New(env, ev.pid));
  object.Set(keys.tgid, Napi::Number::New(env, ev.tgid));
  object.Set(keys.cpu, Napi::Number::New(env, ev.cpu));
  object.Set(keys.timeMs, Napi::Number::New(env, static_cast<double>(ev.timestampNs) / 1e6));
  SetKindFields(object, keys, ev, exec);
  return object;
}

Napi::Object AckObject(Napi::Env env, uint32_t ack, uint32_t err) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("ack", Napi::Number::New(env, ack));
  object.Set("err", Napi::Number::New(env, err));
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

Napi::Object BatchToJs(Napi::Env env, const Batch& batch) {
  Keys keys(env);
  Napi::Array events = Napi::Array::New(env, batch.events.size());
  for (size_t i = 0; i < batch.events.size(); i++) {
    events.Set(static_cast<uint32_t>(i), EventToJs(env, keys, batch.events[i].event, &batch.events[i].exec));
  }
  Napi::Array acks = Napi::Array::New(env, batch.foreignAcks.size());
  for (size_t i = 0; i < batch.foreignAcks.size(); i++) {
    acks.Set(static_cast<uint32_t>(i), AckObject(env, batch.foreignAcks[i].ack, batch.foreignAcks[i].err));
  }
  Napi::Object object = Napi::Object::New(env);
  object.Set("events", events);
  object.Set("overruns", Napi::Number::New(env, static_cast<double>(batch.overruns)));
  object.Set("seqGapMessages", Napi::Number::New(env, static_cast<double>(batch.seqGapMessages)));
  object.Set("foreignAcks", acks);
  return object;
}

Napi::Object DecodeResultToJs(Napi::Env env, const DecodeResult& decoded) {
  Keys keys(env);
  Napi::Array events = Napi::Array::New(env, decoded.events.size());
  Napi::Array seqs = Napi::Array::New(env, decoded.events.size());
  for (size_t i = 0; i < decoded.events.size(); i++) {
    events.Set(static_cast<uint32_t>(i), EventToJs(env, keys, decoded.events[i], nullptr));
    seqs.Set(static_cast<uint32_t>(i), Napi::Number::New(env, decoded.events[i].seq));
  }
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
    byKind.Set(EventKindName(static_cast<EventKind>(i)), Napi::Number::New(env, static_cast<double>(stats.eventsByKind[i])));
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
