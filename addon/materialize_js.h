// The JS half of batch conversion, compiled once per environment with napi_run_script. C++ packs each
// event into 9 doubles (kind, pid, tgid, cpu, timeMs, f1..f4) plus a side array of strings; object
// literals built here are ~10x cheaper than setting properties one N-API call at a time.
// Field meaning by kind (indexes into `strings` are -1 for null):
//   fork, coredump: f1 parentPid, f2 parentTgid      exit: f1 exitCode, f2 exitSignal, f3/f4 parent
//   exec: f1 comm index, f2 cmdline index            comm: f1 comm index
//   uid/gid: f1 real id, f2 effective id             ptrace: f1 tracerPid, f2 tracerTgid
// Kind numbers follow cntop::EventKind; property order matches the ProcEvent types.
#pragma once

namespace cntop {

constexpr int kPackedFields = 9;

constexpr const char* kMaterializeSource = R"JS((function () {
  'use strict';
  const at = (strings, index) => (index < 0 ? null : strings[index]);
  return function materialize(nums, count, strings) {
    const events = new Array(count);
    for (let i = 0, o = 0; i < count; i++, o += 9) {
      const pid = nums[o + 1], tgid = nums[o + 2], cpu = nums[o + 3], timeMs = nums[o + 4];
      const f1 = nums[o + 5], f2 = nums[o + 6];
      switch (nums[o]) {
        case 0: events[i] = { kind: 'fork', pid, tgid, cpu, timeMs, parentPid: f1, parentTgid: f2 }; break;
        case 1: events[i] = { kind: 'exec', pid, tgid, cpu, timeMs, comm: at(strings, f1), cmdline: at(strings, f2) }; break;
        case 2: events[i] = { kind: 'exit', pid, tgid, cpu, timeMs, exitCode: f1, exitSignal: f2, parentPid: nums[o + 7], parentTgid: nums[o + 8] }; break;
        case 3: events[i] = { kind: 'comm', pid, tgid, cpu, timeMs, comm: at(strings, f1) }; break;
        case 4: events[i] = { kind: 'uid', pid, tgid, cpu, timeMs, ruid: f1, euid: f2 }; break;
        case 5: events[i] = { kind: 'gid', pid, tgid, cpu, timeMs, rgid: f1, egid: f2 }; break;
        case 6: events[i] = { kind: 'sid', pid, tgid, cpu, timeMs }; break;
        case 7: events[i] = { kind: 'ptrace', pid, tgid, cpu, timeMs, tracerPid: f1, tracerTgid: f2 }; break;
        case 8: events[i] = { kind: 'coredump', pid, tgid, cpu, timeMs, parentPid: f1, parentTgid: f2 }; break;
        default: throw new Error('cntop addon: unknown packed event kind ' + nums[o]);
      }
    }
    return events;
  };
})())JS";

}  // namespace cntop
