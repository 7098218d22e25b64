import { DuckDBDataChunk, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Column } from '../../../schemas/tables/column.js';
import { quoteIdent } from '../../../schemas/tables/duckdbDdl.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import { toDuckdbValue } from './duckdbValues.js';

const chunkRows = 2048; // DuckDB's vector size: the most one data chunk holds

/**
 * Lands rows in one table idempotently. Rows go through the DuckDB appender (the fastest way in,
 * see bench:sink-duckdb) into a TEMP staging table without constraints, then one
 * `INSERT ... SELECT ... ON CONFLICT` moves them into the primary-keyed table:
 * - `ignore` tables: `ON CONFLICT DO NOTHING`, so a replayed row is skipped;
 * - `latest` tables: `ON CONFLICT DO UPDATE ... WHERE excluded.version > stored.version`, so the
 *   newest report wins whatever order reports (and replays) arrive in.
 * The caller wraps `stage` + `merge` in one transaction: the rows land together or not at all.
 */
export class TableWriter {
  private readonly staging: string;
  private readonly mergeSql: string;

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

  /** Appends parsed rows (every declared column present) to the staging table. */
  async stage(connection: DuckDBConnection, rows: readonly Record<string, unknown>[]): Promise<void> {
    const appender = await connection.createAppender(this.staging, 'main', 'temp');
    try {
      const types = this.columns.map((_, i) => appender.columnType(i));
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
    } finally {
      appender.closeSync();
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
