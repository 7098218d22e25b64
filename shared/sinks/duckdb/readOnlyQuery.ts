import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from '@duckdb/node-api';
import type { QueryResult } from './duckdbSink.js';
import { toPlainValue } from './duckdbValues.js';

/**
 * Statement types a query through a running pipeline may run, as DuckDB's own parser classifies
 * them. SELECT covers SELECT, WITH … SELECT, FROM-first queries, VALUES, table functions, DESCRIBE,
 * SHOW, SUMMARIZE and the PRAGMAs DuckDB rewrites into queries (table_info, show_tables,
 * database_size, storage_info); EXPLAIN covers EXPLAIN ANALYZE, whose statement the read-only
 * transaction below stops if it would write. Everything else is refused, reads included that only
 * look like other types (`CALL f()`: write `SELECT * FROM f()`), and so are SET and PRAGMAs that
 * change settings, since the connection belongs to the pipeline's process.
 */
export const READ_STATEMENT_TYPES: ReadonlySet<StatementType> = new Set([StatementType.SELECT, StatementType.EXPLAIN]);

export const READS_ALLOWED = 'SELECT, WITH … SELECT, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PRAGMA table_info/show_tables/database_size, EXPLAIN';

/** A statement the query socket will not run: not a read. */
export class QueryRefusedError extends Error {
  override readonly name = 'QueryRefusedError';
}

function refusal(what: string): QueryRefusedError {
  return new QueryRefusedError(
    `${what}: a query sent to a running pipeline may only read (${READS_ALLOWED}). ` +
    'The pipeline owns the warehouse while it runs; to write, stop driftline run / driftline worker and run the statement again');
}

/** Rows of a result, chunk by chunk, as plain JSON-friendly values; `close` ends the transaction. */
export interface ReadOnlyCursor {
  readonly columns: string[];
  /** the next chunk of rows (up to DuckDB's vector size, 2048), or null at the end */
  next(): Promise<unknown[][] | null>;
  /** commits (or, after an error, rolls back) the read-only transaction; always call it */
  close(): Promise<void>;
}

/**
 * Starts `sql` (one or more statements) on `connection` if every statement is a read; the cursor
 * streams the rows `DuckDbSink.query` would return: the first statement's (DuckDB's C API returns
 * the first result that has rows), the later statements running after it, in order, for their errors. All of it runs in
 * one READ ONLY transaction: one snapshot of committed batches, and a second guard should a
 * read-typed statement try to write. Nothing else may use the connection until `close`.
 */
export async function readOnlyQuery(connection: DuckDBConnection, sql: string): Promise<ReadOnlyCursor> {
  if (/^[\s;]*$/.test(sql)) throw new Error('no SQL statement in the query');
  const prepared: DuckDBPreparedStatement[] = [];
  const release = () => {
    for (const statement of prepared.splice(0)) statement.destroySync();
  };
  const fail = async (err: unknown): Promise<never> => {
    await connection.run('ROLLBACK').catch(() => undefined);
    release();
    if (err instanceof QueryRefusedError) throw err;
    const message = (err as Error).message;
    if (/read-only mode/i.test(message)) throw refusal(`refused: the query tried to write (${message})`);
    throw err;
  };
  await connection.run('BEGIN TRANSACTION READ ONLY');
  let result: DuckDBResult;
  try {
    const statements = await connection.extractStatements(sql);
    for (let i = 0; i < statements.count; i++) {
      const statement = await statements.prepare(i);
      prepared.push(statement);
      if (!READ_STATEMENT_TYPES.has(statement.statementType)) {
        const which = statements.count === 1 ? 'the statement' : `statement ${i + 1} of ${statements.count}`;
        throw refusal(`refused: ${which} is ${StatementType[statement.statementType] ?? `type ${statement.statementType}`}, not a read`);
      }
    }
    result = await prepared[0]!.stream();
  } catch (err) {
    return fail(err);
  }
  let failed = false;
  let closed = false;
  return {
    columns: result.columnNames(),
    async next() {
      try {
        const chunk = await result.fetchChunk();
        if (chunk && chunk.rowCount > 0) return chunk.getRows().map((row) => row.map(toPlainValue));
        for (const statement of prepared.slice(1)) await statement.run();
        prepared.splice(1).forEach((statement) => statement.destroySync());
        return null;
      } catch (err) {
        failed = true;
        return fail(err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (failed) return;
      try {
        await connection.run('COMMIT');
      } catch {
        await connection.run('ROLLBACK').catch(() => undefined);
      } finally {
        release();
      }
    },
  };
}

/** `readOnlyQuery` read to the end: the whole result, as `DuckDbSink.query` returns it. */
export async function runReadOnly(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const cursor = await readOnlyQuery(connection, sql);
  try {
    const rows: unknown[][] = [];
    for (let chunk = await cursor.next(); chunk; chunk = await cursor.next()) rows.push(...chunk);
    return { columns: cursor.columns, rows };
  } finally {
    await cursor.close();
  }
}
