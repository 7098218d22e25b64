import type { Row, TableName } from '../../schemas/tables/tables.js';

export interface WriteResult {
  /** rows that passed the table's row schema and were handed to the warehouse (replays included) */
  readonly written: number;
  /** rows that failed it and landed in `dead_letters` instead (reason `invalid_row`) */
  readonly deadLettered: number;
}

/**
 * A warehouse the pipeline lands rows in: DuckDB on one machine, BigQuery in the cloud. Tables and
 * row shapes come from `schemas/tables/`.
 *
 * - `write` resolves only once the rows are durable, so a caller may commit its bus offsets after it.
 * - Writes are idempotent by the table's primary key (`row_id` / `id` / `mmsi`): writing a row again,
 *   as a worker does when it replays from its last commit after a crash, never duplicates it.
 * - A row that fails the table's row schema does not fail the batch: it lands in `dead_letters`
 *   with reason `invalid_row` and the failing columns in `detail`.
 */
export interface Sink {
  write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult>;
  close(): Promise<void>;
}
