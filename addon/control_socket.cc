// ControlSocket (see control_socket.h). All calls are synchronous on the JS thread and bounded by
// the caller's timeout; the socket is non-blocking, so nothing here can hang.
#include "control_socket.h"

#include <cerrno>

#include "bpf_filter.h"
#include "js_convert.h"
#include "monotonic_clock.h"

namespace cntop {

Napi::Function ControlSocket::Define(Napi::Env env) {
  return DefineClass(
      env, "ControlSocket",
      {InstanceMethod<&ControlSocket::Open>("open"), InstanceMethod<&ControlSocket::SendOp>("sendOp"),
       InstanceMethod<&ControlSocket::WaitAck>("waitAck"), InstanceMethod<&ControlSocket::DrainEvents>("drainEvents"),
       InstanceMethod<&ControlSocket::DrainAcks>("drainAcks"), InstanceMethod<&ControlSocket::Close>("close")});
}

ControlSocket::ControlSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ControlSocket>(info) {}

// open(options?: { acksOnly?: boolean; rcvbufBytes?: number })
Napi::Value ControlSocket::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool hasOptions = info.Length() > 0 && info[0].IsObject();
  const Napi::Object options = hasOptions ? info[0].As<Napi::Object>() : Napi::Object::New(env);
  SysStatus status = socket_.Open();
  if (status.ok && options.Get("rcvbufBytes").IsNumber()) {
    socket_.SetReceiveBuffer(options.Get("rcvbufBytes").As<Napi::Number>().Int32Value());
  }
  // acksOnly: a kernel-side filter keeps only PROC_EVENT_NONE, so a storm cannot overflow the
  // socket and push out the acks a monitor is waiting for.
  if (status.ok && options.Get("acksOnly").ToBoolean()) {
    status = socket_.AttachFilter(BuildWhatFilter({0}, FilterMode::kKeepListed));
  }
  if (status.ok) status = socket_.Bind();
  if (!status.ok) socket_.Close();
  return StatusToJs(env, status);
}

Napi::Value ControlSocket::SendOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "sendOp(op, ackCookie) needs two numbers").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!socket_.IsOpen()) return StatusToJs(env, SysStatus::Failed("send", EBADF));
  const uint32_t ack = info[1].As<Napi::Number>().Uint32Value();
  lastSendNs_ = MonotonicNs();
  lastSendAck_ = ack;
  return StatusToJs(env, socket_.SendOp(info[0].As<Napi::Number>().Uint32Value(), ack));
}

void ControlSocket::ReadQueued() {
  alignas(8) static thread_local uint8_t buffer[8192];
  for (;;) {
    const long n = socket_.Receive(buffer, sizeof buffer);
    if (n == -ENOBUFS) continue;  // lost messages; the probes only care about what still comes
    if (n < 0) return;
    if (static_cast<size_t>(n) > sizeof buffer) continue;  // truncated: not a connector message
    DecodeResult decoded = DecodeDatagram(buffer, static_cast<size_t>(n));
    eventsSeen_ += decoded.events.size();
    acks_.insert(acks_.end(), decoded.acks.begin(), decoded.acks.end());
  }
}

bool ControlSocket::TakeAck(uint32_t wanted, DecodedAck& found) {
  for (auto it = acks_.begin(); it != acks_.end(); ++it) {
    if (it->ack == wanted) {
      found = *it;
      acks_.erase(it);
      return true;
    }
  }
  return false;
}

// waitAck(ackCookie, timeoutMs): the ack with cn_msg.ack === ackCookie + 1, or null after the wait.
Napi::Value ControlSocket::WaitAck(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "waitAck(ackCookie, timeoutMs) needs two numbers").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!socket_.IsOpen()) return env.Null();
  const uint32_t cookie = info[0].As<Napi::Number>().Uint32Value();
  const int64_t startNs = MonotonicNs();
  const int64_t deadlineNs = startNs + static_cast<int64_t>(info[1].As<Napi::Number>().Int64Value()) * 1000000;
  // Latency counts from the matching send when there was one, else from this call.
  const int64_t fromNs = lastSendAck_ == cookie ? lastSendNs_ : startNs;
  DecodedAck found;
  for (;;) {
    ReadQueued();
    if (TakeAck(cookie + 1, found)) {
      return AckToJs(env, AckReply{found.err, NsToMs(MonotonicNs() - fromNs)});
    }
    const int64_t remainingNs = deadlineNs - MonotonicNs();
    if (remainingNs <= 0) return env.Null();
    socket_.WaitReadable(static_cast<int>((remainingNs + 999999) / 1000000));
  }
}

// drainEvents(): events (not acks) received since open(), cumulative, after reading what is queued.
Napi::Value ControlSocket::DrainEvents(const Napi::CallbackInfo& info) {
  if (socket_.IsOpen()) ReadQueued();
  return Napi::Number::New(info.Env(), static_cast<double>(eventsSeen_));
}

// drainAcks(): every ack received since the previous drainAcks() that waitAck did not consume.
Napi::Value ControlSocket::DrainAcks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (socket_.IsOpen()) ReadQueued();
  Napi::Array array = Napi::Array::New(env, acks_.size());
  for (size_t i = 0; i < acks_.size(); i++) {
    Napi::Object ack = Napi::Object::New(env);
    ack.Set("ack", Napi::Number::New(env, acks_[i].ack));
    ack.Set("err", Napi::Number::New(env, acks_[i].err));
    ack.Set("cpu", Napi::Number::New(env, acks_[i].cpu));
    ack.Set("seq", Napi::Number::New(env, acks_[i].seq));
    array.Set(static_cast<uint32_t>(i), ack);
  }
  acks_.clear();
  return array;
}

// close(): releases the fd. Deliberately sends nothing: see the header.
Napi::Value ControlSocket::Close(const Napi::CallbackInfo& info) {
  socket_.Close();
  return info.Env().Undefined();
}

}  // namespace cntop
