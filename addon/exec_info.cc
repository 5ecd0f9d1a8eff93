// /proc reads for exec events (see exec_info.h). Bytes are kept raw; JS conversion decodes them
// lossily, because a process can put any bytes in its name and arguments.
#include "exec_info.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace cntop {
namespace {

// Long argument lists are cut here: enough for display, bounded cost per exec during a storm.
constexpr size_t kMaxCmdlineBytes = 64 * 1024;

std::optional<std::string> ReadSmallFile(const std::string& path, size_t limit) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  char chunk[4096];
  while (data.size() < limit) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {  // ESRCH and friends: the process went away between open and read
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    data.append(chunk, static_cast<size_t>(n));
    // procfs fills the buffer unless it reached the end: skip the read that would only say EOF
    // (one syscall less per file, two per exec, which counts in an exec storm).
    if (static_cast<size_t>(n) < sizeof chunk) break;
  }
  close(fd);
  if (data.size() > limit) data.resize(limit);
  return data;
}

}  // namespace

std::vector<std::string> SplitCmdline(const std::string& raw) {
  std::vector<std::string> args;
  size_t start = 0;
  while (start < raw.size()) {
    size_t end = raw.find('\0', start);
    if (end == std::string::npos) end = raw.size();
    args.emplace_back(raw, start, end - start);
    start = end + 1;
  }
  return args;
}

ExecInfo ReadExecInfo(int pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/";
  ExecInfo info;
  std::optional<std::string> comm = ReadSmallFile(dir + "comm", 64);
  if (comm) {
    if (!comm->empty() && comm->back() == '\n') comm->pop_back();
    info.comm = std::move(*comm);
  }
  std::optional<std::string> cmdline = ReadSmallFile(dir + "cmdline", kMaxCmdlineBytes);
  // An empty cmdline means no user memory left (a zombie): the arguments are gone.
  if (cmdline && !cmdline->empty()) info.cmdline = SplitCmdline(*cmdline);
  return info;
}

}  // namespace cntop
