/**
 * What `driftline query` and the process holding the warehouse say on the query socket (HTTP over a
 * Unix socket):
 *
 *   POST /query  {"sql": "..."}
 *   200          newline-delimited JSON frames: {"columns": [...]}, then {"rows": [[...], ...]} per
 *                chunk of up to 2048 rows, then {"end": <row count>}; a failure after the first
 *                chunk ends the stream with {"error": "..."} instead, so a result without its end
 *                frame is never taken for a whole one
 *   403          the statement is not a read (text: which statement type, and to stop the pipeline)
 *   400          DuckDB refused the SQL (text: DuckDB's message)
 *   413 / 503    SQL over 1 MiB / the pipeline is stopping
 *
 * Values are those of `DuckDbSink.query`; NaN and ±Infinity, which JSON lacks, travel tagged so the
 * client prints them as the local query would.
 */
export const QUERY_ROUTE = '/query';
export const MAX_SQL_BYTES = 1 << 20;

export type QueryFrame =
  | { readonly columns: string[] }
  | { readonly rows: unknown[][] }
  | { readonly end: number }
  | { readonly error: string };

const NON_FINITE = '$driftline_nonfinite';

export function encodeFrame(frame: QueryFrame): string {
  return `${JSON.stringify(frame, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v))}\n`;
}

export function decodeFrame(line: string): QueryFrame {
  return JSON.parse(line, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = (v as Record<string, unknown>)[NON_FINITE];
      if (typeof tagged === 'string' && Object.keys(v).length === 1) return Number(tagged);
    }
    return v;
  }) as QueryFrame;
}
