import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PredictionRow } from '../../schemas/tables/predictions.js';
import { startPipeline } from '../../services/pipeline/pipeline.js';
import type { BigQuerySink } from '../../shared/sinks/bigquery/bigquerySink.js';
import type { ServiceInfo } from '../services/serviceEnv.js';
import { bigquerySink, describeWithServices, inFreshDirectory, kafkaBus, openWarehouse, pubsubBus, uniqueTag } from './cloudFixture.js';
import { DATASET, expectedWindows, testConfig, untilQuiet, type Dataset, type ExpectedWindows } from './pipelineFixture.js';

/**
 * Issue #6 acceptance: the finite simulated fleet → mosquitto → ingest → Kafka or Pub/Sub → worker →
 * BigQuery (emulator), checked by querying BigQuery: one final pane per expected window with its
 * event count, valid model outputs, and every bad payload in `dead_letters` / `late_events`.
 * Each run has its own MQTT topic root, bus topic prefix and dataset.
 */
type Services = Pick<ServiceInfo, 'mqtt' | 'bigquery'> & Partial<ServiceInfo>;

interface Run {
  expected: ExpectedWindows;
  warehouse: BigQuerySink;
  predictions: PredictionRow[];
  rawPredictionRows: number;
}

/** Bad input, sent the way misbehaving devices would, with the reason each must be recorded under. */
const BAD_INPUT: { reason: string; table: 'dead_letters' | 'late_events'; topic: (root: string, mmsi: string) => string; payload: (fix: object) => string }[] = [
  { reason: 'bad_json', table: 'dead_letters', topic: (r, m) => `${r}/vessels/${m}/position`, payload: () => '{"mmsi": "1", "lat":' },
  { reason: 'schema_violation', table: 'dead_letters', topic: (r, m) => `${r}/vessels/${m}/position`, payload: (f) => JSON.stringify({ ...f, lat: 'north' }) },
  { reason: 'impossible_value', table: 'dead_letters', topic: (r, m) => `${r}/vessels/${m}/position`, payload: (f) => JSON.stringify({ ...f, lat: 95 }) },
  { reason: 'identity_mismatch', table: 'dead_letters', topic: (r) => `${r}/vessels/999999999/position`, payload: (f) => JSON.stringify(f) },
  { reason: 'unknown_topic', table: 'dead_letters', topic: (r) => `${r}/unknown/thing`, payload: () => '{"hello":1}' },
  {
    reason: 'future', table: 'late_events', topic: (r, m) => `${r}/vessels/${m}/position`,
    payload: (f) => JSON.stringify({ ...f, timestamp: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
  },
];

interface Scenario {
  readonly bus: 'kafka' | 'pubsub';
  readonly dataset: Dataset;
  readonly worker?: Record<string, unknown>;
  /** each window fires once (no early or late panes) */
  readonly onePanePerWindow: boolean;
  /**
   * `duplicate` dead letters are exactly the dataset's repeated fixes. Pub/Sub is at-least-once: a
   * message redelivered after its checkpoint but before its acknowledgement reaches the worker's
   * duplicate filter again and becomes one more `duplicate` dead letter (README, the Pub/Sub bus).
   */
  readonly exactDuplicates: boolean;
}

/**
 * Pub/Sub runs a smaller fleet with commits every 100 ms: the fake hands out an ordering key's next
 * message only once the one delivered before is acknowledged, and the worker acknowledges at its
 * checkpoints, so each key advances one message per checkpoint interval. Keys therefore arrive out
 * of step with each other in event time (a sparse vessel's whole track before a busy one's first
 * hours): the watermark runs ahead of the busy keys, windows fire early and their late events make
 * late panes. The final pane of each window must still count every event. On Kafka the simulator's
 * publishing order (event time across keys) is kept per partition, and each window fires once.
 */
const SCENARIOS: Record<'kafka' | 'pubsub', Scenario> = {
  kafka: { bus: 'kafka', dataset: DATASET, onePanePerWindow: true, exactDuplicates: true },
  pubsub: { bus: 'pubsub', dataset: { seed: 7, vessels: 4, plants: 2, hours: 2 }, worker: { checkpoint_interval: '100ms' }, onePanePerWindow: false, exactDuplicates: false },
};

async function runPipeline(services: Services, { bus, dataset, worker }: Scenario): Promise<Run> {
  const tag = uniqueTag();
  const root = `pipeline-${tag}`;
  const datasetId = `pipeline_${bus}_${tag}`;
  const { config } = testConfig(services.mqtt.url, `driftline-${bus}-${tag}`, {
    topicRoot: root,
    bus: bus === 'kafka' ? kafkaBus(services.kafka!, tag) : pubsubBus(services.pubsub!, tag),
    sink: bigquerySink(services.bigquery, datasetId),
    dataset,
    ...(worker ? { worker } : {}),
  });
  const expected = expectedWindows(dataset);
  await inFreshDirectory(async () => {
    const pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }), simulator: config.simulator });
    try {
      const published = await pipeline.simulator!.done;
      expect(published).toBe(expected.messages);
      const client = await mqtt.connectAsync(services.mqtt.url, { clientId: `driftline-bad-${tag}` });
      const mmsi = [...expected.windows.keys()].find((k) => k.startsWith('vessels|'))!.split('|')[1]!;
      const fix = { mmsi, timestamp: '2024-01-01T12:00:00Z', lat: 50, lon: -4, speed: 3, course: 90, heading: null };
      for (const bad of BAD_INPUT) await client.publishAsync(bad.topic(root, mmsi), bad.payload(fix), { qos: 1 });
      await client.endAsync();
      // Valid at the ingest: the dataset and the future fix (the worker, not the ingest, judges event time).
      const valid = expected.messages + BAD_INPUT.filter((b) => b.table === 'late_events').length;
      await untilQuiet('the dataset and the bad input to reach the workers', () => {
        const s = pipeline.status();
        return s.received >= published + BAD_INPUT.length && s.ingested >= valid && s.worker_records >= s.ingested;
      }, () => pipeline.status().worker_records, 3000, 120_000).catch((err: Error) => {
        throw new Error(`${err.message}; pipeline status: ${JSON.stringify(pipeline.status())}`);
      });
      await pipeline.drain();
    } finally {
      await pipeline.stop();
    }
  });
  const warehouse = await openWarehouse(services.bigquery, datasetId);
  const predictions = await warehouse.readTable('predictions');
  const [{ n }] = (await warehouse.query(`SELECT COUNT(*) AS n FROM ${warehouse.tableRef('predictions')}`)) as [{ n: number }];
  return { expected, warehouse, predictions, rawPredictionRows: Number(n) };
}

