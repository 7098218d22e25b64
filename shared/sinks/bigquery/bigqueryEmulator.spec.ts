import { BigQuery, type TableField, type TableMetadata } from '@google-cloud/bigquery';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bigqueryFields, normalizeBigQueryType } from '../../../schemas/tables/bigquerySchema.js';
import { nullable, required, type Column } from '../../../schemas/tables/column.js';
import { rowSchema } from '../../../schemas/tables/rowSchema.js';
import { defineTable, type TableDef } from '../../../schemas/tables/tableDef.js';
import { tableNames, warehouseTables, type Row, type TableName } from '../../../schemas/tables/tables.js';
import { classifierPrediction, deadLetter, lateEvent, regressorPrediction, vessel } from '../../../schemas/tables/testRows.js';
import { vessels } from '../../../schemas/tables/vessels.js';
import { describeWithService } from '../../../tests/services/serviceEnv.js';
import { openSink } from '../openSink.js';
import { analystSql, deadLettersByReason, fishingHoursByGearPerDay, latestPuePerHall } from './analystQueries.js';
import { BigQuerySink } from './bigquerySink.js';
import { dedupViewName } from './dedupViews.js';
import { initBigQueryWarehouse, WarehouseInitRefusedError } from './warehouseInit.js';

/**
 * The BigQuery warehouse against the real goccy/bigquery-emulator (`infra/local/bigquery.sh start`).
 * Datasets are named uniquely per run. The emulator (v0.8.1) leaks memory in its GoogleSQL engine on
 * every table, view and dataset created or dropped (measured: ~35 MB per dataset of four tables,
 * ~250 MB more with the four views, and dropping views costs more still) and panics once that passes
 * 2 GB. The emulator is shared by every service test of a CI run, so this suite keeps to few
 * datasets, creates views only where they are under test, and does not drop its datasets (the
 * emulator is in memory: they go when it stops).
 */
const bin = fileURLToPath(new URL('../../../bin/driftline.js', import.meta.url));
const quiet = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 50))), onRetry: () => undefined };

