// Verdicts and the printed table of a listener audit: per sender pid, its LISTEN/IGNORE acks by purpose,
// where it came from (test file or command line) and whether it left the kernel's counter as it found it.
import { existsSync } from 'node:fs';

/** LISTENs a sender still owes IGNOREs for (the repair's kept measure LISTENs are not owed). */
export function owedOf(record) {
  let owed = 0;
  for (const [name, pair] of Object.entries(record.pairs)) {
    if (name === 'health-measure' || name === 'audit') continue;
    owed += pair.listen - pair.ignore;
  }
  return owed - (record.ops.compensated ?? 0);
}

/**
 * ours: a sender whose ancestry holds rootPid (null: everyone counts as ours).
 * 'leak'              LISTENs without IGNOREs from a process that is gone (+1 each, for ever)
 * 'ignore-no-listen'  IGNORE acks without LISTEN acks while nobody drained the counter
 * 'still-running'     owes IGNOREs and is alive at the end: a stray process
 * 'drained'           overlapped a window in which a test drove the counter below 1 (acks go to nobody
 *                     then); not judged here, the draining test checks the counter exactly itself
 * 'ok'
 */
export function judge(record, rootPid) {
  const ours = rootPid === null || record.chain.some((link) => link.pid === rootPid);
  const owed = owedOf(record);
  const kept = record.pairs['health-measure']
    ? record.pairs['health-measure'].listen - record.pairs['health-measure'].ignore
    : 0;
  let verdict = 'ok';
  // A pid that drove the counter below 1 may have closed the gate unseen (e.g. an IGNORE that reached 0):
  // its acks are never complete, so it is never judged here; the draining test checks the counter itself.
  if (owed !== 0 && (record.overlapped || record.lowered > 0)) verdict = 'drained';
  else if (owed > 0) verdict = existsSync(`/proc/${record.pid}`) && record.pid > 1 ? 'still-running' : 'leak';
  else if (owed < 0) verdict = 'ignore-no-listen';
  return { ours, owed, kept, verdict };
}

function pairText(record) {
  const parts = Object.entries(record.pairs).map(([name, p]) => `${name} ${p.listen}L/${p.ignore}I`);
  const ops = Object.entries(record.ops).map(([op, n]) => `${op} ${n}`);
  if (record.errors > 0) ops.push(`err-acks ${record.errors}`);
  return [...parts, ...ops].join(', ');
}

function whoText(record, file) {
  const self =
    record.chain[0]?.command ??
    (record.pid === 0 ? '(no pid in its cookie: e.g. forkstat, ack 1)' : '(gone before lookup)');
  return file === null ? self : `${file} :: ${self}`;
}

/**
 * fileOf(record): the test file a sender belongs to, or null. Returns the text and the records that
 * break the rule (ours only): leaks, stray processes and IGNOREs without LISTEN.
 */
export function formatAudit(audit, { rootPid, fileOf, selfPid = process.pid }) {
  const lines = [];
  const bad = [];
  let listens = 0;
  let ignores = 0;
  for (const record of [...audit.records.values()].sort((a, b) => a.firstMs - b.firstMs)) {
    if (record.pid === selfPid && Object.keys(record.pairs).every((name) => name === 'audit')) continue;
    const verdict = judge(record, rootPid);
    for (const pair of Object.values(record.pairs)) {
      listens += pair.listen;
      ignores += pair.ignore;
    }
    const file = fileOf(record);
    const flag =
      verdict.verdict === 'ok'
        ? ''
        : ` [${verdict.verdict}${verdict.verdict === 'leak' || verdict.verdict === 'still-running' ? ` +${verdict.owed}` : ''}]`;
    const kept = verdict.kept > 0 ? ` (repair kept ${verdict.kept} on purpose)` : '';
    lines.push(
      `${verdict.ours ? ' ' : '~'} pid ${record.pid}: ${pairText(record)}${kept}${flag}  ${whoText(record, file)}`,
    );
    if (verdict.ours && ['leak', 'still-running', 'ignore-no-listen'].includes(verdict.verdict)) {
      bad.push({
        pid: record.pid,
        file,
        verdict: verdict.verdict,
        owed: verdict.owed,
        who: whoText(record, file),
        chain: record.chain,
      });
    }
  }
  const windows = audit.drainWindows.map(
    (w) => `pid ${w.pid} ${w.endMs === null ? 'never raised back' : `${w.endMs - w.startMs} ms`}`,
  );
  const header =
    `listener audit: ${audit.records.size} senders, ${listens} LISTEN and ${ignores} IGNORE acks; ` +
    `drain windows (acks go to nobody): ${windows.length === 0 ? 'none' : windows.join('; ')}; '~' = outside this run`;
  return { text: [header, ...lines].join('\n'), bad, openDrain: audit.drainWindows.some((w) => w.endMs === null) };
}
