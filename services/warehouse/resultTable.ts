import type { QueryResult } from '../../shared/sinks/duckdb/duckdbSink.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A query result as an aligned text table, the way SQL shells print them. */
export function resultTable(r: QueryResult, maxWidth = 48): string {
  const rows = r.rows.map((row) => row.map((v) => {
    const s = cell(v);
    return s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s;
  }));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(r.columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line), `(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`].join('\n');
}
