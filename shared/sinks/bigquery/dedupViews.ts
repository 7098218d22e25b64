import type { TableDef } from '../../../schemas/tables/tableDef.js';

/**
 * De-duplicating views over the streamed tables.
 *
 * Streaming inserts are at-least-once: a worker that crashes after landing rows but before committing
 * its offsets replays and lands them again, and insertAll's insertId de-duplication is best effort
 * only (it may miss, and the emulator does none). Every row carries a deterministic primary key
 * (`row_id` / `id` / `mmsi`), so copies are identical rows with the same key (apart from wall-clock
 * columns such as `processed_at`), and one `QUALIFY ROW_NUMBER()` per key gives the exact table a
 * crash-free run would have written:
 * - `ignore` tables keep the earliest landed copy (the order of the wall-clock column, like the
 *   DuckDB sink, where the stored row wins);
 * - `latest` tables (vessels) keep the row with the greatest version column, as the DuckDB sink does.
 */
export const DEDUP_VIEW_SUFFIX = '_dedup';

export function dedupViewName(def: TableDef): string {
  return `${def.name}${DEDUP_VIEW_SUFFIX}`;
}

/** The wall-clock column that orders copies of one key in an `ignore` table, if the table has one. */
function landingOrder(def: TableDef): string | undefined {
  return ['processed_at', 'received_at'].find((name) => def.columns.some((c) => c.name === name));
}

/** `ORDER BY` inside the window: which copy of a key wins. */
export function dedupOrder(def: TableDef): string {
  if (def.onConflict.kind === 'latest') return `${def.onConflict.versionColumn} DESC`;
  const order = landingOrder(def);
  return order ? `${order} ASC` : def.primaryKey;
}

/**
 * Partitioning columns the primary key determines: `predictions.row_id` hashes the window bounds
 * (schemas/tables/rowId.ts), so adding `window_end` to the window's PARTITION BY changes nothing, and it
 * lets BigQuery push a `window_end` filter on the view below the window function, pruning partitions.
 * (A filter on a column outside PARTITION BY cannot be pushed down.) The other tables' ids do not fix
 * `received_at`: a replayed copy is received later.
 */
const keyDeterminedColumns: Readonly<Record<string, readonly string[]>> = { predictions: ['window_end'] };

/** `QUALIFY` clause keeping one row per primary key (WHERE TRUE: BigQuery wants QUALIFY beside a WHERE/GROUP BY/HAVING). */
export function dedupClause(def: TableDef): string {
  const partition = [...(keyDeterminedColumns[def.name] ?? []), def.primaryKey].join(', ');
  return `WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${dedupOrder(def)}) = 1`;
}

/** The view's standard-SQL query over `project.dataset.table`. */
export function dedupViewQuery(def: TableDef, projectId: string, datasetId: string): string {
  return `SELECT * FROM \`${projectId}.${datasetId}.${def.name}\` ${dedupClause(def)}`;
}
