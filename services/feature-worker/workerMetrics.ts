import * as tf from '@tensorflow/tfjs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PartitionReadLag } from '../../shared/bus/bus.js';
import type { ModelPairObserver } from '../../shared/models/modelPair.js';

/** What the worker's scrape-time metrics read from one stream's loop. */
export interface StreamReading {
  /** records taken from the bus so far */
  readonly records: number;
  readonly rebalances: number;
  readonly staleCheckpoints: number;
  readonly openWindows: number;
  /** event time, epoch ms (±Infinity before the first event or at the end of input) */
  readonly watermark: number;
  /** processing time of the last record, epoch ms (0 before any) */
  readonly lastRecordAt: number;
}

/** The worker's state, read when Prometheus scrapes (so counts cost nothing on the hot path). */
export interface WorkerReadings {
  streams(): Readonly<Record<string, StreamReading>>;
  /** per loop (each stream, and `dead_letters` for the lander): 1 while its I/O works (LoopHealth) */
  loopsHealthy(): Readonly<Record<string, boolean>>;
  /** per partition of every consumer that can tell (BusConsumer.lag) */
  busLag(): readonly PartitionReadLag[];
  /** processing time the worker started, epoch ms */
  readonly startedAt: number;
  readonly now: () => number;
}

const MODEL_LABELS = ['stream', 'model', 'model_version', 'model_role'] as const;

/**
 * The feature worker's Prometheus metrics, on the caller's registry only (never the global one), so
 * two workers in one process, each with its own registry, never clash. Counts kept by the worker
 * loops (records, rebalances) and state (windows, watermark, bus lag) are read at scrape time;
 * what lands is counted by MeteredSink, model timing by a ModelPair observer, close→row latency by
 * the runners' onRowsLanded hook.
 */
