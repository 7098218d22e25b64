/**
 * bench:sink-duckdb: how fast rows land idempotently in DuckDB, against the raw appender (not
 * idempotent) in the same run. Every case commits each batch (one WAL fsync) in its own
 * transaction. Cases:
 * - raw_appender: appender straight into a table without a key (the baseline; replays would duplicate)
 * - pk_appender: appender straight into the primary-keyed table (the sink's fast path; fails on a stored key)
 * - on_conflict: appender into a staging table, then INSERT ... ON CONFLICT DO NOTHING (the sink's merge path)
 * - anti_join: appender into a staging table, then INSERT ... WHERE NOT EXISTS into a table without a key
 * - sink: DuckDbSink.write with new rows (validation + fast path)
 * - sink_replay: DuckDbSink.write where every batch repeats 10% of the previous one (validation + merge path)
 * Each runs on an empty table and on one already holding PREFILL rows, alternating, ROUNDS times;
 * medians are reported. The last stdout line is the JSON summary; `ratio` = sink / raw_appender on
 * the filled table.
 */
import { DuckDBDataChunk, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdbCreateTable } from '../schemas/tables/duckdbDdl.js';
import type { PredictionRow } from '../schemas/tables/predictions.js';
import { rowSchema } from '../schemas/tables/rowSchema.js';
import { warehouseTables } from '../schemas/tables/tables.js';
import { classifierPrediction } from '../schemas/tables/testRows.js';
import { DuckDbSink } from '../shared/sinks/duckdb/duckdbSink.js';
import { toDuckdbValue } from '../shared/sinks/duckdb/duckdbValues.js';
import { TableWriter } from '../shared/sinks/duckdb/tableWriter.js';

