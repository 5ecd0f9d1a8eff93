// Taskstats' own row from facts: on, off and why, silent when the canary's exit brought no record,
// lossy after overruns, and never a change to the connector's verdict.
import { describe, expect, it } from 'vitest';
import { describeConnectorError } from '../../../src/core/describe/connector-error.js';
import { deriveHealth } from '../../../src/core/health/derive-health.js';
import { DEFAULT_WINDOWS, type CanaryOutcome, type HealthFacts } from '../../../src/core/health/health-facts.js';
import type { AccountingStatus } from '../../../src/core/event-source.js';
import { HEALTHY_FACTS } from '../../helpers/health-facts.js';

const ON: AccountingStatus = { state: 'on', cause: null, records: 0, overruns: 0, malformed: 0 };
const CANARY: CanaryOutcome = { ok: true, latencyMs: 4, atMs: 99_000, detail: 'fork, exec and exit of pid 42 arrived' };

const healthy: HealthFacts = {
  ...HEALTHY_FACTS,
  kernel: { release: '6.18.0', semantics: 'per-socket', semanticsEvidence: 'behaviour' },
  canary: CANARY,
  taskstats: { accounting: ON, lastRecordMs: null, lastLossMs: null },
};

function withTaskstats(
  accounting: Partial<AccountingStatus>,
  canaryRecord: CanaryOutcome['record'],
  more: Partial<HealthFacts['taskstats']> = {},
): HealthFacts {
  return {
    ...healthy,
    canary: canaryRecord === undefined ? CANARY : { ...CANARY, record: canaryRecord },
    taskstats: { accounting: { ...ON, ...accounting }, lastRecordMs: null, lastLossMs: null, ...more },
  };
}

const arrived = { arrived: true, latencyMs: 3.5, detail: 'the exit of pid 42 produced its record' };
const missing = { arrived: false, latencyMs: null, detail: 'no record for pid 42 1000 ms after its exit event' };