export function createWorkerMetrics(registry: Registry, read: WorkerReadings) {
  const registers = [registry];
  const names: string[] = [];
  const named = (name: string) => {
    names.push(name);
    return name;
  };
  const byStream = <K extends keyof StreamReading>(key: K, f: (v: StreamReading[K], stream: string) => number | undefined) =>
    Object.entries(read.streams()).flatMap(([stream, s]) => {
      const v = f(s[key], stream);
      return v === undefined ? [] : [{ stream, value: v }];
    });

  const metrics = {
    records: new Counter({
      name: named('driftline_worker_records_total'), help: 'records taken from the bus, by stream (a rebalance replays from the group\'s commit and counts those again)',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const { stream, value } of byStream('records', (v) => v)) this.inc({ stream }, value);
      },
    }),
    panes: new Counter({
      name: named('driftline_worker_panes_total'), help: 'panes fired whose prediction rows landed, by stream and pane timing (EARLY, ON_TIME, LATE)',
      labelNames: ['stream', 'timing'] as const, registers,
    }),
    predictionRows: new Counter({
      name: named('driftline_worker_prediction_rows_total'), help: 'prediction rows handed to the warehouse in writes that succeeded (one per pane and model; refused ones are also in driftline_worker_rows_refused_total)',
      labelNames: MODEL_LABELS, registers,
    }),
    lateEvents: new Counter({
      name: named('driftline_worker_late_events_total'), help: 'events landed in late_events (behind the watermark beyond allowed lateness, or too far in the future), by stream and reason',
      labelNames: ['stream', 'reason'] as const, registers,
    }),
    deadLetters: new Counter({
      name: named('driftline_worker_dead_letters_total'), help: 'dead letters the worker landed, by stream, source (bus: the worker\'s own; mqtt, pubsub, ...: the ingest\'s, relayed from the dead_letters topic) and reason',
      labelNames: ['stream', 'source', 'reason'] as const, registers,
    }),
    rowsRefused: new Counter({
      name: named('driftline_worker_rows_refused_total'), help: 'rows the warehouse refused and put in dead_letters instead (reason invalid_row or rejected), by stream and table',
      labelNames: ['stream', 'table'] as const, registers,
    }),
    sinkFailures: new Counter({
      name: named('driftline_worker_sink_write_failures_total'), help: 'warehouse writes that failed (the loop retries them; nothing is committed past them), by stream and table',
      labelNames: ['stream', 'table'] as const, registers,
    }),
    modelFailures: new Counter({
      name: named('driftline_worker_model_failures_total'), help: 'batches a model threw on (a shadow\'s failure costs only its own rows; a champion\'s fails the loop turn, which is retried)',
      labelNames: MODEL_LABELS, registers,
    }),
    rebalances: new Counter({
      name: named('driftline_worker_rebalances_total'), help: 'consumer-group rebalances a stream\'s loop restarted from checkpoints',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const { stream, value } of byStream('rebalances', (v) => v)) this.inc({ stream }, value);
      },
    }),
    staleCheckpoints: new Counter({
      name: named('driftline_worker_stale_checkpoints_total'), help: 'restored partition checkpoints found older than the group\'s commit (rebuilt from the bus instead)',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const { stream, value } of byStream('staleCheckpoints', (v) => v)) this.inc({ stream }, value);
      },
    }),
    openWindows: new Gauge({
      name: named('driftline_worker_open_windows'), help: 'windows holding state (not yet final), by stream',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const { stream, value } of byStream('openWindows', (v) => v)) this.set({ stream }, value);
      },
    }),
    watermark: new Gauge({
      name: named('driftline_worker_watermark_seconds'), help: 'the stream\'s watermark, event time in epoch seconds (absent before the first event)',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const { stream, value } of byStream('watermark', (v) => (Number.isFinite(v) ? v / 1000 : undefined))) this.set({ stream }, value);
      },
    }),
    watermarkLag: new Gauge({
      name: named('driftline_worker_watermark_lag_seconds'), help: 'processing time minus the watermark, seconds: how far event time trails the clock (replayed or simulated history shows its age)',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        const now = read.now();
        for (const { stream, value } of byStream('watermark', (v) => (Number.isFinite(v) ? (now - v) / 1000 : undefined))) this.set({ stream }, value);
      },
    }),
    sinceLastRecord: new Gauge({
      name: named('driftline_worker_seconds_since_last_record'), help: 'seconds since the stream\'s last record arrived from the bus (since the worker started, before the first)',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        const now = read.now();
        for (const { stream, value } of byStream('lastRecordAt', (v) => (now - (v > 0 ? v : read.startedAt)) / 1000)) this.set({ stream }, value);
      },
    }),
    busLag: new Gauge({
      name: named('driftline_worker_bus_lag_records'), help: 'records on the bus not yet read by the worker, by topic (stream topics and dead_letters); embedded bus only (Kafka and Pub/Sub consumers cannot tell cheaply)',
      labelNames: ['topic'] as const, registers,
      collect() {
        this.reset();
        const byTopic = new Map<string, number>();
        for (const p of read.busLag()) byTopic.set(p.topic, (byTopic.get(p.topic) ?? 0) + p.records);
        for (const [topic, value] of byTopic) this.set({ topic }, value);
      },
    }),
    loopHealthy: new Gauge({
      name: named('driftline_worker_loop_healthy'), help: '1 while the latest bus poll, commit and warehouse write of the loop succeeded (per stream; dead_letters = the lander of the ingest\'s dead letters); /readyz needs all at 1',
      labelNames: ['stream'] as const, registers,
      collect() {
        this.reset();
        for (const [stream, ok] of Object.entries(read.loopsHealthy())) this.set({ stream }, ok ? 1 : 0);
      },
    }),
    modelSeconds: new Histogram({
      name: named('driftline_worker_model_batch_seconds'), help: 'time one model took to score one batch of panes, by stream, model, version, role and TensorFlow.js backend (tensorflow, wasm, cpu)',
      labelNames: [...MODEL_LABELS, 'backend'] as const, registers,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
    sinkSeconds: new Histogram({
      name: named('driftline_worker_sink_write_seconds'), help: 'time one warehouse write (one batch of one table) took to become durable, by stream and table',
      labelNames: ['stream', 'table'] as const, registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    closeToRow: new Histogram({
      name: named('driftline_worker_close_to_row_seconds'), help: 'processing time from panes firing (their window closed, or an early/late trigger) to their prediction rows being durable, per landing, by stream',
      labelNames: ['stream'] as const, registers,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  };
  return {
    ...metrics,
    /** For ModelPair.load: model timing and failures of one stream's models. */
    modelObserver(stream: string): ModelPairObserver {
      return {
        batch(model, _rows, seconds) {
          // the engine that ran this batch: tf.getBackend() is a field read
          metrics.modelSeconds.observe({ stream, model: model.name, model_version: model.version, model_role: model.role, backend: tf.getBackend() }, seconds);
        },
        failed(model) {
          metrics.modelFailures.inc({ stream, model: model.name, model_version: model.version, model_role: model.role });
        },
      };
    },
    /** Takes every metric off the registry again (a worker that failed to start). */
    unregister(): void {
      for (const name of names) registry.removeSingleMetric(name);
    },
    /** For StreamRunnerOptions.onRowsLanded. */
    rowsLanded(stream: string, _rows: number, firedAt: number, landedAt: number): void {
      metrics.closeToRow.observe({ stream }, Math.max(0, landedAt - firedAt) / 1000);
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
