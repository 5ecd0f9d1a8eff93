// An owned netlink socket (RAII): open, bind to CN_IDX_PROC, size the receive buffer, attach a filter,
// send one proc_cn_mcast_op or any prepared message, receive datagrams. No N-API: plain system calls.
// The connector uses NETLINK_CONNECTOR; the taskstats listener the same class on NETLINK_GENERIC.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <vector>

#include "sys_status.h"

namespace cntop {

struct ReceiveBuffer {
  int bytes = 0;        // what getsockopt(SO_RCVBUF) reports afterwards (the kernel doubles requests)
  bool forced = false;  // SO_RCVBUFFORCE worked, so net.core.rmem_max did not cap it
};

class NetlinkSocket {
 public:
  static constexpr int kConnectorProtocol = 11;  // NETLINK_CONNECTOR, without pulling <linux/netlink.h> in here

  NetlinkSocket() = default;
  ~NetlinkSocket() { Close(); }
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;

  /** socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol). */
  SysStatus Open(int protocol = kConnectorProtocol);
  /** Joins the CN_IDX_PROC multicast group (connector sockets only). */
  SysStatus Bind();
  /** SO_RCVBUFFORCE, else SO_RCVBUF; then reads back what the kernel granted. */
  ReceiveBuffer SetReceiveBuffer(int bytes);
  SysStatus AttachFilter(const std::vector<sock_filter>& program);
  /** Sends a proc_cn_mcast_op (any number, so probes can send invalid ones) with cn_msg.ack = ack. */
  SysStatus SendOp(uint32_t op, uint32_t ack);
  /** Sends one prepared netlink message to the kernel (port 0). */
  SysStatus SendToKernel(const uint8_t* bytes, size_t size);
  /** Non-blocking recv of one datagram: its full length (MSG_TRUNC: may exceed size), or -errno (-EAGAIN when empty).
   */
  long Receive(uint8_t* buffer, size_t size);
  /** Discards everything queued; returns how many datagrams were dropped. */
  int Drain();
  /** Waits until readable, timeout or a signal (EINTR); true when readable. Callers loop to their own deadline. */
  bool WaitReadable(int timeoutMs) const;

  int fd() const { return fd_; }
  bool IsOpen() const { return fd_ >= 0; }
  void Close();

 private:
  int fd_ = -1;
  uint32_t nextSeq_ = 1;
};

}  // namespace cntop