function scenario(settings: Scenario, services: () => Services): void {
  let run: Run;
  beforeAll(async () => {
    run = await runPipeline(services(), settings);
  }, 300_000);
  afterAll(async () => {
    await run?.warehouse.close();
  });

  it('BigQuery holds exactly one final champion pane per expected window, with its event count, and no row twice', () => {
    const { predictions, expected } = run;
    const finals = predictions.filter((r) => r.is_final && r.model_role === 'champion');
    const got = new Map(finals.map((r) => [`${r.stream}|${r.key}|${r.window_start}`, r.event_count]));
    expect(got).toEqual(expected.windows);
    expect(finals.length).toBe(expected.windows.size);
    // no stray windows, no shadow rows (the config has none), no pane twice, no stored copy of a row
    for (const r of predictions) expect(expected.windows.has(`${r.stream}|${r.key}|${r.window_start}`)).toBe(true);
    expect(new Set(predictions.map((r) => r.model_role))).toEqual(new Set(['champion']));
    expect(new Set(predictions.map((r) => `${r.stream}|${r.key}|${r.window_start}|${r.pane_index}`)).size).toBe(predictions.length);
    expect(run.rawPredictionRows).toBe(predictions.length);
    if (settings.onePanePerWindow) expect(predictions.length).toBe(expected.windows.size);
    expect(new Set(predictions.map((r) => r.model))).toEqual(new Set(['fishing-gear', 'cooling-pue']));
  });

  it('vessel rows carry a probability distribution whose argmax is the label; plant rows a PUE', () => {
    expect(new Set(run.predictions.map((r) => r.stream))).toEqual(new Set(['vessels', 'plants']));
    for (const row of run.predictions) {
      if (row.stream === 'vessels') {
        const p = Object.values(row.probabilities!);
        expect(p.length).toBeGreaterThan(1);
        for (const x of p) expect(x).toBeGreaterThanOrEqual(0);
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        const best = Object.entries(row.probabilities!).sort((a, b) => b[1] - a[1])[0]![0];
        expect(row.label).toBe(best);
        expect(row.value).toBeNull();
      } else {
        expect(row.label).toBeNull();
        expect(row.value!).toBeGreaterThan(1);
        expect(row.value!).toBeLessThan(2);
      }
    }
  });

  it('every bad payload and every duplicate fix is in dead_letters or late_events with its reason', async () => {
    const { warehouse, expected } = run;
    const byReason = async (table: 'dead_letters' | 'late_events') => Object.fromEntries(
      (await warehouse.readTable(table)).reduce((m, r) => m.set(r.reason, (m.get(r.reason) ?? 0) + 1), new Map<string, number>()));
    const want = (table: string) => Object.fromEntries(BAD_INPUT.filter((b) => b.table === table).map((b) => [b.reason, 1]));
    const dead = await byReason('dead_letters');
    const { duplicate = 0, ...rest } = dead;
    expect(rest).toEqual(want('dead_letters'));
    if (settings.exactDuplicates) expect(duplicate).toBe(expected.duplicates);
    else expect(duplicate).toBeGreaterThanOrEqual(expected.duplicates);
    expect(await byReason('late_events')).toEqual(want('late_events'));
  });
}

describeWithServices(['mqtt', 'kafka', 'bigquery'] as const,
  'pipeline on Kafka: simulator → mosquitto → ingest → Kafka → worker → BigQuery emulator', (services) => {
    scenario(SCENARIOS.kafka, services);
  });

describeWithServices(['mqtt', 'pubsub', 'bigquery'] as const,
  'pipeline on Pub/Sub: simulator → mosquitto → ingest → Pub/Sub fake → worker → BigQuery emulator', (services) => {
    scenario(SCENARIOS.pubsub, services);
  });
