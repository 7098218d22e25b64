import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Bus, BusProducer } from '../../shared/bus/bus.js';
import type { DriftlineConfig } from '../../shared/config/configSchema.js';
import type { SimulatorConfig } from '../../shared/config/simulatorSchema.js';
import { DEFAULT_MODELS_DIR } from '../../shared/models/defaultModelsDir.js';
import type { Sink } from '../../shared/sinks/sink.js';
import { brokerForConfig, type BrokerEndpoint } from '../broker/brokerForConfig.js';
import type { FeatureWorker } from '../feature-worker/featureWorker.js';
import { startWorkerThread } from '../feature-worker/workerThread.js';
import { startAisIngest, type AisIngestService, type AisIngestStats } from '../ingest-ais/aisIngestService.js';
import type { IngestService } from '../ingest-mqtt/ingestService.js';
import { startIngestThread } from '../ingest-mqtt/ingestThread.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startPubSubIngest, type PubSubIngestService, type PubSubIngestStats } from '../ingest-pubsub/pubsubIngestService.js';
import { pubsubSourceConnection } from '../ingest-pubsub/pubsubSourceConnection.js';
import { startSimulator, type SimulatorRun } from '../simulator/simulatorRun.js';

export interface PipelineOptions {
  readonly config: DriftlineConfig;
  readonly logger: Logger;
  readonly registry?: Registry;
  /** the simulator settings to run, or undefined for none */
  readonly simulator?: SimulatorConfig;
  readonly modelsDir?: string;
  readonly onRowsLanded?: (stream: string, rows: number, firedAt: number, landedAt: number) => void;
}

export interface PipelineSummary {
  readonly published: number;
  readonly ingested: number;
  readonly dead_letters: number;
  readonly late_events: number;
  readonly panes: number;
  readonly rows_landed: number;
}

export interface PipelineStatus extends PipelineSummary {
  readonly received: number;
  /** bus records the workers have taken in (valid events, duplicates included) */
  readonly worker_records: number;
  /** of those, the ones whose rows have landed */
  readonly worker_records_landed: number;
  readonly open_windows: number;
  /** smallest stream watermark, epoch ms, or null before any */
  readonly watermark: number | null;
  /** processing time the last record reached a worker, epoch ms (0 before any) */
  readonly last_input_at: number;
  /** AIS ingest counts, when `sources.ais` is set */
  readonly ais?: AisIngestStats;
  /** Pub/Sub ingest counts, when `sources.pubsub` is set */
  readonly pubsub?: PubSubIngestStats;
}

export interface Pipeline {
  readonly brokerUrl: string;
  readonly simulator: SimulatorRun | undefined;
  /** the AIS ingest, when `sources.ais` is set */
  readonly ais: AisIngestService | undefined;
  /** the Pub/Sub ingest, when `sources.pubsub` is set */
  readonly pubsub: PubSubIngestService | undefined;
  status(): PipelineStatus;
  /** every stage is doing its job: the MQTT ingest connected and subscribed, the worker's loops healthy, the Pub/Sub ingest's subscriptions open */
  isReady(): boolean;
  /** fires every open window and lands the rows (end of a finite run) */
  drain(): Promise<void>;
  /** stops taking input, lands what was taken, closes everything */
  stop(): Promise<void>;
}

/**
 * The whole pipeline in one process, the embedded default: broker (embedded aedes unless
 * `sources.mqtt.url` is set), MQTT ingest, bus, feature workers, warehouse, and optionally the
 * simulated fleet. Each part is also runnable alone (`driftline ingest|worker|simulate`).
 */
