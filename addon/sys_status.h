// SysStatus: the outcome of one system call as a value (syscall name + errno), so that failures
// cross into JS as data the TypeScript side can classify, never as exceptions or strings.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

namespace cntop {

struct SysStatus {
  bool ok = true;
  const char* syscall = "";
  int err = 0;

  static SysStatus Ok() { return SysStatus{}; }
  /** Captures errno right after a failed call. */
  static SysStatus FromErrno(const char* syscall) { return SysStatus{false, syscall, errno}; }
  static SysStatus Failed(const char* syscall, int err) { return SysStatus{false, syscall, err}; }
};

/** "EPERM" for EPERM; glibc >= 2.32 knows every name, older ones fall back to "E<number>". */
inline std::string ErrnoName(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* name = strerrorname_np(err);
  if (name != nullptr) return name;
#endif
  return "E" + std::to_string(err);
}

}  // namespace cntop
