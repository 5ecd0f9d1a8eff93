// Taskstats' status as core sees it, with the kind of reason when it is off (health picks the fix
// from the kind; the words stay in taskstats-mapping.ts).
import type { AccountingOffReason, AccountingStatus } from '../core/event-source.js';
import type { NativeTaskstatsFailure, NativeTaskstatsStart, NativeTaskstatsStats } from './native-types.js';
import { accountingStatusOf } from './taskstats-mapping.js';

export function taskstatsOffReason(failure: NativeTaskstatsFailure): AccountingOffReason {
  if (failure.stage === 'family' && failure.code === 'ENOENT') return 'no-kernel-support';
  if (failure.code === 'EPERM' || failure.code === 'EACCES') return 'permission';
  if (failure.code === 'ECONNREFUSED') return 'network-namespace';
  // add_del_listener() answers EINVAL outside the initial user and PID namespaces (and for a mask
  // beyond the possible CPUs, which cntop never sends: it registers /sys/.../cpu/possible).
  if (failure.stage === 'register' && failure.code === 'EINVAL') return 'namespace';
  return 'failed';
}

export function accountingStatusWithReason(
  start: NativeTaskstatsStart | null,
  stats: NativeTaskstatsStats | null,
): AccountingStatus {
  const status = accountingStatusOf(start, stats);
  if (start === null) return { ...status, reason: 'not-asked' };
  return start.ok ? status : { ...status, reason: taskstatsOffReason(start) };
}
