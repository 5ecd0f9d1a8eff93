// `cntop doctor [--json] [--repair]`: examine the connector once, print the verdict with evidence,
// cause and fix (text or JSON), and exit 0 healthy, 1 degraded, 2 blind.
import type { HealthReport, HealthStatus, TaskstatsStatus } from '../core/health/health-types.js';
import { assertNever } from '../core/types.js';
import { sanitizeForTerminal } from '../core/text/sanitize.js';
import { DEFAULT_EXAMINATION, examineConnector, type Examination } from '../native/connector-examination.js';

export interface DoctorOptions {
  readonly json: boolean;
  readonly repair: boolean;
  /** False with --no-netlink: the verdict of cntop polling /proc; the connector is left alone. Default true. */
  readonly netlink?: boolean;
}

/** The JSON document `cntop doctor --json` prints (fields named in issue 4). */
export interface DoctorJson {
  readonly status: HealthStatus;
  readonly mode: HealthReport['mode'];
  readonly kernel: HealthReport['kernel'];
  readonly ack: { readonly received: boolean; readonly err: number | null; readonly latencyMs: number | null };
  readonly canary: { readonly ok: boolean | null; readonly latencyMs: number | null };
  readonly deficit: number | null;
  readonly lost: number;
  readonly cause: string | null;
  readonly fix: string | null;
  readonly evidence: readonly string[];
  readonly verdictMs: number;
  readonly counterOps: { readonly listens: number; readonly ignores: number; readonly leaked: number } | null;
  /** Taskstats' own row; it never changes `status` or the exit code. */
  readonly taskstats: {
    readonly status: TaskstatsStatus;
    readonly records: number;
    readonly lost: number;
    readonly cause: string | null;
    readonly fix: string | null;
  };
  readonly repaired?: boolean;
  readonly deficitAfter?: number | null;
}

export function exitCodeFor(status: HealthStatus): number {
  switch (status) {
    case 'healthy':
      return 0;
    case 'degraded':
      return 1;
    case 'blind':
      return 2;
    default:
      return assertNever(status);
  }
}

export function doctorJson(examination: Examination, repairAsked: boolean): DoctorJson {
  const { report } = examination;
  const base: DoctorJson = {
    status: report.status,
    mode: report.mode,
    kernel: report.kernel,
    ack: report.ack,
    canary: { ok: report.canary.ok, latencyMs: report.canary.latencyMs },
    deficit: report.deficit,
    lost: report.lost,
    cause: report.cause,
    fix: report.fix,
    evidence: report.evidence ?? [],
    verdictMs: Math.round(examination.verdictMs * 100) / 100,
    counterOps: examination.counterOps,
    taskstats: report.taskstats,
  };
  if (!repairAsked) return base;
  const repair = examination.facts.repair;
  return { ...base, repaired: repair?.repaired ?? false, deficitAfter: repair?.deficitAfter ?? null };
}

export function doctorText(examination: Examination, repairAsked: boolean): string {
  const json = doctorJson(examination, repairAsked);
  const line = (label: string, value: string): string => `${label.padEnd(10)}${sanitizeForTerminal(value)}`;
  const lines = [
    `cntop doctor: ${json.status.toUpperCase()} (${json.mode})`,
    line('kernel', `${json.kernel.release}, ${json.kernel.semantics}`),
    line('deficit', json.deficit === null ? 'not measured' : `${json.deficit}`),
    '',
    'evidence:',
    ...json.evidence.map((e) => `  - ${sanitizeForTerminal(e)}`),
  ];
  if (json.cause !== null) lines.push('', line('cause', json.cause));
  if (json.fix !== null) lines.push(line('fix', json.fix));
  const t = json.taskstats;
  lines.push('', line('taskstats', `${t.status}, ${t.records} record(s), ${t.lost} lost`));
  if (t.cause !== null) lines.push(line('  cause', t.cause));
  if (t.fix !== null) lines.push(line('  fix', t.fix));
  if (repairAsked) {
    lines.push(
      '',
      line(
        'repair',
        json.repaired === true ? `done; deficit after: ${json.deficitAfter ?? 'unknown'}` : 'nothing repaired',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the doctor; `write` defaults to stdout. Returns the exit code (0 healthy, 1 degraded, 2 blind). */
export async function runDoctor(
  options: DoctorOptions,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<number> {
  const examination = await examineConnector({
    ...DEFAULT_EXAMINATION,
    ...examinationOverrides(),
    repair: options.repair,
    netlink: options.netlink ?? true,
  });
  write(
    options.json
      ? `${JSON.stringify(doctorJson(examination, options.repair))}\n`
      : doctorText(examination, options.repair),
  );
  return exitCodeFor(examination.report.status);
}

/** CNTOP_CANARY_TIMEOUT_MS lets slow machines (emulated guests) widen the canary's bound. */
function examinationOverrides(): { canaryTimeoutMs?: number } {
  const raw = Number(process.env['CNTOP_CANARY_TIMEOUT_MS']);
  return Number.isFinite(raw) && raw > 0 ? { canaryTimeoutMs: raw } : {};
}
