// Types for listener-audit.mjs (plain JS so that it also runs alone as a watcher: `node … watch`).
export interface AuditRecord {
  readonly pid: number;
  /** The sender, its parent, … as seen at its first ack (empty once it was gone). */
  readonly chain: readonly { readonly pid: number; readonly command: string }[];
  readonly firstMs: number;
  readonly lastMs: number;
  readonly pairs: Readonly<Record<string, { readonly listen: number; readonly ignore: number }>>;
  readonly ops: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly overlapped: boolean;
  readonly lowered: number;
  readonly raised: number;
}
export interface ListenerAudit {
  readonly records: ReadonlyMap<number, AuditRecord>;
  readonly drainWindows: readonly { readonly pid: number; readonly startMs: number; readonly endMs: number | null }[];
  poll(): void;
  close(): void;
}
export const ACK_PURPOSES: Readonly<Record<number, { readonly pair: string | null; readonly op: string }>>;
export function readProcess(pid: number): { ppid: number; command: string } | null;
export function ancestry(pid: number): { pid: number; command: string }[];
export function openAudit(options?: {
  ackWaitMs?: number;
  nowMs?: () => number;
}): { ok: true; audit: ListenerAudit } | { ok: false; reason: string };
/** Takes back the +1 a dead process's LISTEN left (invalid op + IGNORE naming the leaker); true when sent. */
export function compensateLeak(
  addon: import('../../src/native/native-types.js').NativeAddon,
  leakerPid: number,
  mode?: 'ignore' | 'invalid-ignore',
): boolean;
