import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deadLetters as deadLettersTable } from '../../../schemas/tables/deadLetters.js';
import { duckdbCreateTable, duckdbMigration, type DuckdbColumnInfo } from '../../../schemas/tables/duckdbDdl.js';
import { rowSchema } from '../../../schemas/tables/rowSchema.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import { warehouseTables, type Row, type TableName } from '../../../schemas/tables/tables.js';
import { validateRows } from '../rowValidation.js';
import type { Sink, WriteResult } from '../sink.js';
import { fromDuckdbValue, toPlainValue } from './duckdbValues.js';
import { startQueryServer, type QueryServer } from './queryServer.js';
import { TableWriter } from './tableWriter.js';
import { WarehouseLockedError } from './warehouseLockedError.js';

/**
 * The most rows a write appends without an explicit transaction. DuckDB's appender flushes by itself
 * every 204 800 rows (100 vectors), which outside a transaction would commit part of a write; far
 * below that, the one flush at the end commits the whole write at once.
 */
const AUTOCOMMIT_MAX_ROWS = 100_000;

export interface DuckDbSinkOptions {
  /** the warehouse file; default ./data/driftline.duckdb; ':memory:' for a throwaway warehouse */
  readonly path?: string;
  /** tables to create and accept; default every table in schemas/tables (dead_letters is always included) */
  readonly tables?: readonly TableDef[];
  /** `source` of dead letters for rows this sink refuses; default `duckdb` */
  readonly source?: string;
  /**
   * serve read queries on the file's query socket while open (queryServer.ts), so `driftline query`
   * works while this process holds the file; default false. Ignored for ':memory:'.
   */
  readonly serveQueries?: boolean;
}

export interface QueryResult {
  readonly columns: string[];
  /** values as plain JSON-friendly data: safe integers as numbers, timestamps as ISO 8601 UTC */
  readonly rows: unknown[][];
}

/**
 * The local warehouse: a DuckDB file holding the tables of schemas/tables/.
 *
 * Durability: `write` resolves after COMMIT, and DuckDB fsyncs its write-ahead log at every commit,
 * so a resolved write survives `kill -9` and power loss; a restart replays the WAL. The sink does not
 * CHECKPOINT per write (a checkpoint rewrites row groups, costing far more than the WAL append):
 * DuckDB checkpoints by itself once the WAL passes `checkpoint_threshold` (16 MB by default), and the
 * sink checkpoints on close so the next open has no WAL to replay.
 *
 * Writes are serialised on one connection, each in its own transaction. Reads (`query`) use a second
 * connection on the same instance, so analysts can query while the pipeline writes and see only whole,
 * committed batches. Another process cannot open the file meanwhile (DuckDB's one-writer lock); with
 * `serveQueries` this process answers their read queries on a Unix socket instead (queryServer.ts).
 */
