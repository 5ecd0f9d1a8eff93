// ControlSocket: a bare subscribed connector socket for health probes and test monitors. It sends
// whatever op it is told and waits for the matching ack. No reader thread, and NO automatic IGNORE
// on close: whoever sends LISTEN on it owns the IGNORE (see docs/ADDON.md).
#pragma once

#include <napi.h>

#include <cstdint>
#include <vector>

#include "netlink_socket.h"
#include "proc_event_decoder.h"

namespace cntop {

class ControlSocket : public Napi::ObjectWrap<ControlSocket> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ControlSocket(const Napi::CallbackInfo& info);

 private:
  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value SendOp(const Napi::CallbackInfo& info);
  Napi::Value WaitAck(const Napi::CallbackInfo& info);
  Napi::Value DrainEvents(const Napi::CallbackInfo& info);
  Napi::Value DrainAcks(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  /** Reads every queued datagram; acks are kept for waitAck/drainAcks, events only counted. */
  void ReadQueued();
  /** Removes and returns the first kept ack whose value is wanted, if any. */
  bool TakeAck(uint32_t wanted, DecodedAck& found);

  NetlinkSocket socket_;
  std::vector<DecodedAck> acks_;
  uint64_t eventsSeen_ = 0;
  int64_t lastSendNs_ = 0;
  uint32_t lastSendAck_ = 0;
};

}  // namespace cntop
