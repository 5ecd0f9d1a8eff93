// System calls on the connector socket (see netlink_socket.h).
#include "netlink_socket.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cntop {

static_assert(NetlinkSocket::kConnectorProtocol == NETLINK_CONNECTOR, "NETLINK_CONNECTOR");

SysStatus NetlinkSocket::Open(int protocol) {
  Close();
  fd_ = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd_ < 0) return SysStatus::FromErrno("socket");
  return SysStatus::Ok();
}

SysStatus NetlinkSocket::Bind() {
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = CN_IDX_PROC;
  address.nl_pid = 0;  // let the kernel choose a unique port id
  if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) return SysStatus::FromErrno("bind");
  return SysStatus::Ok();
}

ReceiveBuffer NetlinkSocket::SetReceiveBuffer(int bytes) {
  ReceiveBuffer result;
  // SO_RCVBUFFORCE needs CAP_NET_ADMIN; without it SO_RCVBUF is silently capped at rmem_max.
  result.forced = setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) == 0;
  if (!result.forced) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  int granted = 0;
  socklen_t length = sizeof granted;
  if (getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &granted, &length) == 0) result.bytes = granted;
  return result;
}

SysStatus NetlinkSocket::AttachFilter(const std::vector<sock_filter>& program) {
  sock_fprog prog{};
  prog.len = static_cast<unsigned short>(program.size());
  prog.filter = const_cast<sock_filter*>(program.data());
  if (setsockopt(fd_, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0) {
    return SysStatus::FromErrno("setsockopt(SO_ATTACH_FILTER)");
  }
  return SysStatus::Ok();
}

SysStatus NetlinkSocket::SendOp(uint32_t op, uint32_t ack) {
  // nlmsghdr + cn_msg + the 4-byte op, laid out in one aligned buffer.
  alignas(NLMSG_ALIGNTO) uint8_t buffer[NLMSG_SPACE(sizeof(cn_msg) + sizeof(uint32_t))] = {};
  auto* header = reinterpret_cast<nlmsghdr*>(buffer);
  header->nlmsg_len = NLMSG_LENGTH(sizeof(cn_msg) + sizeof(uint32_t));
  header->nlmsg_type = NLMSG_DONE;
  header->nlmsg_seq = nextSeq_;
  auto* msg = reinterpret_cast<cn_msg*>(NLMSG_DATA(header));
  msg->id.idx = CN_IDX_PROC;
  msg->id.val = CN_VAL_PROC;
  msg->seq = nextSeq_++;
  msg->ack = ack;
  msg->len = sizeof(uint32_t);
  std::memcpy(msg->data, &op, sizeof op);
  return SendToKernel(buffer, header->nlmsg_len);
}

SysStatus NetlinkSocket::SendToKernel(const uint8_t* bytes, size_t size) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;  // nl_pid 0: the kernel
  ssize_t sent;
  do {
    sent = sendto(fd_, bytes, size, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return SysStatus::FromErrno("send");
  return SysStatus::Ok();
}

long NetlinkSocket::Receive(uint8_t* buffer, size_t size) {
  ssize_t n;
  do {
    n = recv(fd_, buffer, size, MSG_DONTWAIT | MSG_TRUNC);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : static_cast<long>(n);
}

int NetlinkSocket::Drain() {
  alignas(8) uint8_t scratch[8192];
  int dropped = 0;
  for (;;) {
    const long n = Receive(scratch, sizeof scratch);
    if (n >= 0) {
      dropped++;
    } else if (n != -ENOBUFS) {
      return dropped;  // EAGAIN: empty
    }
  }
}

// One poll(), no retry on EINTR: retrying with the same timeout never ends while a signal arrives more
// often than the timeout (node --cpu-prof sends SIGPROF every millisecond), and this runs on the JS
// thread, so the process then hung and could not even run its SIGTERM handler. Every caller loops
// against its own deadline, so returning early just costs one more turn of that loop.
bool NetlinkSocket::WaitReadable(int timeoutMs) const {
  pollfd entry{fd_, POLLIN, 0};
  return poll(&entry, 1, timeoutMs) > 0;
}

void NetlinkSocket::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

}  // namespace cntop
