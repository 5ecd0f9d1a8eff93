// The bench table: ratios only where both sides were measured, verdicts as PASS/FAIL/-, notes listed.
import { describe, expect, it } from 'vitest';
import { renderNotes, renderTable, row } from '../../../bench/lib/table.mjs';

describe('renderTable', () => {
  const rows = [
    row({ bench: 'b1', metric: 'cpu', unit: 's', cntop: 2, peer: 4, peerName: 'htop', target: '<= htop', pass: true }),
    row({ bench: 'b2', metric: 'lost', cntop: 3, target: '0', pass: false, note: 'fork 9/12' }),
    row({ bench: 'b3', metric: 'rate', cntop: null, note: 'not built' }),
  ];

  it('prints the ratio cntop/peer, the verdicts and a dash for what was not measured', () => {
    const lines = renderTable(rows).split('\n');
    expect(lines[2]).toMatch(/b1\s+cpu\s+2 s\s+4 s \(htop\)\s+0\.50x\s+<= htop\s+PASS/);
    expect(lines[3]).toMatch(/b2\s+lost\s+3\s+-\s+-\s+0\s+FAIL/);
    expect(lines[4]).toMatch(/b3\s+rate\s+-\s+-\s+-\s+-$/);
  });

  it('renders Markdown with one row per figure', () => {
    const md = renderTable(rows, { markdown: true }).split('\n');
    expect(md[0]).toBe('| benchmark | metric | cntop | peer | cntop/peer | target | result |');
    expect(md).toHaveLength(2 + rows.length);
  });

  it('lists notes only for rows that have one', () => {
    expect(renderNotes(rows)).toEqual(['- b2 / lost: fork 9/12', '- b3 / rate: not built']);
  });
});
