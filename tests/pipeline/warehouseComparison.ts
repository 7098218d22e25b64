import { BigQuery } from '@google-cloud/bigquery';
import { pino } from 'pino';
import { predictions } from '../../schemas/tables/predictions.js';
import { startPipeline } from '../../services/pipeline/pipeline.js';
import { fromBigQueryValue } from '../../shared/sinks/bigquery/bigqueryValues.js';
import { dedupViewName } from '../../shared/sinks/bigquery/dedupViews.js';
import type { BigQueryService, KafkaService } from '../services/serviceEnv.js';
import { bigquerySink, inFreshDirectory, kafkaBus } from './cloudFixture.js';
import { testConfig, untilQuiet } from './pipelineFixture.js';

/**
 * What the Kafka crash and consumer-group tests compare: the `predictions` rows of a run through
 * separate `driftline` processes against those of one uninterrupted in-process run on Kafka. Both
 * runs read the same MQTT topic root (the config hash, a column of every row, covers the topics),
 * have no idle timeout (windows fire only at the final drain, whatever the pauses of a crash or a
 * rebalance, so both runs emit the same panes) and write to datasets of their own.
 */

/** Every column but processed_at, the one a replay may change. */
export const COMPARED_COLUMNS = predictions.columns.map((c) => c.name).filter((n) => n !== 'processed_at');

/** The `predictions_dedup` view (one row per row_id, as analysts read it), compared columns only, by row_id. */
export async function dedupPredictions(bigquery: BigQueryService, dataset: string): Promise<Record<string, unknown>[]> {
  const bq = new BigQuery({ projectId: bigquery.projectId, apiEndpoint: bigquery.apiEndpoint });
  const [rows] = await bq.query({
    query: `SELECT ${COMPARED_COLUMNS.join(', ')} FROM \`${bigquery.projectId}.${dataset}.${dedupViewName(predictions)}\` ORDER BY row_id`,
  });
  const types = new Map(predictions.columns.map((c) => [c.name, c.type]));
  return (rows as Record<string, unknown>[]).map((row) =>
    Object.fromEntries(COMPARED_COLUMNS.map((name) => [name, fromBigQueryValue(types.get(name)!, row[name])])));
}

/** Rows stored in the raw `predictions` table and how many of them repeat a row_id already stored. */
export async function rawPredictionCounts(bigquery: BigQueryService, dataset: string): Promise<{ rows: number; duplicates: number }> {
  const bq = new BigQuery({ projectId: bigquery.projectId, apiEndpoint: bigquery.apiEndpoint });
  const [rows] = await bq.query({
    query: `SELECT COUNT(*) AS n, COUNT(DISTINCT row_id) AS ids FROM \`${bigquery.projectId}.${dataset}.predictions\``,
  });
  const row = rows[0] as { n: number; ids: number };
  return { rows: Number(row!.n), duplicates: Number(row!.n) - Number(row!.ids) };
}

/** One uninterrupted in-process run (simulator → mosquitto → ingest → Kafka → worker → BigQuery) into `dataset`. */
export async function uninterruptedKafkaRun(
  services: { mqtt: { url: string }; kafka: KafkaService; bigquery: BigQueryService },
  o: { tag: string; topicRoot: string; dataset: string },
): Promise<void> {
  const { config } = testConfig(services.mqtt.url, `driftline-ref-${o.tag}`, {
    idleTimeout: null,
    topicRoot: o.topicRoot,
    bus: kafkaBus(services.kafka, `ref-${o.tag}`),
    sink: bigquerySink(services.bigquery, o.dataset),
  });
  await inFreshDirectory(async () => {
    const pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }), simulator: config.simulator });
    try {
      const published = await pipeline.simulator!.done;
      await untilQuiet('the reference run to take in the dataset', () => {
        const s = pipeline.status();
        return s.ingested >= published && s.worker_records >= s.ingested;
      }, () => pipeline.status().worker_records, 3000, 120_000);
      await pipeline.drain();
    } finally {
      await pipeline.stop();
    }
  });
}