describeWithService('bigquery', 'BigQuery warehouse on the emulator', (service) => {
  const run = randomUUID().slice(0, 8);
  let n = 0;
  let bq: BigQuery;
  const client = () => (bq ??= new BigQuery({ projectId: service().projectId, apiEndpoint: service().apiEndpoint }));
  const newDataset = () => {
    return `driftline_test_${run}_${++n}`;
  };
  const openBigQuerySink = (datasetId: string, extra: Partial<Parameters<typeof BigQuerySink.open>[0]> = {}) =>
    BigQuerySink.open({ projectId: service().projectId, apiEndpoint: service().apiEndpoint, datasetId, retryHooks: quiet, ...extra });
  const fieldsOf = (meta: TableMetadata) =>
    ((meta.schema?.fields ?? []) as TableField[]).map((f) => [f.name, normalizeBigQueryType(f.type ?? ''), f.mode ?? 'NULLABLE']);

  let shared: string | undefined;
  /** The dataset the first test creates with views; later tests of the same suite add their own keys to it. */
  const sharedDataset = async () => {
    if (!shared) {
      shared = newDataset();
      await initBigQueryWarehouse(client(), { datasetId: shared });
    }
    return shared;
  };

  it('init creates the dataset, all tables with their schema, partitioning and clustering, and the dedup views; init twice is a no-op', async () => {
    const datasetId = newDataset();
    const report = await initBigQueryWarehouse(client(), { datasetId, location: 'US' });
    shared = datasetId;
    expect(report.datasetCreated).toBe(true);
    expect(report.tables.map((t) => [t.name, t.action])).toEqual(tableNames.map((name) => [name, 'created']));
    for (const name of tableNames) {
      const def = warehouseTables[name];
      const [meta] = await client().dataset(datasetId).table(name).getMetadata();
      expect(fieldsOf(meta)).toEqual(bigqueryFields(def).map((f) => [f.name, f.type, f.mode]));
      expect(meta.timePartitioning ? { type: meta.timePartitioning.type, field: meta.timePartitioning.field } : undefined)
        .toEqual(def.partitioning ? { type: def.partitioning.granularity, field: def.partitioning.column } : undefined);
      expect(meta.clustering?.fields).toEqual(def.clustering ? [...def.clustering] : undefined);
    }
    expect(report.views.map((v) => [v.name, v.action])).toEqual(tableNames.map((name) => [`${name}_dedup`, 'created']));

    const again = await initBigQueryWarehouse(client(), { datasetId, location: 'US' });
    expect(again.datasetCreated).toBe(false);
    expect(again.tables.map((t) => [t.name, t.action, t.changes])).toEqual(tableNames.map((name) => [name, 'unchanged', []]));
    expect(again.views.map((v) => v.action)).toEqual(tableNames.map(() => 'unchanged'));
  });

  const grownVessels = defineTable({
    ...(vessels as TableDef),
    columns: [...vessels.columns, nullable('flag', 'string', 'Flag state (ISO 3166 alpha-3).')],
  });

  it('a table whose schema gained a nullable column is migrated in place; stored rows stay', async () => {
    const datasetId = newDataset();
    const sink = await openBigQuerySink(datasetId, { views: false });
    await sink.write('vessels', [vessel(), vessel({ mmsi: '2' })]);
    const report = await initBigQueryWarehouse(client(), { datasetId, tables: [grownVessels], views: false });
    expect(report.tables).toEqual([{ name: 'vessels', action: 'updated', changes: ["add column 'flag' STRING NULLABLE"] }]);
    const [meta] = await client().dataset(datasetId).table('vessels').getMetadata();
    expect(fieldsOf(meta).at(-1)).toEqual(['flag', 'STRING', 'NULLABLE']);
    expect(fieldsOf(meta).slice(0, -1)).toEqual(bigqueryFields(vessels).map((f) => [f.name, f.type, f.mode]));
    expect(await sink.query(`SELECT mmsi FROM ${sink.tableRef('vessels')} ORDER BY mmsi`)).toEqual([{ mmsi: '2' }, { mmsi: vessel().mmsi }]);
    expect((await initBigQueryWarehouse(client(), { datasetId, tables: [grownVessels], views: false })).tables[0].action).toBe('unchanged');
    // Not asserted: writing the new column afterwards. The emulator (v0.8.1) patches the table's metadata but
    // not its storage, so it answers "Column flag is not present"; real BigQuery takes it at once.
  });

  it('rows BigQuery rejects land in dead_letters with its error text; the rest of the batch lands', async () => {
    // A writer deployed with a newer schema before anyone ran warehouse init: its rows carry a column the
    // table lacks, and BigQuery (here the emulator) refuses exactly those rows with "no such field".
    const datasetId = newDataset();
    await initBigQueryWarehouse(client(), { datasetId, views: false });
    const sink = await openBigQuerySink(datasetId, { tables: [grownVessels], init: false });
    const reader = await openBigQuerySink(datasetId, { init: false });
    const rejected = { ...vessel({ mmsi: '3' }), flag: 'FRA' };
    const result = await sink.write('vessels', [vessel({ mmsi: '1' }), rejected as never, vessel({ mmsi: '2' })]);
    expect(result).toEqual({ written: 2, deadLettered: 1 });
    expect((await reader.readTable('vessels')).map((v) => v.mmsi)).toEqual(['1', '2']);
    const letters = await reader.readTable('dead_letters');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ source: 'bigquery', topic: 'vessels', reason: 'rejected', stream: null, payload_encoding: 'utf8' });
    expect(letters[0].detail).toBe("BigQuery refused the row for table 'vessels': invalid: no such field: flag. (at flag)");
    expect(JSON.parse(letters[0].payload)).toEqual(rowSchema(grownVessels).parse(rejected));
    // the same rejection replayed keeps one dead letter per id
    await sink.write('vessels', [rejected as never]);
    expect(await reader.readTable('dead_letters')).toHaveLength(1);
  });

  it('refuses a change BigQuery cannot make in place, naming table, column, both types and the fix, and changes nothing', async () => {
    const datasetId = newDataset();
    await initBigQueryWarehouse(client(), { datasetId, views: false });
    const columns: Column[] = vessels.columns.filter((c) => c.name !== 'to_port').map((c) => (c.name === 'imo' ? nullable('imo', 'string', 'IMO') : c));
    const retyped = defineTable({ ...(vessels as TableDef), columns: [...columns, required('flag', 'string', 'flag')] });
    const attempt = initBigQueryWarehouse(client(), { datasetId, tables: [retyped], views: false });
    await expect(attempt).rejects.toBeInstanceOf(WarehouseInitRefusedError);
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).toContain(`BigQuery table 'vessels' cannot be migrated`);
    expect(message).toContain(`column 'imo' is INTEGER NULLABLE in ${service().projectId}.${datasetId}.vessels but declared STRING NULLABLE`);
    expect(message).toContain("column 'to_port' (INTEGER NULLABLE) is in");
    expect(message).toContain('never drops a column');
    expect(message).toContain("column 'flag' (STRING REQUIRED) is new");
    expect(message).toMatch(/Fix: declare it with nullable\(\)/);
    const [meta] = await client().dataset(datasetId).table('vessels').getMetadata();
    expect(fieldsOf(meta)).toEqual(bigqueryFields(vessels).map((f) => [f.name, f.type, f.mode]));
  });

  it('the sink writes rows of all four tables and reads them back through a query, one per id after a replay', async () => {
    const datasetId = await sharedDataset();
    const sink = await openBigQuerySink(datasetId);
    expect(sink.initReport?.tables.every((t) => t.action === 'unchanged')).toBe(true);
    const samples: { [T in TableName]: Row<T>[] } = {
      predictions: [classifierPrediction(), regressorPrediction()],
      dead_letters: [deadLetter()],
      late_events: [lateEvent(), lateEvent({ id: 'le-2', watermark: null, reason: 'future', detail: null })],
      vessels: [vessel(), vessel({ mmsi: '1', shipname: null, imo: null, to_bow: null })],
    };
    for (const table of tableNames) {
      expect(await sink.write(table, samples[table] as never)).toEqual({ written: samples[table].length, deadLettered: 0 });
    }
    // a worker replaying from its last commit writes the same rows again
    for (const table of tableNames) await sink.write(table, samples[table] as never);
    for (const table of tableNames) {
      const pk = warehouseTables[table].primaryKey;
      const expected = samples[table].map((r) => rowSchema(warehouseTables[table]).parse(r) as Record<string, unknown>)
        .sort((a, b) => (String(a[pk]) < String(b[pk]) ? -1 : 1));
      expect(await sink.readTable(table)).toEqual(expected);
      // the emulator does not de-duplicate insertIds (BigQuery does, best effort): either way the read above holds
      const copies = (await sink.readTable(table, { dedup: false })).length;
      expect([samples[table].length, 2 * samples[table].length]).toContain(copies);
      const [viewRows] = await client().query(`SELECT COUNT(*) AS n FROM ${sink.tableRef(dedupViewName(warehouseTables[table]))}`);
      expect(viewRows).toEqual([{ n: samples[table].length }]);
    }
  });

  it('vessels: the dedup view and readTable keep the newest report per MMSI, whatever order reports land in', async () => {
    const sink = await openBigQuerySink(await sharedDataset());
    await sink.write('vessels', [vessel({ mmsi: '9', shipname: 'NEWER', updated_at: Date.UTC(2024, 5, 1) })]);
    await sink.write('vessels', [vessel({ mmsi: '9', shipname: 'OLDER', updated_at: Date.UTC(2024, 4, 1) })]);
    expect((await sink.readTable('vessels', { where: "mmsi = '9'" })).map((v) => v.shipname)).toEqual(['NEWER']);
    expect(await sink.query(`SELECT shipname FROM ${sink.tableRef('vessels_dedup')} WHERE mmsi = '9'`)).toEqual([{ shipname: 'NEWER' }]);
  });

  it('openSink({ kind: bigquery }) opens the warehouse and lands rows; invalid rows become dead letters', async () => {
    const datasetId = await sharedDataset();
    const sink = await openSink({ kind: 'bigquery', project_id: service().projectId, dataset: datasetId, location: 'US', api_endpoint: service().apiEndpoint });
    expect(sink).toBeInstanceOf(BigQuerySink);
    const invalid = { ...regressorPrediction({ key: 'hall-x' }), value: 'high' };
    const result = await sink.write('predictions', [classifierPrediction({ key: 'open-sink' }), invalid as never]);
    expect(result).toEqual({ written: 1, deadLettered: 1 });
    const bq = sink as BigQuerySink;
    expect((await bq.readTable('predictions', { where: "key = 'open-sink'" })).map((p) => p.key)).toEqual(['open-sink']);
    const letters = await bq.readTable('dead_letters', { where: "reason = 'invalid_row'" });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ source: 'bigquery', topic: 'predictions', stream: 'plants' });
    expect(letters[0].detail).toContain('value');
    expect(JSON.parse(letters[0].payload)).toMatchObject({ key: 'hall-x', value: 'high' });
    await sink.close();
  });

  it('the README example queries run and give the expected answers', async () => {
    const datasetId = newDataset();
    const sink = await openBigQuerySink(datasetId);
    const day = (d: number, h = 0) => Date.UTC(2024, 4, d, h);
    const gear = (key: string, d: number, label: string, extra: Partial<Row<'predictions'>> = {}) => classifierPrediction({
      key, window_start: day(d), window_end: day(d + 1), label, model: 'fishing-gear', model_role: 'champion', is_final: true, ...extra,
    });
    await sink.write('predictions', [
      gear('1', 1, 'trawlers'), gear('2', 1, 'trawlers'), gear('3', 1, 'purse_seines'), gear('4', 1, 'non_fishing'),
      gear('1', 2, 'trawlers'),
      gear('5', 1, 'trawlers', { is_final: false, pane_index: 0, pane_timing: 'EARLY' }), // early pane: not counted
      gear('6', 1, 'trawlers', { model_role: 'shadow' }), // shadow model: not counted
      regressorPrediction({ key: 'hall-a', model: 'cooling-pue', model_role: 'champion', window_start: day(1, 10), window_end: day(1, 11), value: 1.12 }),
      regressorPrediction({ key: 'hall-a', model: 'cooling-pue', model_role: 'champion', window_start: day(1, 11), window_end: day(1, 12), value: 1.15 }),
      regressorPrediction({ key: 'hall-b', model: 'cooling-pue', model_role: 'champion', window_start: day(1, 10), window_end: day(1, 11), value: 1.3 }),
      regressorPrediction({ key: 'hall-b', model: 'cooling-pue', model_role: 'shadow', window_start: day(1, 11), window_end: day(1, 12), value: 9 }),
    ]);
    await sink.write('dead_letters', [
      deadLetter({ id: 'a' }), deadLetter({ id: 'b' }), deadLetter({ id: 'c', reason: 'schema_violation', detail: 'lat: too big' }),
    ]);
    const { projectId } = service();
    const fishing = await sink.query(analystSql(fishingHoursByGearPerDay, projectId, datasetId));
    expect(fishing.map((r) => [(r.day as { value: string }).value, r.gear, r.fishing_hours, r.vessels])).toEqual([
      ['2024-05-01', 'purse_seines', 24, 1],
      ['2024-05-01', 'trawlers', 48, 2],
      ['2024-05-02', 'trawlers', 24, 1],
    ]);
    const pue = await sink.query(analystSql(latestPuePerHall, projectId, datasetId));
    expect(pue.map((r) => [r.hall, r.predicted_pue])).toEqual([['hall-a', 1.15], ['hall-b', 1.3]]);
    const letters = await sink.query(analystSql(deadLettersByReason, projectId, datasetId));
    expect(letters.map((r) => [r.reason, r.source, r.letters])).toEqual([['bad_json', 'mqtt', 2], ['schema_violation', 'mqtt', 1]]);
  });

  it('driftline warehouse init -c <yaml>: creates, then reports unchanged, and exits 1 with the message on a refused change', async () => {
    const datasetId = newDataset();
    const dir = mkdtempSync(join(tmpdir(), 'driftline-bq-cli-'));
    const config = join(dir, 'driftline.yaml');
    writeFileSync(config, `sink:\n  kind: bigquery\n  project_id: ${service().projectId}\n  dataset: ${datasetId}\n  api_endpoint: ${service().apiEndpoint}\n`);
    const cli = () => spawnSync(process.execPath, [bin, 'warehouse', 'init', '-c', config], { encoding: 'utf8', timeout: 60_000 });
    const first = cli();
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`BigQuery dataset ${service().projectId}.${datasetId} (created):`);
    expect(first.stdout).toContain('table predictions: created');
    const second = cli();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('table predictions: unchanged');
    expect(second.stdout).toContain('view predictions_dedup: unchanged');
    // someone retyped a column by hand: init must refuse rather than fight it
    await client().dataset(datasetId).table('vessels').delete();
    await client().dataset(datasetId).createTable('vessels', {
      schema: { fields: bigqueryFields(vessels).map((f) => (f.name === 'shiptype' ? { ...f, type: 'STRING' } : { ...f })) },
    });
    const refused = cli();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`column 'shiptype' is STRING NULLABLE in ${service().projectId}.${datasetId}.vessels but declared INTEGER NULLABLE`);
    expect(refused.stderr).toContain('Fix: add a new column');
  }, 180_000);
});
