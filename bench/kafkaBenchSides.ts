/**
 * The four sides of bench:kafka (see bench/kafka.ts): raw producer and consumer (kafkajs alone), and the
 * pipeline's ingest half and worker half (driftline's real code). Each can run in the bench's process or
 * in a child process of its own (bench/kafkaBenchChild.ts); the same messages are built in both.
 */
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { pino } from 'pino';
import { startWorker } from '../services/feature-worker/featureWorker.js';
import { openBus } from '../services/ingest-mqtt/openBus.js';
import { decodeMessage } from '../services/ingest-mqtt/payloadDecoder.js';
import { TopicRouter } from '../services/ingest-mqtt/topicRouter.js';
import type { OutgoingRecord } from '../shared/bus/bus.js';
import { driftlineConfigSchema, type DriftlineConfig } from '../shared/config/configSchema.js';
import { DEFAULT_MODELS_DIR } from '../shared/models/defaultModelsDir.js';
import { openSink } from '../shared/sinks/openSink.js';

/** records per append, both sides (the MQTT ingest's batch.max_messages is set to it too) */
export const BATCH = 1000;
export const PARTITIONS = 4;
const KEYS = 200;
const START = Date.UTC(2024, 0, 1);

export interface Message {
  readonly key: string;
  readonly topic: string;
  readonly body: string;
  readonly bytes: Buffer;
}

/** ~210-byte vessel positions; 200 vessels, 50 ms of event time apart, so 1-minute windows keep closing. */
export function benchMessages(n: number, mqttRoot: string): Message[] {
  return Array.from({ length: n }, (_, i) => {
    const mmsi = String(412_000_000 + (i % KEYS));
    const body = JSON.stringify({
      mmsi, timestamp: new Date(START + i * 50).toISOString(), lat: 30 + (i % 97) / 1000, lon: 120 + (i % 89) / 1000,
      speed: 3.5 + (i % 7) / 10, course: (i * 7) % 360, heading: null,
    });
    return { key: mmsi, topic: `${mqttRoot}/vessels/${mmsi}/position`, body, bytes: Buffer.from(body) };
  });
}

export interface RunSpec {
  readonly brokers: readonly string[];
  /** messages in this run */
  readonly n: number;
  /** MQTT topic root of the messages (the stream's topic pattern) */
  readonly mqttRoot: string;
  /** raw: the Kafka topic; pipeline: the bus topic prefix */
  readonly topic: string;
  /** pipeline: scratch directory for DuckDB and checkpoints */
  readonly dir: string;
  /** pipeline: MQTT broker url for the full-pipeline variant (unused by the Kafka sides) */
  readonly mqttUrl: string;
}

export function benchConfig(s: Pick<RunSpec, 'brokers' | 'mqttRoot' | 'topic' | 'dir' | 'mqttUrl'>): DriftlineConfig {
  return driftlineConfigSchema.parse({
    sources: {
      mqtt: {
        url: s.mqttUrl, client_id: `bench-kafka-ingest-${process.pid}-${Date.now()}`, protocol_version: process.env.MQTT_URL ? 5 : 4,
        batch: { max_messages: BATCH },
      },
    },
    streams: {
      vessels: {
        schema: 'vessel_position', topic: `${s.mqttRoot}/vessels/{key}/position`,
        window: { kind: 'tumbling', size: '1m' },
        watermark: { max_out_of_orderness: 0, idle_timeout: '2s', advance_when_idle: false },
        allowed_lateness: 0, max_future_skew: '1h',
        features: 'fishing-track', model: { name: 'fishing-gear', version: 'v1' },
      },
    },
    bus: { kind: 'kafka', brokers: [...s.brokers], topic_prefix: s.topic, partitions: PARTITIONS, client_id: 'bench-pipeline' },
    sink: { kind: 'duckdb', path: join(s.dir, 'driftline.duckdb') },
    simulator: { enabled: false },
    log_level: 'warn',
  });
}

/** Epoch ms with sub-millisecond precision, comparable between processes on one machine. */
export const clock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type SideName = 'raw-producer' | 'raw-consumer' | 'pipeline-ingest' | 'pipeline-worker';

export interface Mark {
  /** producers: when the first append started (epoch ms, `clock`) */
  readonly startedAt?: number;
  /** producers: the last append acknowledged; consumers: the last record received (raw) or landed (pipeline) */
  readonly doneAt: number;
  /** records the side counted: sent, received or landed */
  readonly count: number;
  /** this process's CPU time during `run`, µs (user + system) */
  readonly cpuUs: number;
}

/** A side set up (connected, joined its group) and waiting for `run`. */
export interface Side {
  /** producers: send everything; consumers: wait until everything arrived (they count from set-up). */
  run(): Promise<Mark>;
  close(): Promise<void>;
}

export async function openSide(name: SideName, s: RunSpec): Promise<Side> {
  switch (name) {
    case 'raw-producer': return rawProducer(s);
    case 'raw-consumer': return rawConsumer(s);
    case 'pipeline-ingest': return pipelineIngest(s);
    case 'pipeline-worker': return pipelineWorker(s);
  }
}

function measured(run: () => Promise<Omit<Mark, 'cpuUs'>>): () => Promise<Mark> {
  return async () => {
    const cpu0 = process.cpuUsage();
    const mark = await run();
    const cpu = process.cpuUsage(cpu0);
    return { ...mark, cpuUs: cpu.user + cpu.system };
  };
}

