// Connector (see connector.h): option parsing, start/stats/pauseReader/close, and the TSFN hand-off.
// Options are validated strictly: a wrong type is a caller bug and throws a TypeError.
#include "connector.h"

#include "js_convert.h"

namespace cntop {
namespace {

// Batches waiting for the JS thread; beyond this the reader holds them itself (never blocks).
constexpr size_t kMaxQueuedBatches = 64;

uint32_t RequireUint(const Napi::Object& options, const char* name, uint32_t min, uint32_t max) {
  Napi::Value value = options.Get(name);
  if (!value.IsNumber()) {
    Napi::TypeError::New(options.Env(), std::string("options.") + name + " must be a number")
        .ThrowAsJavaScriptException();
    return min;
  }
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= min && number <= max) || number != static_cast<double>(static_cast<uint64_t>(number))) {
    Napi::RangeError::New(options.Env(), std::string("options.") + name + " is out of range")
        .ThrowAsJavaScriptException();
    return min;
  }
  return static_cast<uint32_t>(number);
}

std::vector<EventKind> RequireKinds(const Napi::Object& options) {
  std::vector<EventKind> kinds;
  Napi::Value value = options.Get("dropKinds");
  if (!value.IsArray()) {
    Napi::TypeError::New(options.Env(), "options.dropKinds must be an array").ThrowAsJavaScriptException();
    return kinds;
  }
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value item = array.Get(i);
    const int index = item.IsString() ? EventKindFromName(item.As<Napi::String>().Utf8Value()) : -1;
    if (index < 0) {
      Napi::TypeError::New(options.Env(), "options.dropKinds holds an unknown event kind").ThrowAsJavaScriptException();
      return kinds;
    }
    kinds.push_back(static_cast<EventKind>(index));
  }
  return kinds;
}

// options.taskstats: absent/false (off), true (defaults) or {rcvbufBytes?, cpumask?}.
void ParseTaskstats(const Napi::Object& options, ConnectorConfig& config) {
  Napi::Env env = options.Env();
  Napi::Value value = options.Get("taskstats");
  config.taskstats.waitMs = config.ackWaitMs;
  if (value.IsUndefined() || value.IsBoolean()) {
    config.taskstats.enabled = value.IsBoolean() && value.As<Napi::Boolean>().Value();
    return;
  }
  if (!value.IsObject()) {
    Napi::TypeError::New(env, "options.taskstats must be a boolean or an object").ThrowAsJavaScriptException();
    return;
  }
  Napi::Object taskstats = value.As<Napi::Object>();
  config.taskstats.enabled = true;
  if (!taskstats.Get("rcvbufBytes").IsUndefined()) {
    config.taskstats.rcvbufBytes = static_cast<int>(RequireUint(taskstats, "rcvbufBytes", 4096, 1u << 30));
    if (env.IsExceptionPending()) return;
  }
  Napi::Value cpumask = taskstats.Get("cpumask");
  if (cpumask.IsUndefined()) return;
  if (!cpumask.IsString() || cpumask.As<Napi::String>().Utf8Value().empty()) {
    Napi::TypeError::New(env, "options.taskstats.cpumask must be a non-empty cpulist string")
        .ThrowAsJavaScriptException();
    return;
  }
  config.taskstats.cpumask = cpumask.As<Napi::String>().Utf8Value();
}

// Stops at the first invalid field: throwing again while an exception is pending would be fatal.
bool ParseConfig(const Napi::Object& options, ConnectorConfig& config) {
  Napi::Env env = options.Env();
  config.rcvbufBytes = static_cast<int>(RequireUint(options, "rcvbufBytes", 4096, 1u << 30));
  if (env.IsExceptionPending()) return false;
  config.readExecInfo = options.Get("readExecInfo").ToBoolean();
  config.dropKinds = RequireKinds(options);
  if (env.IsExceptionPending()) return false;
  config.maxBatchEvents = RequireUint(options, "maxBatchEvents", 1, 1u << 20);
  if (env.IsExceptionPending()) return false;
  config.maxBatchMs = static_cast<int>(RequireUint(options, "maxBatchMs", 0, 60000));
  if (env.IsExceptionPending()) return false;
  config.ackCookie = RequireUint(options, "ackCookie", 0, 0xfffffffcu);  // +3 must not wrap
  if (env.IsExceptionPending()) return false;
  config.ackWaitMs = static_cast<int>(RequireUint(options, "ackWaitMs", 0, 60000));
  if (env.IsExceptionPending()) return false;
  ParseTaskstats(options, config);
  return !env.IsExceptionPending();
}

}  // namespace

