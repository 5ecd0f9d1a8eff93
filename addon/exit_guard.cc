// Registry + atexit handler (see exit_guard.h). The registry is deliberately leaked so that it
// outlives every static destructor that might run around exit().
#include "exit_guard.h"

#include <cstdlib>
#include <mutex>
#include <set>

namespace cntop {
namespace {

struct Registry {
  std::mutex mutex;
  std::set<IgnoreOwer*> owers;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();
  return *registry;
}

void SendOwedIgnores() {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  for (IgnoreOwer* ower : registry.owers) ower->SendIgnoreOnce();
  registry.owers.clear();
}

}  // namespace

void RegisterIgnoreOwer(IgnoreOwer* ower) {
  static std::once_flag installed;
  std::call_once(installed, [] { std::atexit(SendOwedIgnores); });
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.owers.insert(ower);
}

void UnregisterIgnoreOwer(IgnoreOwer* ower) {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.owers.erase(ower);
}

}  // namespace cntop
