// The addon's exports, nothing else: Connector, ControlSocket, decodeDatagram, decodeTaskstats,
// taskstatsWireCounts, monotonicMs, threadCpuMs, trimMalloc.
// The shape is declared in src/native/native-types.ts (NativeAddon).
#include <napi.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstring>
#include <vector>

#include "connector.h"
#include "control_socket.h"
#include "js_convert.h"
#include "monotonic_clock.h"
#include "proc_event_decoder.h"
#include "taskstats_decoder.h"

namespace cntop {
namespace {

// decodeDatagram(bytes: Uint8Array): NativeDecoded. Copies into an aligned buffer because the
// netlink walk reads nlmsghdr in place and a Uint8Array may start at any offset.
Napi::Value DecodeDatagramJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(env, "decodeDatagram needs a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  std::vector<uint64_t> aligned((bytes.ByteLength() + 7) / 8);
  if (bytes.ByteLength() > 0) std::memcpy(aligned.data(), bytes.Data(), bytes.ByteLength());
  DecodeResult decoded = DecodeDatagram(reinterpret_cast<const uint8_t*>(aligned.data()), bytes.ByteLength());
  return DecodeResultToJs(env, decoded);
}

// decodeTaskstats(bytes: Uint8Array, familyId: number): NativeTaskstatsDecoded. The same aligned copy
// as decodeDatagram; familyId is the dynamic TASKSTATS id the messages must carry.
Napi::Value DecodeTaskstatsJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array ||
      !info[1].IsNumber()) {
    Napi::TypeError::New(env, "decodeTaskstats needs a Uint8Array and a family id").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
  const uint32_t familyId = info[1].As<Napi::Number>().Uint32Value();
  std::vector<uint64_t> aligned((bytes.ByteLength() + 7) / 8);
  if (bytes.ByteLength() > 0) std::memcpy(aligned.data(), bytes.Data(), bytes.ByteLength());
  TaskstatsDecodeResult decoded = DecodeTaskstats(reinterpret_cast<const uint8_t*>(aligned.data()), bytes.ByteLength(),
                                                  static_cast<uint16_t>(familyId));
  return TaskstatsDecodeResultToJs(env, decoded);
}

// taskstatsWireCounts(): NativeTaskstatsWireCounts, process-wide, for tests that witness the one
// REGISTER and the one DEREGISTER (taskstats acks are unicast: no monitor can see another's).
Napi::Value TaskstatsWireCountsJs(const Napi::CallbackInfo& info) {
  return TaskstatsWireCountsToJs(info.Env(), GetTaskstatsWireCounts());
}

Napi::Value MonotonicMsJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), NsToMs(MonotonicNs()));
}

// CPU time of the calling thread, exact to the nanosecond: /proc's schedstat and getrusage lag by up to
// a scheduler tick (4 ms at HZ=250), too coarse to time one frame of a few milliseconds.
Napi::Value ThreadCpuMsJs(const Napi::CallbackInfo& info) {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return Napi::Number::New(info.Env(), static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6);
}

// trimMalloc(): boolean. Hands glibc malloc's free pages back to the kernel (malloc_trim(0): the top of
// every arena and the free pages inside them). glibc keeps freed memory for reuse, so after the seed
// scan of 10,000 processes, or a burst, the viewer's RSS stays at its peak; the viewer calls this when
// idle. true when memory was released; false when none was, or the libc is not glibc (no such call).
Napi::Value TrimMallocJs(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  return Napi::Boolean::New(info.Env(), malloc_trim(0) == 1);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace
}  // namespace cntop

// NODE_API_MODULE needs a plain identifier, so the init function lives outside the namespace.
static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  using namespace cntop;
  InstallMaterializer(env);
  exports.Set("Connector", Connector::Define(env));
  exports.Set("ControlSocket", ControlSocket::Define(env));
  exports.Set("decodeDatagram", Napi::Function::New<DecodeDatagramJs>(env, "decodeDatagram"));
  exports.Set("decodeTaskstats", Napi::Function::New<DecodeTaskstatsJs>(env, "decodeTaskstats"));
  exports.Set("taskstatsWireCounts", Napi::Function::New<TaskstatsWireCountsJs>(env, "taskstatsWireCounts"));
  exports.Set("monotonicMs", Napi::Function::New<MonotonicMsJs>(env, "monotonicMs"));
  exports.Set("threadCpuMs", Napi::Function::New<ThreadCpuMsJs>(env, "threadCpuMs"));
  exports.Set("trimMalloc", Napi::Function::New<TrimMallocJs>(env, "trimMalloc"));
  return exports;
}

NODE_API_MODULE(cntop_connector, InitModule)