void CallBatchJs(Napi::Env env, Napi::Function callback, DeliveryGate* gate, Batch* batch) {
  std::unique_ptr<Batch> owned(batch);
  // env is null when the TSFN is torn down with calls still queued; a closed gate means JS said stop.
  if (env == nullptr || callback.IsEmpty() || gate == nullptr || !gate->open) return;
  // A terminating environment (a worker's process.exit) cannot run JS: the conversion fails, the
  // failure is swallowed (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS) and the batch is dropped here.
  Napi::Object batchObject = BatchToJs(env, *owned);
  if (env.IsExceptionPending() || batchObject.IsEmpty()) return;
  callback.Call({batchObject});
}

Napi::Function Connector::Define(Napi::Env env) {
  return DefineClass(
      env, "Connector",
      {InstanceMethod<&Connector::Start>("start"), InstanceMethod<&Connector::Stats>("stats"),
       InstanceMethod<&Connector::PauseReader>("pauseReader"), InstanceMethod<&Connector::Close>("close")});
}

Connector::Connector(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Connector>(info) {
  if (!info[0].IsObject()) {
    Napi::TypeError::New(info.Env(), "Connector needs an options object").ThrowAsJavaScriptException();
    return;
  }
  ConnectorConfig config;
  if (!ParseConfig(info[0].As<Napi::Object>(), config)) return;
  core_ = std::make_unique<ConnectorCore>(std::move(config));
}

Connector::~Connector() { Shutdown(ShutdownFrom::kDestructor); }

Napi::Value Connector::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) {
    Napi::TypeError::New(env, "start needs a batch callback").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (core_->WasStarted()) {
    Napi::Error::New(env, "Connector.start() may be called only once").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  gate_ = new DeliveryGate();
  tsfn_ = BatchTsfn::New(env, info[0].As<Napi::Function>(), "cntop-connector", kMaxQueuedBatches, 1, gate_,
                         [](Napi::Env, void*, DeliveryGate* gate) { delete gate; });
  BatchTsfn tsfn = tsfn_;
  StartOutcome outcome = core_->Start([tsfn](std::unique_ptr<Batch>& batch) mutable {
    const napi_status status = tsfn.NonBlockingCall(batch.get());
    if (status == napi_queue_full) return false;
    if (status == napi_ok) batch.release();  // the TSFN owns it now
    return true;                             // napi_closing: JS is gone, the batch is dropped with the unique_ptr
  });
  if (!outcome.status.ok) {
    core_->Close();  // sends the IGNORE if LISTEN went out before the failure
    gate_->open = false;
    tsfn_.Release();
    gate_ = nullptr;
    return StatusToJs(env, outcome.status);
  }
  running_ = true;
  Ref();  // a running connector must not be collected while only the reader references it
  napi_add_env_cleanup_hook(env, &Connector::OnEnvCleanup, this);
  cleanupHookAdded_ = true;

  Napi::Object result = StatusToJs(env, outcome.status);
  result.Set("ack", AckToJs(env, outcome.ack));
  result.Set("rcvbufBytes", Napi::Number::New(env, outcome.rcvbuf.bytes));
  result.Set("rcvbufForced", Napi::Boolean::New(env, outcome.rcvbuf.forced));
  result.Set("filterAttached", Napi::Boolean::New(env, outcome.filterAttached));
  result.Set("taskstats", TaskstatsStartToJs(env, outcome.taskstats));
  return result;
}

Napi::Value Connector::Stats(const Napi::CallbackInfo& info) { return StatsToJs(info.Env(), core_->Stats()); }

Napi::Value Connector::PauseReader(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) {
    Napi::TypeError::New(info.Env(), "pauseReader needs milliseconds").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  core_->PauseReader(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value Connector::Close(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("ignoreSent", Napi::Boolean::New(info.Env(), Shutdown(ShutdownFrom::kJs)));
  return result;
}

bool Connector::Shutdown(ShutdownFrom from) {
  if (!core_) return false;  // the constructor threw
  const bool ignoreSent = core_->Close();
  if (running_) {
    running_ = false;
    gate_->open = false;
    tsfn_.Release();
    gate_ = nullptr;
    // A hook left behind would later run on a destroyed object; the running hook removes itself.
    if (cleanupHookAdded_ && from != ShutdownFrom::kEnvCleanup) {
      napi_remove_env_cleanup_hook(Env(), &Connector::OnEnvCleanup, this);
    }
    cleanupHookAdded_ = false;
    if (from == ShutdownFrom::kJs) Unref();  // drop the self-reference taken by start()
  }
  return ignoreSent;
}

void Connector::OnEnvCleanup(void* self) { static_cast<Connector*>(self)->Shutdown(ShutdownFrom::kEnvCleanup); }

}  // namespace cntop
