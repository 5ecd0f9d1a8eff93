// Connector: the JS class (Napi::ObjectWrap) over ConnectorCore. Owns the ThreadSafeFunction that
// carries batches to JS, keeps itself alive while running, and closes on env teardown if JS forgot.
#pragma once

#include <napi.h>

#include <atomic>
#include <memory>

#include "connector_core.h"

namespace cntop {

/** Shared with queued TSFN calls: once closed, batches still in the queue are dropped, not delivered. */
struct DeliveryGate {
  std::atomic<bool> open{true};
};

void CallBatchJs(Napi::Env env, Napi::Function callback, DeliveryGate* gate, Batch* batch);
using BatchTsfn = Napi::TypedThreadSafeFunction<DeliveryGate, Batch, CallBatchJs>;

class Connector : public Napi::ObjectWrap<Connector> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Connector(const Napi::CallbackInfo& info);
  ~Connector() override;

 private:
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value PauseReader(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  enum class ShutdownFrom { kJs, kEnvCleanup, kDestructor };
  /** Shared by close(), the env cleanup hook and the destructor. */
  bool Shutdown(ShutdownFrom from);
  static void OnEnvCleanup(void* self);

  std::unique_ptr<ConnectorCore> core_;
  BatchTsfn tsfn_;
  DeliveryGate* gate_ = nullptr;  // owned by the TSFN; valid until it is released
  bool running_ = false;
  bool cleanupHookAdded_ = false;
};

}  // namespace cntop