describe('taskstats health', () => {
  it('is ok when the canary exit produced its record, and the connector stays healthy', () => {
    const report = deriveHealth(withTaskstats({ records: 3 }, arrived));
    expect(report.status).toBe('healthy');
    expect(report.taskstats).toEqual({ status: 'ok', records: 3, lost: 0, cause: null, fix: null });
    expect(report.evidence).toContain(
      "taskstats: registered, 3 record(s), 0 overrun(s), the canary's record arrived in 3.5 ms",
    );
  });

  it('is silent when the registration was acked but the canary exit brought no record; the connector verdict is untouched', () => {
    const report = deriveHealth(withTaskstats({ records: 0 }, missing));
    expect(report).toMatchObject({ status: 'healthy', cause: null, fix: null });
    expect(report.taskstats.status).toBe('silent');
    expect(report.taskstats.cause).toMatch(
      /accepted the taskstats registration, but the canary's exit produced no record \(no record for pid 42 .*\); no record has arrived at all/,
    );
    expect(report.taskstats.fix).toMatch(/as root in the host's network namespace/);
  });

  it('is silent even if records came before the canary, and ok again once records come after it', () => {
    expect(deriveHealth(withTaskstats({ records: 5 }, missing, { lastRecordMs: 98_000 })).taskstats).toMatchObject({
      status: 'silent',
      cause: expect.stringMatching(/5 record\(s\) arrived before it$/) as unknown,
    });
    expect(deriveHealth(withTaskstats({ records: 9 }, missing, { lastRecordMs: 99_500 })).taskstats.status).toBe('ok');
  });

  it('is ok from records alone when no canary checked, and unconfirmed with neither', () => {
    expect(deriveHealth(withTaskstats({ records: 7 }, null)).taskstats.status).toBe('ok');
    const unconfirmed = deriveHealth({ ...withTaskstats({ records: 0 }, null), canary: null }).taskstats;
    expect(unconfirmed).toMatchObject({ status: 'unconfirmed', records: 0 });
    expect(unconfirmed.cause).toMatch(/no record has arrived yet/);
  });

  it('is lossy after recent overruns, and ok once they are older than the trouble window', () => {
    const lossy = deriveHealth(withTaskstats({ records: 100, overruns: 2 }, arrived, { lastLossMs: 99_000 })).taskstats;
    expect(lossy).toMatchObject({ status: 'lossy', records: 100, lost: 2 });
    expect(lossy.fix).toMatch(/rmem_max/);
    const old = deriveHealth({
      ...withTaskstats({ records: 100, overruns: 2 }, arrived, { lastLossMs: 1000 }),
      nowMs: 1000 + DEFAULT_WINDOWS.troubleMs + 1,
    }).taskstats;
    expect(old).toMatchObject({ status: 'ok', lost: 2 });
  });

  it.each([
    ['no-kernel-support', 'this kernel has no taskstats (CONFIG_TASKSTATS)', /CONFIG_TASKSTATS/],
    ['permission', 'the kernel refused taskstats (send: EPERM)', /as root/],
    [
      'network-namespace',
      "cntop is not in the host's network namespace, where taskstats lives",
      /host's network namespace/,
    ],
    [
      'namespace',
      'taskstats could not start (register, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK: EINVAL)',
      /initial PID and user namespaces/,
    ],
  ] as const)(
    'is off with its own cause and fix when it cannot start (%s), and the connector stays healthy',
    (reason, cause, fix) => {
      const report = deriveHealth(withTaskstats({ state: 'off', cause, reason }, undefined));
      expect(report).toMatchObject({ status: 'healthy', cause: null, fix: null });
      expect(report.taskstats).toMatchObject({ status: 'off', cause, records: 0, lost: 0 });
      expect(report.taskstats.fix).toMatch(fix);
      expect(report.evidence).toContain(`taskstats: off (${cause})`);
    },
  );

  it('is off, not started, when the connector cannot be used, with the connector fix; the polling verdict is as before', () => {
    const reason = describeConnectorError({ kind: 'network-namespace', syscall: 'send', errno: 111 });
    const facts: HealthFacts = {
      ...healthy,
      mode: 'polling',
      pollingReason: reason,
      ack: null,
      canary: null,
      taskstats: {
        accounting: { ...ON, state: 'off', cause: 'not asked for', reason: 'not-asked' },
        lastRecordMs: null,
        lastLossMs: null,
      },
    };
    const report = deriveHealth(facts);
    expect(report.status).toBe('degraded');
    expect(report.taskstats.status).toBe('off');
    expect(report.taskstats.cause).toBe(
      `not started: it runs beside the process connector, which is not in use (${reason})`,
    );
    expect(report.taskstats.fix).toBe(report.fix);
    expect(report.taskstats.fix).toMatch(/^run cntop in the host's network namespace/);
  });
});

describe('describeConnectorError (one home for the engine and the doctor)', () => {
  it('names the failure with the words the doctor picks its fix from', () => {
    expect(describeConnectorError({ kind: 'permission-denied', syscall: 'bind', errno: 1 })).toMatch(
      /^bind was refused \(errno 1, EPERM\/EACCES\): permission denied; .*root/,
    );
    expect(describeConnectorError({ kind: 'network-namespace', syscall: 'send', errno: 111 })).toMatch(
      /^send was refused \(ECONNREFUSED\): cntop is not in the host's network namespace/,
    );
    expect(describeConnectorError({ kind: 'unsupported' })).toMatch(/no process connector \(EPROTONOSUPPORT/);
    expect(describeConnectorError({ kind: 'addon-missing', detail: 'ENOENT' })).toMatch(
      /addon is not built or cannot load \(ENOENT\); run npm install/,
    );
    expect(describeConnectorError({ kind: 'io', syscall: 'recv', errno: 5, code: 'EIO' })).toBe(
      'the connector failed (recv: EIO, errno 5)',
    );
    expect(describeConnectorError({ kind: 'disabled', reason: 'asked' })).toBe('asked');
  });
});
