// Types for table.mjs (so the TypeScript tests can import it under strict checking).
export interface Row {
  bench: string;
  metric: string;
  unit: string;
  cntop: number | null;
  peer: number | null;
  peerName: string;
  target: string;
  pass: boolean | null;
  note: string;
}
export function row(fields: Partial<Row> & { bench: string; metric: string }): Row;
export function renderTable(rows: readonly Row[], options?: { markdown?: boolean }): string;
export function renderNotes(rows: readonly Row[]): string[];
