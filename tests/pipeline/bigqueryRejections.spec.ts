import { BigQuery } from '@google-cloud/bigquery';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import { predictions as predictionsTable, type PredictionRow } from '../../schemas/tables/predictions.js';
import { defineTable, type TableDef } from '../../schemas/tables/tableDef.js';
import { startPipeline } from '../../services/pipeline/pipeline.js';
import { startSimulator } from '../../services/simulator/simulatorRun.js';
import type { BigQuerySink } from '../../shared/sinks/bigquery/bigquerySink.js';
import { initBigQueryWarehouse } from '../../shared/sinks/bigquery/warehouseInit.js';
import { bigquerySink, describeWithServices, openWarehouse, uniqueTag } from './cloudFixture.js';
import { expectedWindows, testConfig, until, type ExpectedWindows } from './pipelineFixture.js';

/**
 * Issue #6 acceptance: BigQuery refusing some rows in the middle of a pipeline run. The `predictions`
 * table is replaced, after the pipeline's sink has opened, by one of an older schema without the
 * `label` column (someone recreated it from an old definition). BigQuery (here the emulator) then
 * refuses each classifier row, which carries a label, with "no such field", and takes each regressor
 * row, whose label is null and so not sent. The refused rows must land in `dead_letters` with
 * BigQuery's error text and the rest in `predictions`. (The emulator refuses single rows only for an
 * unknown field: a bad value fails the whole request; see shared/sinks/bigquery/bigquerySink.spec.ts.)
 */
const withoutLabel = defineTable({ ...(predictionsTable as TableDef), columns: predictionsTable.columns.filter((c) => c.name !== 'label') });

describeWithServices(['mqtt', 'bigquery'] as const, 'pipeline: rows BigQuery refuses mid-run land in dead_letters, the rest in predictions', (services) => {
  let expected: ExpectedWindows;
  let warehouse: BigQuerySink;
  let stored: PredictionRow[];
  let letters: DeadLetterRow[];

  beforeAll(async () => {
    const { mqtt, bigquery } = services();
    const tag = uniqueTag();
    const datasetId = `pipeline_rejections_${tag}`;
    const { config } = testConfig(mqtt.url, `driftline-rejections-${tag}`, {
      topicRoot: `pipeline-${tag}`,
      sink: bigquerySink(bigquery, datasetId),
    });
    expected = expectedWindows();
    const pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }) });
    try {
      // the sink has created the tables; swap predictions for the old schema before any row lands
      const bq = new BigQuery({ projectId: bigquery.projectId, apiEndpoint: bigquery.apiEndpoint });
      await bq.dataset(datasetId).table('predictions').delete();
      const init = await initBigQueryWarehouse(bq, { datasetId, tables: [withoutLabel], views: false });
      expect(init.tables).toEqual([{ name: 'predictions', action: 'created', changes: [] }]);

      const simulator = await startSimulator(config, config.simulator, pipeline.brokerUrl, 5);
      const published = await simulator.done;
      await simulator.stop();
      expect(published).toBe(expected.messages);
      await until('the dataset to reach the workers', () => {
        const s = pipeline.status();
        return s.ingested >= published && s.worker_records === s.ingested;
      }, 120_000);
      await pipeline.drain();
    } finally {
      await pipeline.stop();
    }
    // read through the table as it now is (no label column)
    warehouse = await openWarehouse(bigquery, datasetId, [withoutLabel]);
    stored = await warehouse.readTable('predictions');
    letters = await warehouse.readTable('dead_letters');
  }, 300_000);

  afterAll(async () => {
    await warehouse?.close();
  });

  const windowsOf = (stream: string) => new Map([...expected.windows].filter(([k]) => k.startsWith(`${stream}|`)));

  it('the rows BigQuery took are exactly the plant windows, each final pane with its event count', () => {
    const finals = stored.filter((r) => r.is_final);
    expect(new Map(finals.map((r) => [`${r.stream}|${r.key}|${r.window_start}`, r.event_count]))).toEqual(windowsOf('plants'));
    expect(stored.every((r) => r.stream === 'plants' && r.value !== null && !('label' in r))).toBe(true);
  });

  it('every vessel row is in dead_letters as rejected, with BigQuery\'s error text and the row itself', () => {
    const rejected = letters.filter((d) => d.reason === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    const rows = rejected.map((d) => JSON.parse(d.payload) as PredictionRow);
    for (const d of rejected) {
      expect(d).toMatchObject({ source: 'bigquery', topic: 'predictions', stream: 'vessels', payload_encoding: 'utf8' });
      expect(d.detail).toBe("BigQuery refused the row for table 'predictions': invalid: no such field: label. (at label)");
    }
    // the final pane of every vessel window, with its label and probabilities intact
    const finals = rows.filter((r) => r.is_final);
    expect(new Map(finals.map((r) => [`${r.stream}|${r.key}|${r.window_start}`, r.event_count]))).toEqual(windowsOf('vessels'));
    for (const r of rows) {
      expect(typeof r.label).toBe('string');
      expect(Object.keys(r.probabilities ?? {})).toContain(r.label);
    }
    // one dead letter per refused row
    expect(new Set(rows.map((r) => r.row_id)).size).toBe(rows.length);
  });

  it('the worker\'s own dead letters (duplicate fixes) still land beside them; nothing else does', () => {
    const byReason = Object.fromEntries(letters.reduce((m, d) => m.set(d.reason, (m.get(d.reason) ?? 0) + 1), new Map<string, number>()));
    expect(Object.keys(byReason).sort()).toEqual(expected.duplicates > 0 ? ['duplicate', 'rejected'] : ['rejected']);
    expect(byReason.duplicate ?? 0).toBe(expected.duplicates);
  });
});
