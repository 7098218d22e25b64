import { DuckDBDataChunk, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Column } from '../../../schemas/tables/column.js';
import { quoteIdent } from '../../../schemas/tables/duckdbDdl.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import { toDuckdbValue } from './duckdbValues.js';

const chunkRows = 2048; // DuckDB's vector size: the most one data chunk holds

/**
 * Lands rows in one table idempotently, two ways (see bench:sink-duckdb for the measurements):
 * - `append`: the DuckDB appender straight into the primary-keyed table. The fastest way in; a row
 *   whose key is already stored makes DuckDB refuse the whole transaction ("Duplicate key").
 * - `stage` + `merge`: the appender into a TEMP staging table without constraints, then one
 *   `INSERT ... SELECT ... ON CONFLICT` into the table: `DO NOTHING` for `ignore` tables (a replayed
 *   row is skipped), `DO UPDATE ... WHERE excluded.version > stored.version` for `latest` tables (the
 *   newest report wins whatever order reports and replays arrive in). Always correct, but DuckDB's
 *   ON CONFLICT costs several times a plain insert once the table holds many rows.
 * The sink tries `append` first and falls back to `stage` + `merge` when it fails, which a stored
 * key makes it do only when a worker replays after a crash. The caller wraps either in one
 * transaction: the rows land together or not at all.
 */
export class TableWriter {
  private readonly staging: string;
  private readonly mergeSql: string;
  /** appender column types per target table (the table and its staging copy have the same columns); asked once */
  private readonly types = new Map<string, DuckDBType[]>();

  private constructor(
    private readonly def: TableDef,
    /** staging columns in physical order, each with its declaration (undefined: stored but no longer declared) */
    private readonly columns: readonly { name: string; column: Column | undefined }[],
  ) {
    this.staging = `staging_${def.name}`;
    this.mergeSql = mergeStatement(def, this.staging);
  }

  /** Creates the TEMP staging table with the physical column order of the stored table. */
  static async create(connection: DuckDBConnection, def: TableDef): Promise<TableWriter> {
    const staging = `staging_${def.name}`;
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(staging)} AS SELECT * FROM main.${quoteIdent(def.name)} LIMIT 0`);
    const reader = await connection.runAndReadAll(
      `SELECT column_name FROM duckdb_columns() WHERE database_name = 'temp' AND table_name = '${staging}' ORDER BY column_index`);
    const byName = new Map(def.columns.map((c) => [c.name, c]));
    const columns = reader.getRows().map(([name]) => ({ name: String(name), column: byName.get(String(name)) }));
    return new TableWriter(def, columns);
  }

  /** Appends parsed rows (every declared column present) straight into the table. */
  async append(connection: DuckDBConnection, rows: readonly Record<string, unknown>[]): Promise<void> {
    await this.appendTo(connection, rows, this.def.name, null, null);
  }

  /** Appends parsed rows (every declared column present) to the staging table. */
  async stage(connection: DuckDBConnection, rows: readonly Record<string, unknown>[]): Promise<void> {
    await this.appendTo(connection, rows, this.staging, 'main', 'temp');
  }

  private async appendTo(
    connection: DuckDBConnection, rows: readonly Record<string, unknown>[], table: string, schema: string | null, catalog: string | null,
  ): Promise<void> {
    const appender = await connection.createAppender(table, schema, catalog);
    let flushed = false;
    try {
      let types = this.types.get(table);
      if (!types) this.types.set(table, (types = this.columns.map((_, i) => appender.columnType(i))));
      for (let from = 0; from < rows.length; from += chunkRows) {
        const slice = rows.slice(from, from + chunkRows);
        const chunk = DuckDBDataChunk.create(types, slice.length);
        chunk.setColumns(this.columns.map(({ name, column }) => {
          const values = new Array<DuckDBValue>(slice.length);
          for (let r = 0; r < slice.length; r++) values[r] = column ? toDuckdbValue(column.type, slice[r][name]) : null;
          return values;
        }));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
      flushed = true;
    } finally {
      // A failed flush leaves its rows buffered in the appender, and the appender's finalizer would
      // flush them again whenever it is garbage collected: into some later transaction, aborting it.
      // Discard them first.
      if (!flushed) {
        try {
          appender.clear();
        } catch {
          // nothing buffered, or the connection is gone
        }
      }
      try {
        appender.closeSync();
      } catch {
        // closing after a failed flush reports the same failure again; the first one is thrown
      }
    }
  }

  /** Moves the staged rows into the table and empties the staging table. */
  async merge(connection: DuckDBConnection): Promise<void> {
    await connection.run(this.mergeSql);
    await connection.run(`DELETE FROM ${quoteIdent(this.staging)}`);
  }

  /** Drops what a failed write left staged (the rollback already undid it; this is belt and braces). */
  async clear(connection: DuckDBConnection): Promise<void> {
    await connection.run(`DELETE FROM ${quoteIdent(this.staging)}`);
  }

  get table(): string {
    return this.def.name;
  }

  /** `latest` tables must compare versions, which only the merge does. */
  get appendable(): boolean {
    return this.def.onConflict.kind === 'ignore';
  }
}

export function mergeStatement(def: TableDef, staging: string): string {
  const table = quoteIdent(def.name);
  const pk = quoteIdent(def.primaryKey);
  if (def.onConflict.kind === 'ignore') {
    return `INSERT INTO main.${table} BY NAME SELECT * FROM ${quoteIdent(staging)} ON CONFLICT DO NOTHING`;
  }
  const version = quoteIdent(def.onConflict.versionColumn);
  const updates = def.columns
    .filter((c) => c.name !== def.primaryKey)
    .map((c) => `${quoteIdent(c.name)} = excluded.${quoteIdent(c.name)}`)
    .join(', ');
  // one row per key first: DuckDB refuses to update the same row twice in one statement
  return `INSERT INTO main.${table} BY NAME ` +
    `SELECT * FROM ${quoteIdent(staging)} QUALIFY row_number() OVER (PARTITION BY ${pk} ORDER BY ${version} DESC) = 1 ` +
    `ON CONFLICT (${pk}) DO UPDATE SET ${updates} WHERE excluded.${version} > ${table}.${version}`;
}