export async function startPipeline(o: PipelineOptions): Promise<Pipeline> {
  const { config, logger } = o;
  const registry = o.registry ?? new Registry();
  const opened: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch((err: Error) => logger.warn({ err: err.message }, 'error while closing'));
  };
  let broker: BrokerEndpoint;
  let bus: Bus;
  let producer: BusProducer;
  let sink: Sink;
  let ingest: IngestService;
  let worker: FeatureWorker;
  let simulator: SimulatorRun | undefined;
  let ais: AisIngestService | undefined;
  let pubsub: PubSubIngestService | undefined;
  try {
    broker = await brokerForConfig(config.sources.mqtt);
    opened.push(() => broker.close());
    if (broker.embedded) logger.info({ url: broker.url }, 'started the embedded MQTT broker');
    bus = openBus(config.bus);
    opened.push(() => bus.close());
    // The feature worker and the warehouse in a worker thread: scoring and landing rows run beside
    // the ingest and the simulator instead of blocking their event loop. Other writers (the AIS
    // ingest) reach the warehouse through it, as a process must open a DuckDB file only once.
    const workerThread = await startWorkerThread({
      config, modelsDir: o.modelsDir ?? DEFAULT_MODELS_DIR, registry, logger,
      ...(o.onRowsLanded ? { onRowsLanded: o.onRowsLanded } : {}),
    });
    worker = workerThread.worker;
    sink = workerThread.sink;
    opened.push(() => worker.stop());
    producer = await bus.producer();
    opened.push(() => producer.close());
    // In a worker thread with its own bus connection: receiving and validating MQTT messages runs
    // beside the feature worker (and the simulator, when on).
    ingest = await startIngestThread({
      mqtt: config.sources.mqtt, streams: config.streams, bus: config.bus,
      brokerUrl: broker.url, protocolVersion: broker.protocolVersion, registry, logger,
    });
    opened.push(() => ingest.stop());
    if (config.sources.ais) {
      // after the bus and sink it writes to; closeAll stops it (and lands what it took) before them
      ais = await startAisIngest({
        ais: config.sources.ais, producer, sink, brokerUrl: broker.url, protocolVersion: broker.protocolVersion,
        logger: logger.child({ service: 'ingest-ais' }),
      });
      opened.push(() => ais!.stop());
    }
    if (config.sources.pubsub) {
      // like the MQTT ingest: after the bus it appends to, so closeAll drains it into the bus first
      pubsub = await startPubSubIngest({
        source: config.sources.pubsub, streams: config.streams, producer,
        connection: pubsubSourceConnection(config.sources.pubsub, config.bus), registry,
        logger: logger.child({ service: 'ingest-pubsub' }),
      });
      opened.push(() => pubsub!.stop());
    }
    if (o.simulator) {
      simulator = await startSimulator(config, o.simulator, broker.url, broker.protocolVersion);
      opened.push(() => simulator!.stop());
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  const status = (): PipelineStatus => {
    const i = ingest.stats();
    const w = worker.stats();
    const streams = Object.values(w.streams);
    const a = ais?.stats();
    const aisDead = a ? Object.values(a.deadLetters).reduce((x, y) => x + y, 0) : 0;
    const p = pubsub?.stats();
    const pubsubDead = p ? Object.values(p.deadLetters).reduce((x, y) => x + y, 0) : 0;
    const ingestDead = Object.values(i.deadLetters).reduce((a, b) => a + b, 0) + aisDead + pubsubDead;
    const watermarks = streams.map((s) => s.watermark).filter((t) => Number.isFinite(t));
    return {
      published: simulator?.published() ?? 0,
      received: i.received + (p?.received ?? 0),
      worker_records: streams.reduce((a, s) => a + s.records, 0),
      worker_records_landed: streams.reduce((a, s) => a + s.recordsLanded, 0),
      ingested: i.valid + (a?.positions ?? 0) + (p?.valid ?? 0),
      dead_letters: ingestDead + streams.reduce((a, s) => a + s.deadLetters, 0),
      late_events: streams.reduce((a, s) => a + s.lateEvents, 0),
      panes: streams.reduce((a, s) => a + s.panes, 0),
      rows_landed: streams.reduce((a, s) => a + s.rowsLanded, 0),
      open_windows: streams.reduce((a, s) => a + s.openWindows, 0),
      watermark: watermarks.length ? Math.min(...watermarks) : null,
      last_input_at: Math.max(0, ...streams.map((s) => s.lastRecordAt)),
      ...(a ? { ais: a } : {}),
      ...(p ? { pubsub: p } : {}),
    };
  };

  let stopping: Promise<void> | undefined;
  return {
    brokerUrl: broker.url,
    simulator,
    ais,
    pubsub,
    status,
    isReady: () => ingest.isReady() && worker.isReady() && (pubsub?.isReady() ?? true),
    drain: () => worker.drain(),
    stop() {
      // Reverse order of start: simulator, Pub/Sub, AIS and MQTT ingest (drain into the bus), producer, worker (and the warehouse), bus, broker.
      stopping ??= closeAll();
      return stopping;
    },
  };
}
