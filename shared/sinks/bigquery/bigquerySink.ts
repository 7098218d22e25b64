import type { BigQuery } from '@google-cloud/bigquery';
import { deadLetters as deadLettersTable, type DeadLetterRow } from '../../../schemas/tables/deadLetters.js';
import { rowSchema } from '../../../schemas/tables/rowSchema.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import { warehouseTables, type Row, type TableName } from '../../../schemas/tables/tables.js';
import { validateRows } from '../rowValidation.js';
import type { Sink, WriteResult } from '../sink.js';
import { bigqueryClient, type BigQueryConnection } from './bigqueryClient.js';
import { fromBigQueryValue, toBigQueryRow } from './bigqueryValues.js';
import { dedupClause } from './dedupViews.js';
import { defaultBatchLimits, type BatchLimits, type InsertRow } from './insertBatches.js';
import type { BackoffPolicy, RetryHooks } from './retryPolicy.js';
import { MAX_DEAD_LETTER_PAYLOAD_CHARS, rejectionDeadLetter, rowErrorText } from './rowRejections.js';
import { StreamingInserter, type InsertTarget } from './streamingInserter.js';
import { initBigQueryWarehouse, type WarehouseInitReport } from './warehouseInit.js';

export interface BigQuerySinkOptions extends BigQueryConnection {
  readonly datasetId: string;
  /** tables to accept; default every table in schemas/tables (dead_letters is always included) */
  readonly tables?: readonly TableDef[];
  /**
   * run `warehouse init` on open (create what is missing, add new NULLABLE columns; refuse otherwise).
   * Default true, like the DuckDB sink; false when the pipeline's account may only insert rows.
   */
  readonly init?: boolean;
  /** with init: also create the `<table>_dedup` views (default true) */
  readonly views?: boolean;
  /** `source` of dead letters for rows this sink refuses; default `bigquery` */
  readonly source?: string;
  readonly limits?: BatchLimits;
  readonly backoff?: BackoffPolicy;
  /** default: a warning line on stderr per retry */
  readonly retryHooks?: RetryHooks;
  /** clients to use instead of ones built from the connection (tests): `query` for metadata and reads, `insert` for insertAll */
  readonly clients?: { readonly query: BigQuery; readonly insert: BigQuery };
  /** where rows go instead of `tabledata.insertAll` (unit tests) */
  readonly targets?: (table: string) => InsertTarget;
}

export interface QueryOptions {
  readonly params?: Record<string, unknown>;
}

/**
 * The cloud warehouse: the tables of schemas/tables/ in one BigQuery dataset, fed by streaming
 * inserts (`tabledata.insertAll`).
 *
 * - Rows are validated first (schemas/tables/ row schema); invalid ones land in `dead_letters`
 *   (reason `invalid_row`), exactly as with DuckDB.
 * - Valid rows go in requests of at most 500 rows and under 10 MB, each row's `insertId` its primary
 *   key; requests are retried with exponential backoff on 5xx / rateLimitExceeded / backendError.
 * - Rows BigQuery refuses (per-row `insertErrors`) land in `dead_letters` with reason `rejected`,
 *   source `bigquery` and BigQuery's error text. If a dead letter itself is refused, `write` throws.
 * - `write` resolves once insertAll has acknowledged every row: streamed rows are durable then.
 *
 * Idempotency. BigQuery's insertId de-duplication is BEST EFFORT: it drops a resent row only within
 * about a minute and without guarantee, and the bigquery-emulator does not de-duplicate at all. So a
 * replay (a worker restarted from its last committed offset) may store a second copy of a row.
 * Idempotency therefore rests on the deterministic row ids: a copy has the same `row_id`/`id`/`mmsi`,
 * and readers keep one row per id — the `<table>_dedup` views `warehouse init` creates, or
 * `QUALIFY ROW_NUMBER() OVER (PARTITION BY row_id) = 1` in a query; `readTable` does the same.
 * (The Storage Write API's exactly-once mode is not used.)
 */
