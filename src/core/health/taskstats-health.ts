// Taskstats' own row in the health report, as a pure function of facts. It never changes the
// connector's verdict: taskstats is optional, and cntop works without it (exits then carry no name,
// CPU or memory). An acknowledged registration proves nothing (TASKSTATS.md: an unprivileged listener
// or one in another network namespace is acked and sent nothing), so flow is judged by records: the
// canary's own exit must produce one, and records that keep arriving prove it too.
import type { AccountingOffReason } from '../event-source.js';
import { pollingFix } from './health-causes.js';
import type { HealthFacts, HealthWindows } from './health-facts.js';
import type { TaskstatsReport } from './health-types.js';

const SILENT_FIX =
  "run cntop as root in the host's network namespace: elsewhere the kernel accepts a taskstats listener and sends it nothing; meanwhile exits carry no name, CPU or memory";
const LOSS_FIX = 'run as root so the receive buffer can be forced larger, or raise net.core.rmem_max';

const OFF_FIX: Readonly<Record<AccountingOffReason, string | null>> = {
  'not-asked': null,
  'no-kernel-support':
    'use a kernel built with CONFIG_TASKSTATS (and CONFIG_TASK_XACCT for I/O and memory); everything else works without it',
  permission: 'run cntop as root (or with CAP_NET_ADMIN); everything else works without taskstats',
  'network-namespace':
    "run cntop in the host's network namespace (not under `unshare -n` or `ip netns exec`); everything else works without taskstats",
  namespace:
    'run cntop in the initial PID and user namespaces (on the host, or a container with --pid=host and no user namespace)',
  failed: 'everything else works without taskstats; run `cntop doctor` again, and report the error if it stays',
};

export function deriveTaskstatsHealth(facts: HealthFacts, windows: HealthWindows): TaskstatsReport {
  const { accounting, lastRecordMs, lastLossMs } = facts.taskstats;
  const counts = { records: accounting.records, lost: accounting.overruns };
  if (facts.mode === 'polling') {
    // Taskstats starts beside the connector's subscription: without the connector it never starts.
    const reason = facts.pollingReason ?? 'the connector is not in use';
    return {
      status: 'off',
      ...counts,
      cause: `not started: it runs beside the process connector, which is not in use (${reason})`,
      fix: pollingFix(facts, reason),
    };
  }
  if (accounting.state === 'off') {
    return {
      status: 'off',
      ...counts,
      cause: accounting.cause ?? 'not running',
      fix: OFF_FIX[accounting.reason ?? 'failed'],
    };
  }
  const check = facts.canary?.record ?? null;
  const recordsSinceCheck =
    check !== null && facts.canary !== null && lastRecordMs !== null && lastRecordMs > facts.canary.atMs;
  if (check !== null && !check.arrived && !recordsSinceCheck) {
    const none =
      accounting.records === 0
        ? '; no record has arrived at all'
        : `; ${accounting.records} record(s) arrived before it`;
    return {
      status: 'silent',
      ...counts,
      cause: `the kernel accepted the taskstats registration, but the canary's exit produced no record (${check.detail})${none}`,
      fix: SILENT_FIX,
    };
  }
  const lossRecent = accounting.overruns > 0 && (lastLossMs === null || facts.nowMs - lastLossMs <= windows.troubleMs);
  if (lossRecent) {
    return {
      status: 'lossy',
      ...counts,
      cause: `${accounting.overruns} overrun(s) on the taskstats socket: some exits carry no name, CPU or memory`,
      fix: LOSS_FIX,
    };
  }
  if (check?.arrived === true || accounting.records > 0) return { status: 'ok', ...counts, cause: null, fix: null };
  return {
    status: 'unconfirmed',
    ...counts,
    cause: 'registered, but no record has arrived yet and no canary exit has been checked',
    fix: 'the next canary checks it; when the connector itself is not healthy, fix that first',
  };
}

/** One evidence line for the doctor. */
export function taskstatsEvidence(facts: HealthFacts): string {
  const { accounting } = facts.taskstats;
  if (facts.mode === 'polling') return 'taskstats: not started (the connector is not in use)';
  if (accounting.state === 'off') return `taskstats: off (${accounting.cause ?? 'not running'})`;
  const check = facts.canary?.record ?? null;
  const canary =
    check === null
      ? ', no canary exit checked'
      : check.arrived
        ? `, the canary's record arrived${check.latencyMs === null ? '' : ` in ${check.latencyMs.toFixed(1)} ms`}`
        : `, the canary's record did not arrive (${check.detail})`;
  return `taskstats: registered, ${accounting.records} record(s), ${accounting.overruns} overrun(s)${canary}`;
}
