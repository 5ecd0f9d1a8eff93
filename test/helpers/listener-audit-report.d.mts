// Types for listener-audit-report.mjs.
import type { AuditRecord, ListenerAudit } from './listener-audit.mjs';

export type Verdict = 'ok' | 'leak' | 'ignore-no-listen' | 'still-running' | 'drained';
export interface BadSender {
  readonly pid: number;
  readonly file: string | null;
  readonly verdict: Verdict;
  readonly owed: number;
  readonly who: string;
}
export function owedOf(record: AuditRecord): number;
export function judge(
  record: AuditRecord,
  rootPid: number | null,
): { ours: boolean; owed: number; kept: number; verdict: Verdict };
export function formatAudit(
  audit: ListenerAudit,
  options: { rootPid: number | null; fileOf: (record: AuditRecord) => string | null; selfPid?: number },
): { text: string; bad: BadSender[]; openDrain: boolean };
