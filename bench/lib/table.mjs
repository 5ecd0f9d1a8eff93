// The one table `npm run bench` prints: each row is a measured figure for cntop, the peer's figure from
// the same run when there is one, their ratio, the target and whether it is met.

/**
 * A row: { bench, metric, unit, cntop, peer, peerName, target, pass, note }.
 * cntop/peer are numbers or null (not measured; note says why). pass is true/false/null (no verdict).
 */
export function row(fields) {
  return { cntop: null, peer: null, peerName: '', target: '', pass: null, note: '', unit: '', ...fields };
}

function fmt(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1000) return unit ? `${value} ${unit}` : String(value);
  const text =
    abs >= 1000
      ? Math.round(value).toLocaleString('en-US')
      : abs >= 10
        ? value.toFixed(1)
        : value.toFixed(abs >= 1 ? 2 : 3);
  return unit ? `${text} ${unit}` : text;
}

function ratio(r) {
  if (typeof r.cntop !== 'number' || typeof r.peer !== 'number' || r.peer === 0) return '-';
  return `${(r.cntop / r.peer).toFixed(2)}x`;
}

const verdict = (pass) => (pass === true ? 'PASS' : pass === false ? 'FAIL' : '-');

/** Renders rows as a plain-text table (also valid Markdown when markdown is true). */
export function renderTable(rows, { markdown = false } = {}) {
  const header = ['benchmark', 'metric', 'cntop', 'peer', 'cntop/peer', 'target', 'result'];
  const cells = rows.map((r) => [
    r.bench,
    r.metric,
    fmt(r.cntop, r.unit),
    r.peer === null ? '-' : `${fmt(r.peer, r.unit)} (${r.peerName})`,
    ratio(r),
    r.target,
    verdict(r.pass),
  ]);
  if (markdown) {
    const line = (c) => `| ${c.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The notes under the table: one line per row that has one. */
export function renderNotes(rows) {
  return rows.filter((r) => r.note).map((r) => `- ${r.bench} / ${r.metric}: ${r.note}`);
}
