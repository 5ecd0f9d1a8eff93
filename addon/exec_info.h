// Reads what an exec event does not carry: /proc/<pid>/comm and /proc/<pid>/cmdline, on the reader
// thread right after the event. A process that is already gone yields nullopt: a normal outcome.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cntop {

struct ExecInfo {
  std::optional<std::string> comm;
  std::optional<std::vector<std::string>> cmdline;
};

ExecInfo ReadExecInfo(int pid);

/** Splits a raw cmdline on NUL; the trailing NUL does not make an empty last argument. */
std::vector<std::string> SplitCmdline(const std::string& raw);

}  // namespace cntop