export class BigQuerySink implements Sink {
  private closed = false;
  private readonly inserter: StreamingInserter;
  private readonly defs: ReadonlyMap<string, TableDef>;
  private readonly source: string;
  /** JSON escaping can grow text up to 6x inside the request body: an eighth of a request always fits */
  private readonly maxDeadLetterPayload: number;

  private constructor(
    private readonly options: BigQuerySinkOptions,
    private readonly queryClient: BigQuery,
    private readonly insertClient: BigQuery,
    /** the init report when the sink ran init on open */
    readonly initReport: WarehouseInitReport | undefined,
  ) {
    const defs = new Map<string, TableDef>();
    for (const def of options.tables ?? Object.values(warehouseTables)) defs.set(def.name, def);
    defs.set(deadLettersTable.name, deadLettersTable);
    this.defs = defs;
    this.source = options.source ?? 'bigquery';
    this.maxDeadLetterPayload = Math.min(MAX_DEAD_LETTER_PAYLOAD_CHARS, Math.floor((options.limits ?? defaultBatchLimits).maxBytes / 8));
    this.inserter = new StreamingInserter({
      limits: options.limits,
      backoff: options.backoff,
      hooks: options.retryHooks ?? {
        onRetry: ({ attempt, delayMs, error }) =>
          process.stderr.write(`bigquery sink: insertAll attempt ${attempt} failed (${(error as Error).message}); retrying in ${delayMs} ms\n`),
      },
    });
  }

  static async open(options: BigQuerySinkOptions): Promise<BigQuerySink> {
    const queryClient = options.clients?.query ?? bigqueryClient(options);
    const insertClient = options.clients?.insert ?? bigqueryClient(options, { autoRetry: false });
    let report: WarehouseInitReport | undefined;
    if ((options.init ?? true) && !options.targets) {
      const tables = [...new Map([...(options.tables ?? Object.values(warehouseTables)), deadLettersTable].map((d) => [d.name, d])).values()];
      report = await initBigQueryWarehouse(queryClient, { datasetId: options.datasetId, location: options.location, tables, views: options.views });
    }
    return new BigQuerySink(options, queryClient, insertClient, report);
  }

  get projectId(): string {
    return this.queryClient.projectId;
  }

  get datasetId(): string {
    return this.options.datasetId;
  }

  /** `project.dataset.table`, backquoted for standard SQL. */
  tableRef(table: string): string {
    return `\`${this.projectId}.${this.options.datasetId}.${table}\``;
  }

  async write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult> {
    if (this.closed) throw new Error(`BigQuery sink ${this.datasetId}: write('${table}') after close()`);
    const def = this.defs.get(table);
    if (!def) throw new Error(`BigQuery sink ${this.datasetId}: no table '${table}'; this sink holds ${[...this.defs.keys()].join(', ')}`);
    const { valid, deadLetters } = validateRows(def, rows, this.source);
    let rejected = 0;
    if (valid.length > 0) {
      const byRow = new Map<InsertRow, Record<string, unknown>>();
      const insertRows = distinctByKey(def, valid).map((row) => {
        const insertRow: InsertRow = { insertId: String(row[def.primaryKey]), json: toBigQueryRow(def, row) };
        byRow.set(insertRow, row);
        return insertRow;
      });
      const outcome = await this.insertOrThrow(def, insertRows);
      for (const r of outcome.rejected) {
        deadLetters.push(rejectionDeadLetter(def, byRow.get(r.row)!, rowErrorText(r.errors), this.source, Date.now(), this.maxDeadLetterPayload));
      }
      rejected = outcome.rejected.length;
    }
    if (deadLetters.length > 0) await this.landDeadLetters(deadLetters);
    return { written: valid.length - rejected, deadLettered: deadLetters.length };
  }

