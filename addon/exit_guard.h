// The last line of defence for "one IGNORE per LISTEN": every subscription that sent LISTEN is
// registered here until it is closed, and an atexit() handler sends the IGNOREs still owed when the
// process exits without closing (JS forgot close(), process.exit() skipped cleanup).
#pragma once

namespace cntop {

/** Anything that owes the kernel an IGNORE. SendIgnoreOnce must be safe to call from any thread. */
class IgnoreOwer {
 public:
  virtual ~IgnoreOwer() = default;
  virtual bool SendIgnoreOnce() = 0;
};

void RegisterIgnoreOwer(IgnoreOwer* ower);
/** Must be called before the ower's socket is closed; waits for a running exit handler. */
void UnregisterIgnoreOwer(IgnoreOwer* ower);

}  // namespace cntop