export class DuckDbSink implements Sink {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private queryServer: QueryServer | undefined;

  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly defs: ReadonlyMap<string, TableDef>,
    private readonly writers: ReadonlyMap<string, TableWriter>,
    private readonly source: string,
  ) {}

  static async open(options: DuckDbSinkOptions = {}): Promise<DuckDbSink> {
    const path = options.path ?? './data/driftline.duckdb';
    const file = path === ':memory:' ? path : resolve(path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      // From the process-wide cache: two independent instances on one file in one process would
      // each believe they own it (DuckDB does not stop that) and corrupt it. Shared, the database
      // closes when its last user closes it.
      instance = file === ':memory:' ? await DuckDBInstance.create(file) : await DuckDBInstance.fromCache(file);
    } catch (err) {
      const e = err as Error;
      if (/lock/i.test(e.message)) throw new WarehouseLockedError(file, e);
      throw new Error(`cannot open the warehouse ${file}: ${e.message}; check sink.path and its directory`);
    }
    const defs = new Map<string, TableDef>();
    for (const def of options.tables ?? Object.values(warehouseTables)) defs.set(def.name, def);
    defs.set(deadLettersTable.name, deadLettersTable);
    try {
      const writer = await instance.connect();
      const writers = new Map<string, TableWriter>();
      for (const def of defs.values()) {
        await ensureTable(writer, def, file);
        writers.set(def.name, await TableWriter.create(writer, def));
      }
      const reader = await instance.connect();
      const sink = new DuckDbSink(file, instance, writer, reader, defs, writers, options.source ?? 'duckdb');
      if (options.serveQueries && file !== ':memory:') sink.queryServer = await startQueryServer({ file, instance });
      return sink;
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new Error(`warehouse ${this.file}: write('${table}') after close()`));
    const def = this.defs.get(table);
    if (!def) {
      return Promise.reject(new Error(`warehouse ${this.file}: no table '${table}'; this sink holds ${[...this.defs.keys()].join(', ')}`));
    }
    const { valid, deadLetters } = validateRows(def, rows, this.source);
    if (valid.length === 0 && deadLetters.length === 0) return Promise.resolve({ written: 0, deadLettered: 0 });
    const parsedDeadLetters = deadLetters.map((d) => rowSchema(deadLettersTable).parse(d) as Record<string, unknown>);
    return this.serially(async () => {
      const writer = this.writers.get(table)!;
      // Fast path first. It fails when a key is already stored (a replay), which the merge path
      // absorbs. Any failure falls back, not just a recognised duplicate-key message: DuckDB reports
      // a duplicate found while flushing an earlier chunk only as "transaction is aborted" on the
      // next one. A failure that is not about duplicates fails the merge path too, and is thrown.
      if (writer.appendable && valid.length > 0 && parsedDeadLetters.length === 0 && valid.length <= AUTOCOMMIT_MAX_ROWS) {
        // Rows alone: the appender outside a transaction, whose flush is one transaction of its own
        // (committed and fsynced, or rolled back on a stored key). BEGIN and COMMIT as statements cost
        // more CPU than appending a few hundred rows. The append is synchronous native work, so the
        // event loop gets a turn first (BEGIN and COMMIT on the thread pool gave it two): back-to-back
        // writes must not starve queries, timers and sockets.
        await new Promise<void>((resolve) => setImmediate(resolve));
        try {
          await writer.append(this.writer, valid);
          this.fastWrites++;
          return { written: valid.length, deadLettered: 0 };
        } catch {
          // fall through to the merge path
        }
      } else if (writer.appendable && valid.length > 0) {
        try {
          await this.inTransaction(table, rows.length, async () => {
            await writer.append(this.writer, valid);
            if (parsedDeadLetters.length > 0) await this.stageAndMerge(deadLettersTable.name, parsedDeadLetters);
          });
          this.fastWrites++;
          return { written: valid.length, deadLettered: deadLetters.length };
        } catch {
          // fall through to the merge path
        }
      }
      await this.inTransaction(table, rows.length, async () => {
        if (valid.length > 0) await this.stageAndMerge(table, valid);
        if (parsedDeadLetters.length > 0) await this.stageAndMerge(deadLettersTable.name, parsedDeadLetters);
      });
      this.mergedWrites++;
      return { written: valid.length, deadLettered: deadLetters.length };
    });
  }

  /** How writes landed so far: straight appends, and merges (after a failed append, or `latest` tables). */
  get stats(): { appended: number; merged: number } {
    return { appended: this.fastWrites, merged: this.mergedWrites };
  }

  private fastWrites = 0;
  private mergedWrites = 0;

  private async inTransaction(table: string, count: number, work: () => Promise<void>): Promise<void> {
    const c = this.writer;
    await c.run('BEGIN TRANSACTION');
    try {
      await work();
      await c.run('COMMIT');
    } catch (err) {
      // after a failed statement DuckDB has aborted the transaction; ROLLBACK ends it (a COMMIT
      // would "succeed" and silently roll back)
      await c.run('ROLLBACK').catch(() => undefined);
      for (const writer of this.writers.values()) await writer.clear(c).catch(() => undefined);
      throw new Error(`warehouse ${this.file}: writing ${count} rows to '${table}' failed: ${(err as Error).message}`, { cause: err });
    }
  }

  private async stageAndMerge(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    const writer = this.writers.get(table)!;
    await writer.stage(this.writer, rows);
    await writer.merge(this.writer);
  }

  /** Runs SQL on the read connection: sees every committed write, never a half-written batch. */
  async query(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<QueryResult> {
    if (this.closed) throw new Error(`warehouse ${this.file}: query after close()`);
    const reader = await this.reader.runAndReadAll(sql, params);
    return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(toPlainValue)) };
  }

  /**
   * A table's rows in the row representation writers use (timestamps as epoch ms, JSON parsed),
   * ordered by primary key: what a crash test compares with an uninterrupted run.
   */
  async readTable<T extends TableName>(table: T, options: { where?: string } = {}): Promise<Row<T>[]> {
    const def = this.defs.get(table);
    if (!def) throw new Error(`warehouse ${this.file}: no table '${table}'`);
    const columns = def.columns.map((c) => `"${c.name}"`).join(', ');
    const reader = await this.reader.runAndReadAll(
      `SELECT ${columns} FROM main."${table}"${options.where ? ` WHERE ${options.where}` : ''} ORDER BY "${def.primaryKey}"`);
    return reader.getRows().map((row) =>
      Object.fromEntries(def.columns.map((c, i) => [c.name, fromDuckdbValue(c.type, row[i])])) as Row<T>);
  }

  /** Folds the WAL into the database file now (DuckDB also does it by itself; see the class comment). */
  checkpoint(): Promise<void> {
    return this.serially(async () => {
      await this.writer.run('CHECKPOINT');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queryServer?.close();
    await this.tail.catch(() => undefined);
    try {
      // best effort: it fails while another user of the shared instance is mid-transaction, and
      // DuckDB checkpoints when the last user closes anyway
      if (this.file !== ':memory:') await this.writer.run('CHECKPOINT').catch(() => undefined);
    } finally {
      this.reader.closeSync();
      this.writer.closeSync();
      this.instance.closeSync();
    }
  }

  private serially<R>(work: () => Promise<R>): Promise<R> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

async function ensureTable(connection: DuckDBConnection, def: TableDef, file: string): Promise<void> {
  const reader = await connection.runAndReadAll(
    'SELECT column_name, data_type, is_nullable FROM duckdb_columns() ' +
    "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $name ORDER BY column_index",
    { name: def.name });
  const existing: DuckdbColumnInfo[] = reader.getRows().map(([name, type, nullable]) => ({
    name: String(name), dataType: String(type), nullable: Boolean(nullable),
  }));
  const statements = existing.length === 0 ? duckdbCreateTable(def) : duckdbMigration(def, existing, file);
  for (const sql of statements) await connection.run(sql);
}