/** kafkajs producer with the bus's settings: murmur2 partitioner, idempotent, one request in flight, acks=-1. */
async function rawProducer(s: RunSpec): Promise<Side> {
  const messages = benchMessages(s.n, s.mqttRoot);
  const producer = new Kafka({ clientId: 'bench-raw', brokers: [...s.brokers], logLevel: logLevel.NOTHING })
    .producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    run: measured(async () => {
      const startedAt = clock();
      for (let i = 0; i < s.n; i += BATCH) {
        const batch = messages.slice(i, Math.min(s.n, i + BATCH)).map((m) => ({ key: m.key, value: m.bytes }));
        await producer.send({ topic: s.topic, acks: -1, messages: batch });
      }
      return { startedAt, doneAt: clock(), count: s.n };
    }),
    close: () => producer.disconnect(),
  };
}

/** kafkajs consumer group (eachBatch) that only counts. */
async function rawConsumer(s: RunSpec): Promise<Side> {
  const consumer = new Kafka({ clientId: 'bench-raw', brokers: [...s.brokers], logLevel: logLevel.NOTHING })
    .consumer({ groupId: `${s.topic}-g`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
  let got = 0;
  let doneAt = 0;
  let resolveAll = () => {};
  const all = new Promise<void>((resolve) => { resolveAll = resolve; });
  const joined = new Promise<void>((resolve) => {
    const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
  });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      got += batch.messages.length;
      if (got >= s.n && !doneAt) {
        doneAt = clock();
        resolveAll();
      }
    },
  });
  // Set up means joined: the clock starts only once the group has settled (the worker has joined too).
  await joined;
  return {
    run: measured(async () => {
      await Promise.race([all, sleep(120_000)]);
      return { doneAt: doneAt || clock(), count: got };
    }),
    close: () => consumer.disconnect(),
  };
}

/** messages validated per turn of the event loop by the ingest half (an MQTT socket read holds tens) */
const SLICE = 100;

/** Adds the records the MQTT ingest appends for messages [from, to) to `byTopic`: validated by its decoder, routed, keyed. */
function ingestSlice(router: TopicRouter, messages: readonly Message[], from: number, to: number, byTopic: Map<string, OutgoingRecord[]>): void {
  for (let i = from; i < to; i++) {
    const m = messages[i]!;
    const decoded = decodeMessage(router, m.topic, m.bytes);
    if (!decoded.ok) throw new Error(`bench message ${i} failed validation: ${decoded.reason} ${decoded.detail}`);
    const stream = decoded.route.stream;
    let records = byTopic.get(stream);
    if (!records) byTopic.set(stream, (records = []));
    records.push({ key: decoded.route.key, value: JSON.stringify(decoded.event) }); // as the ingest: the bus stamps the append
  }
}

/**
 * The ingest's half: decodeMessage (topic route, zod schema, identity check) → the record the ingest
 * appends → the Kafka bus producer; the next batch is validated while the previous append is in flight,
 * as the ingest's group commit does (one append in flight).
 */
async function pipelineIngest(s: RunSpec): Promise<Side> {
  const messages = benchMessages(s.n, s.mqttRoot);
  const config = benchConfig(s);
  const bus = openBus(config.bus);
  const producer = await bus.producer();
  const router = new TopicRouter(config.streams);
  return {
    run: measured(async () => {
      const startedAt = clock();
      let inFlight: Promise<unknown> = Promise.resolve();
      for (let i = 0; i < s.n; i += BATCH) {
        // Validated in slices a turn of the event loop apart, as the ingest validates messages when their
        // socket reads arrive: the previous append is encoded and sent in between, not after the whole batch.
        const byTopic = new Map<string, OutgoingRecord[]>();
        const end = Math.min(s.n, i + BATCH);
        for (let j = i; j < end; j += SLICE) {
          ingestSlice(router, messages, j, Math.min(end, j + SLICE), byTopic);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        await inFlight;
        inFlight = Promise.all([...byTopic].map(([topic, records]) => producer.send(topic, records)));
      }
      await inFlight;
      return { startedAt, doneAt: clock(), count: s.n };
    }),
    async close() {
      await producer.close();
      await bus.close();
    },
  };
}

/** The worker's half: the real feature worker (Kafka consumer group, windows, features, model, checkpoints) → DuckDB. */
async function pipelineWorker(s: RunSpec): Promise<Side> {
  const config = benchConfig(s);
  const bus = openBus(config.bus);
  const sink = await openSink(config.sink);
  const worker = await startWorker({
    config, bus, sink, modelsDir: DEFAULT_MODELS_DIR, checkpointPath: join(s.dir, 'checkpoints.sqlite'), logger: pino({ level: 'warn' }),
  });
  const streams = () => Object.values(worker.stats().streams);
  const landed = () => streams().reduce((a, x) => a + x.recordsLanded, 0);
  return {
    run: measured(async () => {
      const deadline = Date.now() + 300_000;
      while (landed() < s.n && Date.now() < deadline) await sleep(2);
      const doneAt = clock();
      const taken = streams().reduce((a, x) => a + x.records, 0);
      if (taken !== s.n) process.stderr.write(`[bench:kafka] pipeline: the worker took in ${taken} records for ${s.n} appended\n`);
      return { doneAt, count: Math.min(s.n, landed()) };
    }),
    async close() {
      await worker.stop();
      await bus.close();
      await sink.close();
    },
  };
}