  private async landDeadLetters(rows: readonly DeadLetterRow[]): Promise<void> {
    const def = deadLettersTable;
    const parsed = rows.map((d) => rowSchema(def).parse(d) as Record<string, unknown>);
    const outcome = await this.insertOrThrow(def, distinctByKey(def, parsed).map((row) => ({ insertId: String(row.id), json: toBigQueryRow(def, row) })));
    if (outcome.rejected.length > 0) {
      // nowhere left to put them: fail the write so the caller does not commit past these rows
      throw new Error(`BigQuery sink ${this.tableRef(def.name)}: BigQuery refused ${outcome.rejected.length} dead letters ` +
        `(first: ${rowErrorText(outcome.rejected[0].errors)}); check that the table matches schemas/tables/ (run driftline warehouse init)`);
    }
  }

  private async insertOrThrow(def: TableDef, rows: InsertRow[]) {
    const target = this.options.targets?.(def.name) ?? (this.insertClient.dataset(this.options.datasetId).table(def.name) as unknown as InsertTarget);
    try {
      return await this.inserter.insert(target, rows);
    } catch (err) {
      const e = err as { code?: unknown; message?: string };
      const fix = e.code === 404 ? ' (fix: run `driftline warehouse init -c <config>` to create the dataset and tables)' : '';
      throw new Error(`BigQuery sink: streaming ${rows.length} rows into ${this.tableRef(def.name)} failed: ${e.message}${fix}`, { cause: err });
    }
  }

  /**
   * Standard SQL on the warehouse. Unqualified table names resolve in the sink's dataset on BigQuery;
   * the emulator (v0.8.1) ignores the default dataset when several datasets hold the name, so
   * qualify them (`tableRef`) in code that must also run there.
   */
  async query(sql: string, options: QueryOptions = {}): Promise<Record<string, unknown>[]> {
    const [rows] = await this.queryClient.query({
      query: sql,
      ...(options.params ? { params: options.params } : {}),
      defaultDataset: { projectId: this.projectId, datasetId: this.options.datasetId },
      ...(this.options.location ? { location: this.options.location } : {}),
    });
    return rows as Record<string, unknown>[];
  }

  /**
   * A table's rows in the row representation writers use (timestamps as epoch ms, JSON parsed),
   * one per primary key (see the class comment), ordered by primary key: what a crash test compares
   * with an uninterrupted run. `dedup: false` shows every stored copy.
   */
  async readTable<T extends TableName>(table: T, options: { where?: string; dedup?: boolean } = {}): Promise<Row<T>[]> {
    const def = this.defs.get(table);
    if (!def) throw new Error(`BigQuery sink ${this.datasetId}: no table '${table}'`);
    const columns = def.columns.map((c) => c.name).join(', ');
    const filter = options.where ? `WHERE ${options.where}` : '';
    const inner = options.dedup === false
      ? `SELECT ${columns} FROM ${this.tableRef(table)} ${filter}`
      // filtered after de-duplication, so `where` sees the one copy per key analysts see
      : `SELECT ${columns} FROM (SELECT * FROM ${this.tableRef(table)} ${dedupClause(def)}) ${filter}`;
    const rows = await this.query(`${inner} ORDER BY ${def.primaryKey}`);
    return rows.map((row) => Object.fromEntries(def.columns.map((c) => [c.name, fromBigQueryValue(c.type, row[c.name])])) as Row<T>);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * One row per primary key within a write: `ignore` tables keep the first, `latest` tables the row
 * with the greatest version (the last of equals). Copies across writes are the readers' to fold.
 */
function distinctByKey(def: TableDef, rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const byKey = new Map<unknown, Record<string, unknown>>();
  const policy = def.onConflict;
  for (const row of rows) {
    const key = row[def.primaryKey];
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, row);
    else if (policy.kind === 'latest' && (row[policy.versionColumn] as number) >= (seen[policy.versionColumn] as number)) byKey.set(key, row);
  }
  return [...byKey.values()];
}
