import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { pino } from 'pino';
import { register as globalRegistry, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantTelemetrySchema } from '../../schemas/messages/plantTelemetry.js';
import type { Row, TableName } from '../../schemas/tables/tables.js';
import type { OutgoingRecord } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { driftlineConfigSchema, type DriftlineConfig } from '../../shared/config/configSchema.js';
import { DEAD_LETTER_TOPIC, deadLetterRecord } from '../../shared/deadLetters/deadLetter.js';
import { DEFAULT_MODELS_DIR } from '../../shared/models/defaultModelsDir.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import type { Sink, WriteResult } from '../../shared/sinks/sink.js';
import { plantPayload } from '../ingest-mqtt/testStreams.js';
import { startWorker, type FeatureWorker } from './featureWorker.js';

/**
 * A real worker (embedded bus, DuckDB, the committed cooling-pue model) fed a scripted stream, and
 * its registry read back: every count must equal what landed in the warehouse or what the worker's
 * own stats say, and the scripted events must show up under the right labels.
 */
const silent = pino({ level: 'silent' });
const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

function plantEvent(minute: number, plant = 'p1'): OutgoingRecord {
  const e = plantTelemetrySchema.parse({ ...plantPayload(plant, 0), timestamp: new Date(T0 + minute * MIN).toISOString() });
  return { key: plant, value: JSON.stringify(e) };
}

function config(dir: string): DriftlineConfig {
  return driftlineConfigSchema.parse({
    streams: {
      plants: {
        schema: 'plant_telemetry', topic: 'spec/plants/{key}/telemetry',
        window: { kind: 'tumbling', size: '5m' },
        // no idleness: the watermark moves with event time only, so the panes follow from the script
        watermark: { max_out_of_orderness: 0, idle_timeout: null, advance_when_idle: false },
        allowed_lateness: '1h', max_future_skew: '1h', trigger: { early_every: '300ms' },
        features: 'cooling-plant', model: { name: 'cooling-pue', version: '1.0.0' },
      },
    },
    bus: { kind: 'embedded', path: join(dir, 'bus.sqlite'), partitions: 1 },
    sink: { kind: 'duckdb', path: ':memory:' },
    simulator: { enabled: false },
  });
}

