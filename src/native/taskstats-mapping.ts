// The addon's taskstats records and status in core's terms (core/accounting/task-record.ts), and the
// reason taskstats is off in words a user can act on (the doctor and the viewer's panel show it).
import type { TaskRecord } from '../core/accounting/task-record.js';
import type { AccountingStatus } from '../core/event-source.js';
import type {
  NativeTaskstatsFailure,
  NativeTaskstatsRecord,
  NativeTaskstatsStart,
  NativeTaskstatsStats,
} from './native-types.js';

export function toTaskRecord(native: NativeTaskstatsRecord): TaskRecord {
  return {
    scope: native.kind === 'pid' ? 'task' : 'group',
    id: native.kind === 'pid' ? native.pid : native.tgid,
    tgid: native.tgid,
    comm: native.comm ?? '',
    exitStatus: native.exitStatus ?? 0,
    runMs: (native.cpuRunNs ?? 0) / 1e6,
    userMs: (native.utimeUs ?? 0) / 1000,
    systemMs: (native.stimeUs ?? 0) / 1000,
    peakRssKiB: native.hiwaterRssKiB ?? 0,
    readBytes: native.readBytes ?? 0,
    writeBytes: native.writeBytes ?? 0,
    minorFaults: native.minflt ?? 0,
    majorFaults: native.majflt ?? 0,
    voluntarySwitches: native.nvcsw ?? 0,
    involuntarySwitches: native.nivcsw ?? 0,
  };
}

/** Why the taskstats listener could not start, for a person. */
export function describeTaskstatsFailure(failure: NativeTaskstatsFailure): string {
  if (failure.stage === 'family' && failure.code === 'ENOENT')
    return 'this kernel has no taskstats (CONFIG_TASKSTATS): exits carry no name, CPU or memory';
  if (failure.code === 'EPERM' || failure.code === 'EACCES')
    return `the kernel refused taskstats (${failure.syscall}: ${failure.code}); run cntop as root`;
  if (failure.code === 'ECONNREFUSED') return "cntop is not in the host's network namespace, where taskstats lives";
  return `taskstats could not start (${failure.stage}, ${failure.syscall}: ${failure.code})`;
}

export function accountingStatusOf(
  start: NativeTaskstatsStart | null,
  stats: NativeTaskstatsStats | null,
): AccountingStatus {
  const counts = { records: stats?.records ?? 0, overruns: stats?.overruns ?? 0, malformed: stats?.malformed ?? 0 };
  if (start === null) return { state: 'off', cause: 'not asked for', ...counts };
  if (!start.ok) return { state: 'off', cause: describeTaskstatsFailure(start), ...counts };
  return { state: 'on', cause: null, ...counts };
}
