/**
 * bench:sink-duckdb: how fast rows land idempotently in DuckDB, against the raw appender (not
 * idempotent) in the same run. Every case appends each batch through the appender and commits it
 * (one fsync) in its own transaction; they differ in how a replayed row is kept out:
 * - raw_appender: appender straight into a table without a key (the baseline; replays duplicate)
 * - on_conflict: staging table, then INSERT ... ON CONFLICT DO NOTHING into the primary-keyed table (what the sink does)
 * - or_replace: staging table, then INSERT OR REPLACE into the primary-keyed table
 * - anti_join: staging table, then INSERT ... WHERE NOT EXISTS into a table without a key
 * - sink: DuckDbSink.write itself (on_conflict plus row validation)
 * Each batch repeats 10% of the previous one, as a replay after a crash does. Cases run on an empty
 * table and on one already holding PREFILL rows, alternating, ROUNDS times; medians are reported.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdbCreateTable } from '../schemas/tables/duckdbDdl.js';
import type { PredictionRow } from '../schemas/tables/predictions.js';
import { rowSchema } from '../schemas/tables/rowSchema.js';
import { warehouseTables } from '../schemas/tables/tables.js';
import { classifierPrediction } from '../schemas/tables/testRows.js';
import { DuckDbSink } from '../shared/sinks/duckdb/duckdbSink.js';
import { TableWriter } from '../shared/sinks/duckdb/tableWriter.js';

const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-duckdb-'));
const batchSize = Number(process.env.BATCH ?? 1000);
const batches = Number(process.env.BATCHES ?? 40);
const prefill = Number(process.env.PREFILL ?? 1_000_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const def = warehouseTables.predictions;

// rows made before timing: row ids are sha256 hashes, not what is measured
const base = Date.UTC(2025, 0, 1);
const rows: PredictionRow[] = Array.from({ length: batchSize * batches }, (_, i) =>
  classifierPrediction({ key: `v${i % 5000}`, window_start: base + i * 1000, window_end: base + i * 1000 + 3_600_000 }));
const parsed = rows.map((r) => rowSchema(def).parse(r) as Record<string, unknown>);
const replay = Math.floor(batchSize / 10);
const batchOf = <T>(all: T[], b: number): T[] => all.slice(Math.max(0, b * batchSize - replay), (b + 1) * batchSize);

type Case = 'raw_appender' | 'on_conflict' | 'or_replace' | 'anti_join' | 'sink';
const merges: Record<Exclude<Case, 'raw_appender' | 'sink'>, string> = {
  on_conflict: 'INSERT INTO main.predictions BY NAME SELECT * FROM staging_predictions ON CONFLICT DO NOTHING',
  or_replace: 'INSERT OR REPLACE INTO main.predictions BY NAME SELECT * FROM staging_predictions',
  anti_join: 'INSERT INTO main.predictions BY NAME SELECT * FROM staging_predictions s ' +
    'WHERE NOT EXISTS (SELECT 1 FROM main.predictions p WHERE p.row_id = s.row_id) QUALIFY row_number() OVER (PARTITION BY s.row_id) = 1',
};

async function prefillTable(c: DuckDBConnection): Promise<void> {
  if (prefill > 0) {
    await c.run(`INSERT INTO predictions SELECT md5(i::VARCHAR), 'vessels', 'v' || (i % 5000),
      TIMESTAMP '2024-01-01' + to_seconds(i), TIMESTAMP '2024-01-01' + to_seconds(i + 3600), 'ON_TIME', 0, true, 42,
      'fishing-gear', '1', 'champion', 'trawlers', NULL, '{"trawlers":0.9}', now()::TIMESTAMP, 'c0ffee' FROM range(${prefill}) t(i)`);
    await c.run('CHECKPOINT');
  }
}

async function runCase(kind: Case, filled: boolean, round: number): Promise<number> {
  const file = join(dir, `${kind}-${filled}-${round}.duckdb`);
  if (kind === 'sink') {
    const setup = await DuckDBInstance.create(file);
    const c = await setup.connect();
    for (const sql of duckdbCreateTable(def)) await c.run(sql);
    if (filled) await prefillTable(c);
    c.closeSync();
    setup.closeSync();
    const sink = await DuckDbSink.open({ path: file, tables: [def] });
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) await sink.write('predictions', batchOf(rows, b));
    const rate = (batches * batchSize) / ((performance.now() - t0) / 1000);
    await sink.close();
    return rate;
  }
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  const keyed = kind === 'on_conflict' || kind === 'or_replace';
  const ddl = duckdbCreateTable(def)[0];
  await c.run(keyed ? ddl : ddl.replace(/,\n\s*PRIMARY KEY \("row_id"\)\n/, '\n'));
  if (filled) await prefillTable(c);
  const writer = await TableWriter.create(c, def);
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) {
    await c.run('BEGIN TRANSACTION');
    if (kind === 'raw_appender') {
      const appender = await c.createAppender('predictions');
      const { DuckDBDataChunk } = await import('@duckdb/node-api');
      const { toDuckdbValue } = await import('../shared/sinks/duckdb/duckdbValues.js');
      const slice = batchOf(parsed, b);
      const types = def.columns.map((_, i) => appender.columnType(i));
      for (let from = 0; from < slice.length; from += 2048) {
        const part = slice.slice(from, from + 2048);
        const chunk = DuckDBDataChunk.create(types, part.length);
        chunk.setColumns(def.columns.map((col) => part.map((r) => toDuckdbValue(col.type, r[col.name]))));
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
    } else {
      await writer.stage(c, batchOf(parsed, b));
      await c.run(merges[kind]);
      await c.run('DELETE FROM staging_predictions');
    }
    await c.run('COMMIT');
  }
  const rate = (batches * batchSize) / ((performance.now() - t0) / 1000);
  const [[total, distinct]] = (await c.runAndReadAll('SELECT count(*), count(DISTINCT row_id) FROM predictions')).getRows();
  if (kind !== 'raw_appender' && total !== distinct) throw new Error(`${kind} is not idempotent: ${total} rows, ${distinct} ids`);
  c.closeSync();
  instance.closeSync();
  return rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases: Case[] = ['raw_appender', 'on_conflict', 'or_replace', 'anti_join', 'sink'];
const results = new Map<string, number[]>();
for (let round = 0; round < rounds; round++) {
  for (const filled of [false, true]) {
    for (const kind of cases) {
      const key = `${kind}_${filled ? 'filled' : 'empty'}`;
      results.set(key, [...(results.get(key) ?? []), await runCase(kind, filled, round)]);
      rmSync(join(dir, `${kind}-${filled}-${round}.duckdb`), { force: true });
    }
  }
}
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
