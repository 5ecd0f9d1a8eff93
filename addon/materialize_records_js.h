// The JS half of taskstats record conversion, compiled once per environment like materialize_js.h
// (a storm brings ~11,000 records/s; one N-API call per property would cost more than the rest).
// C++ packs each record into kRecordPackedFields doubles:
//   [0] kind (0 pid, 1 tgid)  [1] id (the PID or TGID attribute)  [2] struct version
//   [3..22] the cntop::TsField values in enum order, NaN when the record was too short to hold one
//   [23] index of comm in `strings`, -1 when absent
// Property order matches NativeTaskstatsRecord in src/native/native-types.ts.
#pragma once

#include "taskstats_decoder.h"

namespace cntop {

constexpr int kRecordPackedFields = 4 + static_cast<int>(kTsFieldCount);

constexpr const char* kMaterializeRecordsSource = R"JS((function () {
  'use strict';
  const v = (x) => (x !== x ? null : x);  // NaN: the field is not in this record
  return function materializeRecords(nums, count, strings) {
    const records = new Array(count);
    for (let i = 0, o = 0; i < count; i++, o += 24) {
      const isPid = nums[o] === 0, id = nums[o + 1];
      records[i] = {
        kind: isPid ? 'pid' : 'tgid',
        pid: isPid ? id : null,
        tgid: isPid ? v(nums[o + 12]) : id,
        version: nums[o + 2],
        comm: nums[o + 23] < 0 ? null : strings[nums[o + 23]],
        exitStatus: v(nums[o + 3]),
        cpuRunNs: v(nums[o + 4]),
        utimeUs: v(nums[o + 5]),
        stimeUs: v(nums[o + 6]),
        btime: v(nums[o + 7]),
        etimeUs: v(nums[o + 8]),
        uid: v(nums[o + 9]),
        gid: v(nums[o + 10]),
        ppid: v(nums[o + 11]),
        minflt: v(nums[o + 13]),
        majflt: v(nums[o + 14]),
        hiwaterRssKiB: v(nums[o + 15]),
        hiwaterVmKiB: v(nums[o + 16]),
        readChar: v(nums[o + 17]),
        writeChar: v(nums[o + 18]),
        readBytes: v(nums[o + 19]),
        writeBytes: v(nums[o + 20]),
        nvcsw: v(nums[o + 21]),
        nivcsw: v(nums[o + 22]),
      };
    }
    return records;
  };
})())JS";

static_assert(kRecordPackedFields == 24, "materializeRecords strides 24 doubles per record");
static_assert(static_cast<int>(TsField::kExitStatus) == 0 && static_cast<int>(TsField::kTgid) == 9 &&
                  static_cast<int>(TsField::kNivcsw) == 19,
              "materializeRecords reads TsField values at 3 + their enum index");

}  // namespace cntop