const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-duckdb-'));
const batchSize = Number(process.env.BATCH ?? 1000);
const batches = Number(process.env.BATCHES ?? 30);
const prefill = Number(process.env.PREFILL ?? 1_000_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const def = warehouseTables.predictions;

// rows made before timing: row ids are sha256 hashes, not what is measured
const base = Date.UTC(2025, 0, 1);
const rows: PredictionRow[] = Array.from({ length: batchSize * batches }, (_, i) =>
  classifierPrediction({ key: `v${i % 5000}`, window_start: base + i * 1000, window_end: base + i * 1000 + 3_600_000 }));
const parsed = rows.map((r) => rowSchema(def).parse(r) as Record<string, unknown>);
const overlap = Math.floor(batchSize / 10);
const batchOf = <T>(all: T[], b: number, replay: boolean): T[] =>
  all.slice(replay ? Math.max(0, b * batchSize - overlap) : b * batchSize, (b + 1) * batchSize);

type Case = 'raw_appender' | 'pk_appender' | 'on_conflict' | 'anti_join' | 'sink' | 'sink_replay';
const merges = {
  on_conflict: 'INSERT INTO main.predictions BY NAME SELECT * FROM staging_predictions ON CONFLICT DO NOTHING',
  anti_join: 'INSERT INTO main.predictions BY NAME SELECT * FROM staging_predictions s ' +
    'WHERE NOT EXISTS (SELECT 1 FROM main.predictions p WHERE p.row_id = s.row_id) QUALIFY row_number() OVER (PARTITION BY s.row_id) = 1',
};

async function createTable(c: DuckDBConnection, keyed: boolean, filled: boolean): Promise<void> {
  const ddl = duckdbCreateTable(def);
  await c.run(keyed ? ddl[0] : ddl[0].replace(/,\n\s*PRIMARY KEY \("row_id"\)\n/, '\n'));
  if (filled && prefill > 0) {
    await c.run(`INSERT INTO predictions SELECT md5(i::VARCHAR), 'vessels', 'v' || (i % 5000),
      TIMESTAMP '2024-01-01' + to_seconds(i), TIMESTAMP '2024-01-01' + to_seconds(i + 3600), 'ON_TIME', 0, true, 42,
      'fishing-gear', '1', 'champion', 'trawlers', NULL, '{"trawlers":0.9}', now()::TIMESTAMP, 'c0ffee' FROM range(${prefill}) t(i)`);
    await c.run('CHECKPOINT');
  }
}

async function appendDirect(c: DuckDBConnection, slice: readonly Record<string, unknown>[]): Promise<void> {
  const appender = await c.createAppender('predictions');
  const types = def.columns.map((_, i) => appender.columnType(i));
  for (let from = 0; from < slice.length; from += 2048) {
    const part = slice.slice(from, from + 2048);
    const chunk = DuckDBDataChunk.create(types, part.length);
    chunk.setColumns(def.columns.map((col) => part.map((r) => toDuckdbValue(col.type, r[col.name]))));
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

async function runCase(kind: Case, filled: boolean, file: string): Promise<number> {
  const keyed = kind !== 'raw_appender' && kind !== 'anti_join';
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await createTable(c, keyed, filled);
  if (kind === 'sink' || kind === 'sink_replay') {
    c.closeSync();
    instance.closeSync();
    const sink = await DuckDbSink.open({ path: file, tables: [def] });
    const replay = kind === 'sink_replay';
    let n = 0;
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      const batch = batchOf(rows, b, replay);
      await sink.write('predictions', batch);
      n += batch.length;
    }
    const rate = n / ((performance.now() - t0) / 1000);
    const [[total, distinct]] = (await sink.query('SELECT count(*), count(DISTINCT row_id) FROM predictions')).rows;
    const { appended, merged } = sink.stats;
    await sink.close();
    if (total !== distinct) throw new Error(`${kind} is not idempotent: ${total} rows, ${distinct} ids`);
    if (replay ? merged < batches - 1 : appended !== batches) throw new Error(`${kind} took the wrong path: ${appended} appended, ${merged} merged`);
    return rate;
  }
  const writer = await TableWriter.create(c, def);
  let n = 0;
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    const slice = batchOf(parsed, b, kind === 'on_conflict' || kind === 'anti_join');
    await c.run('BEGIN TRANSACTION');
    if (kind === 'raw_appender' || kind === 'pk_appender') await appendDirect(c, slice);
    else {
      await writer.stage(c, slice);
      await c.run(merges[kind]);
      await c.run('DELETE FROM staging_predictions');
    }
    await c.run('COMMIT');
    n += slice.length;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  const [[total, distinct]] = (await c.runAndReadAll('SELECT count(*), count(DISTINCT row_id) FROM predictions')).getRows();
  c.closeSync();
  instance.closeSync();
  if (kind !== 'raw_appender' && total !== distinct) throw new Error(`${kind} is not idempotent: ${total} rows, ${distinct} ids`);
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases: Case[] = (process.env.CASES?.split(',') as Case[] | undefined) ?? ['raw_appender', 'pk_appender', 'on_conflict', 'anti_join', 'sink', 'sink_replay'];
const results = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const filled of [false, true]) {
    for (const kind of cases) {
      const key = `${kind}_${filled ? 'filled' : 'empty'}`;
      const file = join(dir, `${key}-${round}.duckdb`);
      results.set(key, [...(results.get(key) ?? []), await runCase(kind, filled, file)]);
      rmSync(file, { force: true });
      rmSync(`${file}.wal`, { force: true });
      process.stderr.write('.');
    }
  }
}
process.stderr.write('\n');
const summary: Record<string, number | string> = { bench: 'sink-duckdb', batch_rows: batchSize, prefill_rows: prefill };
for (const [key, rates] of results) {
  summary[`${key}_rows_per_s`] = Math.round(median(rates));
  process.stderr.write(`${key}: ${Math.round(median(rates))} rows/s (${rates.map(Math.round).join(', ')})\n`);
}
summary.sink_rows_per_s = summary.sink_filled_rows_per_s;
summary.raw_appender_rows_per_s = summary.raw_appender_filled_rows_per_s;
summary.ratio = Number((median(results.get('sink_filled')!) / median(results.get('raw_appender_filled')!)).toFixed(2));
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(summary));