/** A warehouse that can be made to fail, to watch readiness drop and come back. */
class FlakySink implements Sink {
  failing = false;
  constructor(private readonly inner: Sink) {}
  write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult> {
    if (this.failing) return Promise.reject(new Error('warehouse unavailable (spec)'));
    return this.inner.write(table, rows);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Sum of a metric's samples whose labels include `labels` (`sample` picks _count/_sum/_bucket of a histogram). */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}, sample = name): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not on the registry`);
  const { values } = await metric.get();
  return values
    .filter((v) => ((v as { metricName?: string }).metricName ?? name) === sample)
    .filter((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x))
    .reduce((a, v) => a + v.value, 0);
}

/** label sets and values of a metric, as `k=v,k=v → value` */
async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return Object.fromEntries(values.map((v) => [Object.entries(v.labels).sort().map(([k, x]) => `${k}=${x}`).join(','), v.value]));
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function count(sink: DuckDbSink, sql: string): Promise<Record<string, number>> {
  const { rows } = await sink.query(sql);
  return Object.fromEntries(rows.map(([k, n]) => [String(k), Number(n)]));
}

describe('feature worker metrics (real worker: embedded bus → DuckDB)', { timeout: 180_000 }, () => {
  let dir: string;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftline-worker-metrics-'));
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  async function worker(name: string, registry: Registry, onRowsLanded?: () => void) {
    const home = join(dir, name);
    const cfg = config(home);
    const bus = new EmbeddedBus({ path: join(home, 'bus.sqlite'), partitions: 1, retentionIntervalMs: 0 });
    const warehouse = await DuckDbSink.open({ path: ':memory:' });
    const sink = new FlakySink(warehouse);
    const w: FeatureWorker = await startWorker({
      config: cfg, bus, sink, modelsDir: DEFAULT_MODELS_DIR, logger: silent, registry,
      checkpointPath: join(home, 'checkpoints.sqlite'), checkpointIntervalMs: 50,
      ...(onRowsLanded ? { onRowsLanded } : {}),
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await w.stop();
      await warehouse.close();
      await bus.close();
    };
    closers.push(stop);
    const producer = await bus.producer();
    closers.push(() => producer.close());
    return { w, warehouse, sink, producer, stop };
  }

  it('counts what happened: records, panes by timing, rows by model, late events and dead letters by reason, model latency by backend; readiness follows the loop', async () => {
    const registry = new Registry();
    let landings = 0;
    const { w, warehouse, sink, producer, stop } = await worker('main', registry, () => landings++);
    expect(w.isReady()).toBe(true);

    const script: OutgoingRecord[] = [
      ...Array.from({ length: 15 }, (_, m) => plantEvent(m)), // windows [0,5) [5,10) fire ON_TIME at minute 14
      plantEvent(20), // [10,15) fires ON_TIME
      plantEvent(12.5), // behind the watermark, within allowed lateness: a LATE pane of [10,15)
      plantEvent(130), // [20,25) fires ON_TIME; [130,135) stays open and gets an EARLY pane after 300 ms
      plantEvent(3.5), // [0,5) is past its lateness (5 + 60 < 130 minutes): late_events, reason late
      { key: 'p1', value: plantEvent(0).value.replace(/"timestamp":\d+/, `"timestamp":${Date.now() + 86_400_000}`) }, // reason future
      { key: 'p1', value: 'not json' }, // dead letter bad_json
      plantEvent(1), // the same key and event time again: dead letter duplicate
    ];
    await producer.send('plants', script);
    // a dead letter of the ingest, which the worker's lander moves to the warehouse
    await producer.send(DEAD_LETTER_TOPIC, [deadLetterRecord({
      topic: 'spec/plants/p9/telemetry', payload: '{"plant_id":7}', payload_encoding: 'utf8', reason: 'schema_violation',
      detail: 'plant_id: expected string', received_at: Date.now(), stream: 'plants', source: 'mqtt',
    })]);

    await until('the script to land, an EARLY pane included', async () =>
      w.stats().streams.plants!.recordsLanded === script.length && w.stats().deadLettersLanded === 1
      && (await value(registry, 'driftline_worker_panes_total', { timing: 'EARLY' })) >= 1);

    // records: exactly the script, as the worker's own stats say
    expect(await value(registry, 'driftline_worker_records_total', { stream: 'plants' })).toBe(script.length);
    // panes by timing = champion rows in the warehouse by pane_timing, with each timing the script provokes
    const panes = await count(warehouse, `SELECT pane_timing, count(*) FROM predictions WHERE model_role = 'champion' GROUP BY 1`);
    expect(panes.ON_TIME).toBeGreaterThanOrEqual(3);
    // LATE: the pane minute 12.5 provoked, and the final panes of windows whose lateness expired
    expect(panes.LATE).toBeGreaterThanOrEqual(1);
    expect(await count(warehouse, `SELECT pane_timing, count(*) FROM predictions WHERE pane_timing = 'LATE' AND NOT is_final GROUP BY 1`)).toEqual({ LATE: 1 });
    expect(panes.EARLY).toBeGreaterThanOrEqual(1);
    for (const timing of ['EARLY', 'ON_TIME', 'LATE']) {
      expect(await value(registry, 'driftline_worker_panes_total', { stream: 'plants', timing })).toBe(panes[timing]);
    }
    // prediction rows by model
    const rows = await count(warehouse, `SELECT model || '/' || model_version || '/' || model_role, count(*) FROM predictions GROUP BY 1`);
    expect(rows).toEqual({ 'cooling-pue/1.0.0/champion': panes.EARLY! + panes.ON_TIME! + panes.LATE! });
    expect(await series(registry, 'driftline_worker_prediction_rows_total')).toEqual({
      'model=cooling-pue,model_role=champion,model_version=1.0.0,stream=plants': rows['cooling-pue/1.0.0/champion'],
    });
    // late events by reason: one late, one from the future
    expect(await count(warehouse, 'SELECT reason, count(*) FROM late_events GROUP BY 1')).toEqual({ late: 1, future: 1 });
    expect(await series(registry, 'driftline_worker_late_events_total')).toEqual({ 'reason=future,stream=plants': 1, 'reason=late,stream=plants': 1 });
    // dead letters by stream, source and reason: the worker's own two and the ingest's relayed one
    expect(await count(warehouse, `SELECT source || '/' || reason, count(*) FROM dead_letters GROUP BY 1`))
      .toEqual({ 'bus/bad_json': 1, 'bus/duplicate': 1, 'mqtt/schema_violation': 1 });
    expect(await series(registry, 'driftline_worker_dead_letters_total')).toEqual({
      'reason=bad_json,source=bus,stream=plants': 1,
      'reason=duplicate,source=bus,stream=plants': 1,
      'reason=schema_violation,source=mqtt,stream=plants': 1,
    });
    // model latency: one observation per scored batch, under the engine that ran it
    const backend = tf.getBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend);
    const model = { stream: 'plants', model: 'cooling-pue', model_version: '1.0.0', model_role: 'champion', backend };
    expect(landings).toBeGreaterThanOrEqual(2); // the panes of the first poll, then the EARLY pane a later turn fired
    expect(await value(registry, 'driftline_worker_model_batch_seconds', model, 'driftline_worker_model_batch_seconds_count')).toBe(landings);
    expect(await value(registry, 'driftline_worker_model_batch_seconds', model, 'driftline_worker_model_batch_seconds_sum')).toBeGreaterThan(0);
    // close→row and warehouse writes: one observation per landing of prediction rows
    expect(await value(registry, 'driftline_worker_close_to_row_seconds', { stream: 'plants' }, 'driftline_worker_close_to_row_seconds_count')).toBe(landings);
    expect(await value(registry, 'driftline_worker_sink_write_seconds', { stream: 'plants', table: 'predictions' }, 'driftline_worker_sink_write_seconds_count')).toBe(landings);
    // state: watermark at the newest on-time event (the future one is side-lined), one window open
    const stats = w.stats().streams.plants!;
    expect(stats.watermark).toBe(T0 + 130 * MIN);
    expect(await value(registry, 'driftline_worker_watermark_seconds', { stream: 'plants' })).toBe((T0 + 130 * MIN) / 1000);
    const lag = await value(registry, 'driftline_worker_watermark_lag_seconds', { stream: 'plants' });
    expect(Math.abs(lag - (Date.now() - (T0 + 130 * MIN)) / 1000)).toBeLessThan(60);
    expect(await value(registry, 'driftline_worker_open_windows', { stream: 'plants' })).toBe(stats.openWindows);
    expect(stats.openWindows).toBe(1);
    expect(await value(registry, 'driftline_worker_seconds_since_last_record', { stream: 'plants' })).toBeLessThan(60);
    // the bus: everything read, on both topics
    expect(await series(registry, 'driftline_worker_bus_lag_records')).toEqual({ 'topic=plants': 0, [`topic=${DEAD_LETTER_TOPIC}`]: 0 });
    expect(await value(registry, 'driftline_worker_rebalances_total', { stream: 'plants' })).toBe(0);
    expect(await value(registry, 'driftline_worker_stale_checkpoints_total', { stream: 'plants' })).toBe(0);
    expect(await series(registry, 'driftline_worker_loop_healthy')).toEqual({ 'stream=plants': 1, [`stream=${DEAD_LETTER_TOPIC}`]: 1 });

    // The warehouse fails: the loop retries, readiness drops, the failure is counted; then it recovers.
    sink.failing = true;
    await producer.send('plants', [plantEvent(140)]); // fires [130,135) ON_TIME: a write that fails
    await until('readiness to drop', () => !w.isReady());
    expect(await value(registry, 'driftline_worker_sink_write_failures_total', { stream: 'plants', table: 'predictions' })).toBeGreaterThanOrEqual(1);
    expect(await value(registry, 'driftline_worker_loop_healthy', { stream: 'plants' })).toBe(0);
    sink.failing = false;
    await until('readiness to return', () => w.isReady());
    await until('the retried rows to land', () => w.stats().streams.plants!.recordsLanded === script.length + 1);
    const after = await count(warehouse, `SELECT pane_timing, count(*) FROM predictions WHERE model_role = 'champion' GROUP BY 1`);
    expect(after.ON_TIME).toBe(panes.ON_TIME! + 1);
    expect(await value(registry, 'driftline_worker_panes_total', { stream: 'plants', timing: 'ON_TIME' })).toBe(after.ON_TIME);
    expect(await value(registry, 'driftline_worker_records_total', { stream: 'plants' })).toBe(script.length + 1);

    await stop();
    expect(w.isReady()).toBe(false);
  });

  it('two workers in one process, each on its own registry, count only their own input; the global registry stays empty', async () => {
    const r1 = new Registry();
    const r2 = new Registry();
    const a = await worker('a', r1);
    const b = await worker('b', r2);
    await a.producer.send('plants', Array.from({ length: 7 }, (_, m) => plantEvent(m)));
    await b.producer.send('plants', Array.from({ length: 12 }, (_, m) => plantEvent(m, 'p2')));
    await until('both to land', () => a.w.stats().streams.plants!.recordsLanded === 7 && b.w.stats().streams.plants!.recordsLanded === 12);
    expect(await value(r1, 'driftline_worker_records_total')).toBe(7);
    expect(await value(r2, 'driftline_worker_records_total')).toBe(12);
    // 7 minutes: [0,5) fired; 12 minutes: [0,5) and [5,10)
    expect(await value(r1, 'driftline_worker_panes_total', { timing: 'ON_TIME' })).toBe(1);
    expect(await value(r2, 'driftline_worker_panes_total', { timing: 'ON_TIME' })).toBe(2);
    expect((await globalRegistry.getMetricsAsJSON()).filter((m) => m.name.startsWith('driftline_worker_'))).toEqual([]);
    await a.stop();
    await b.stop();
  });

  it('a worker that fails to start leaves its registry empty, so the next one can use it', async () => {
    const registry = new Registry();
    const home = join(dir, 'bad');
    const bus = new EmbeddedBus({ path: join(home, 'bus.sqlite'), partitions: 1, retentionIntervalMs: 0 });
    closers.push(() => bus.close());
    const sink = await DuckDbSink.open({ path: ':memory:' });
    closers.push(() => sink.close());
    await expect(startWorker({
      config: config(home), bus, sink, modelsDir: join(home, 'no-models'), logger: silent, registry, checkpointPath: join(home, 'checkpoints.sqlite'),
    })).rejects.toThrow(/no cooling-pue model version 1.0.0/);
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });
});
