/**
 * Splitting a write into insertAll requests within BigQuery's streaming limits: at most 500 rows per
 * request is Google's recommendation (quota: 50,000), and a request body must stay under 10 MB.
 * https://cloud.google.com/bigquery/quotas#streaming_inserts
 */
export const MAX_ROWS_PER_REQUEST = 500;
/** Under the 10 MB HTTP request limit, with room for the envelope (`{"rows":[...],"skipInvalidRows":...}`). */
export const MAX_REQUEST_BYTES = 9_500_000;

/** One row of an insertAll request body. */
export interface InsertRow {
  /** BigQuery de-duplicates on it, best effort only (see bigquerySink.ts) */
  readonly insertId: string;
  readonly json: Record<string, unknown>;
}

export interface BatchLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
}

export const defaultBatchLimits: BatchLimits = { maxRows: MAX_ROWS_PER_REQUEST, maxBytes: MAX_REQUEST_BYTES };

export interface SizedRow<T> {
  readonly item: T;
  /** UTF-8 bytes of the row's JSON in the request body */
  readonly bytes: number;
}

export interface Batches<T> {
  readonly batches: T[][];
  /** rows that alone exceed `maxBytes`: no request can carry them */
  readonly oversized: SizedRow<T>[];
}

/** The UTF-8 size of an insertAll row as it appears in the request body, plus its separating comma. */
export function insertRowBytes(row: InsertRow): number {
  return Buffer.byteLength(JSON.stringify(row), 'utf8') + 1;
}

/**
 * Greedy packing in order: a batch closes when the next row would exceed either limit. Order is
 * kept so a table with a `latest` policy sees reports in the order they were written.
 */
export function batchRows<T>(rows: readonly T[], sizeOf: (row: T) => number, limits: BatchLimits = defaultBatchLimits): Batches<T> {
  if (limits.maxRows < 1 || limits.maxBytes < 1) throw new Error(`batch limits must be positive, got ${JSON.stringify(limits)}`);
  const batches: T[][] = [];
  const oversized: SizedRow<T>[] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of rows) {
    const size = sizeOf(item);
    if (size > limits.maxBytes) {
      oversized.push({ item, bytes: size });
      continue;
    }
    if (current.length > 0 && (current.length >= limits.maxRows || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
