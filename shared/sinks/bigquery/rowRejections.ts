import type { DeadLetterRow } from '../../../schemas/tables/deadLetters.js';
import { rowId } from '../../../schemas/tables/rowId.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import type { InsertRow } from './insertBatches.js';
import { isRetryableRowError } from './retryPolicy.js';

/** One error BigQuery gave for one row (`insertErrors[].errors[]` of the insertAll response). */
export interface RowError {
  readonly reason?: string;
  readonly message?: string;
  readonly location?: string;
}

export interface RejectedRow {
  readonly row: InsertRow;
  readonly errors: readonly RowError[];
}

export interface PartialFailure {
  /** rows BigQuery did not take but did not fault either (`stopped`, transient): send again */
  readonly retry: InsertRow[];
  /** rows BigQuery refused for their content: dead letters */
  readonly rejected: RejectedRow[];
}

interface PartialFailureLike {
  readonly name?: string;
  readonly errors?: readonly { readonly row?: unknown; readonly errors?: readonly RowError[] }[];
  /** the insertAll response: its `insertErrors` keep each error's `location`, which `errors` drops */
  readonly response?: { readonly insertErrors?: readonly { readonly index?: number; readonly errors?: readonly RowError[] }[] };
}

/**
 * The Node client's PartialFailureError: insertAll answered 200 with per-row `insertErrors`. (It is
 * not exported by @google-cloud/bigquery, so it is recognised by name and shape.)
 */
export function isPartialFailure(err: unknown): err is PartialFailureLike {
  return err instanceof Error && err.name === 'PartialFailureError' && Array.isArray((err as PartialFailureLike).errors);
}

/**
 * Sorts the rows of a PartialFailureError. Rows are located by the response's `insertErrors[].index`
 * into the batch, read as 0 when absent: JSON encoders that omit default values (proto3 JSON, Go's
 * omitempty; the emulator does this) leave out `index: 0`, and the client then reports that row as
 * `undefined`. Without a response, the client's `row` (the very object it was given) is used. A row
 * that cannot be located fails the whole batch rather than landing a guess.
 */
export function splitPartialFailure(err: PartialFailureLike, batch: readonly InsertRow[]): PartialFailure {
  const retry: InsertRow[] = [];
  const rejected: RejectedRow[] = [];
  const fromResponse = err.response?.insertErrors;
  const failures: { row: unknown; errors: readonly RowError[] }[] = fromResponse
    ? fromResponse.map((f) => ({ row: batch[f.index ?? 0], errors: f.errors ?? [] }))
    : (err.errors ?? []).map((f) => ({ row: f.row, errors: f.errors ?? [] }));
  const inBatch = new Set<unknown>(batch);
  for (const failure of failures) {
    if (failure.row === undefined || !inBatch.has(failure.row)) {
      throw new Error(`BigQuery insertAll reported an error for a row that was not in the request: ${JSON.stringify(failure.errors).slice(0, 500)}`);
    }
    const row = failure.row as InsertRow;
    if (isRetryableRowError(failure.errors.map((e) => e.reason))) retry.push(row);
    else rejected.push({ row, errors: failure.errors });
  }
  return { retry, rejected };
}

/** BigQuery's own words for why it refused the row: `reason: message (at location)`, each error once. */
export function rowErrorText(errors: readonly RowError[]): string {
  const parts = errors
    .filter((e) => e.reason !== 'stopped')
    .map((e) => `${e.reason ?? 'error'}: ${e.message ?? '(no message)'}${e.location ? ` (at ${e.location})` : ''}`);
  return [...new Set(parts)].join('; ') || 'no error text given';
}

/** Keeps a dead letter of an oversized row far below BigQuery's row and request limits. */
export const MAX_DEAD_LETTER_PAYLOAD_CHARS = 1_000_000;

/**
 * The dead letter of a row the warehouse refused: reason `rejected`, source `bigquery`, the row as
 * the writer built it in `payload`, BigQuery's error text in `detail`. The id hashes table and
 * payload, so a replay that is refused again does not add a second dead letter.
 */
export function rejectionDeadLetter(
  def: TableDef,
  payload: Readonly<Record<string, unknown>>,
  errorText: string,
  source = 'bigquery',
  now = Date.now(),
  maxPayloadChars = MAX_DEAD_LETTER_PAYLOAD_CHARS,
): DeadLetterRow {
  const text = JSON.stringify(payload);
  // a row refused for its size would make an equally oversized dead letter: keep its head only
  const truncated = text.length > maxPayloadChars;
  return {
    id: rowId(['rejected', source, def.name, text]),
    source,
    topic: def.name,
    stream: typeof payload.stream === 'string' ? payload.stream : null,
    payload: truncated ? text.slice(0, maxPayloadChars) : text,
    payload_encoding: 'utf8',
    reason: 'rejected',
    detail: `BigQuery refused the row for table '${def.name}': ${errorText}` +
      (truncated ? ` (payload truncated to its first ${maxPayloadChars} of ${text.length} characters)` : ''),
    received_at: now,
  };
}
