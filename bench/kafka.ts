/**
 * bench:kafka — the pipeline's throughput through Kafka against kafkajs raw produce → consume, in one run.
 *
 * Broker: the Kafka at KAFKA_BROKERS (default 127.0.0.1:9092; start it with infra/local/kafka.sh).
 * Every run uses fresh topics (4 partitions) under a unique prefix.
 * - raw: one kafkajs producer (acks=-1, idempotent, the bus's settings) sends N keyed ~210-byte messages in
 *   sends of 1000, one in flight; one kafkajs consumer group reads them (eachBatch); first send to last receive;
 * - pipeline: an mqtt.js publisher (QoS 1, 1000 in flight) → MQTT broker (mosquitto at MQTT_URL, else the
 *   embedded aedes) → ingest → Kafka bus → feature worker (windows, features, fishing-gear model) → DuckDB;
 *   first publish until the worker has taken in all N messages and landed the rows of what fired.
 * Raw and pipeline alternate over ROUNDS rounds; the figure is the median of each.
 * Last stdout line: {"bench":"kafka","pipeline_msgs_per_s":N,"raw_msgs_per_s":N,"ratio":R}. Progress on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../services/broker/embeddedBroker.js';
import { startPipeline } from '../services/pipeline/pipeline.js';
import { driftlineConfigSchema } from '../shared/config/configSchema.js';

const N = Number(process.env.BENCH_KAFKA_MESSAGES ?? 30_000);
const ROUNDS = Number(process.env.BENCH_KAFKA_ROUNDS ?? 2);
const KEYS = 200;
const PARTITIONS = 4;
const START = Date.UTC(2024, 0, 1);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const log = (msg: string) => process.stderr.write(`[bench:kafka] ${msg}\n`);
/** MQTT topics of this run only: other clients of a shared broker may publish to driftline/vessels/... meanwhile. */
const mqttRoot = `bench-kafka/${randomUUID().slice(0, 8)}`;

/** ~210-byte vessel positions; 200 vessels, 50 ms of event time apart, so 1-minute windows keep closing. */
function payload(i: number): { mmsi: string; topic: string; body: string } {
  const mmsi = String(412_000_000 + (i % KEYS));
  const body = JSON.stringify({
    mmsi, timestamp: new Date(START + i * 50).toISOString(), lat: 30 + (i % 97) / 1000, lon: 120 + (i % 89) / 1000,
    speed: 3.5 + (i % 7) / 10, course: (i * 7) % 360, heading: null,
  });
  return { mmsi, topic: `${mqttRoot}/vessels/${mmsi}/position`, body };
}

async function raw(): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}-g`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let got = 0;
    let last = 0;
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          got += batch.messages.length;
          if (got >= N) {
            last = performance.now();
            resolve();
          }
        },
      });
    });
    // Let the group settle before the clock starts (the pipeline's worker has joined before its first publish too).
    await new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
    });
    const t0 = performance.now();
    for (let i = 0; i < N; i += 1000) {
      const messages = [];
      for (let j = i; j < Math.min(N, i + 1000); j++) {
        const p = payload(j);
        messages.push({ key: p.mmsi, value: p.body });
      }
      await producer.send({ topic, acks: -1, messages });
    }
    await Promise.race([all, new Promise((r) => setTimeout(r, 120_000))]);
    if (got < N) log(`raw: only ${got} of ${N} messages arrived within 120 s`);
    return (got * 1000) / ((last || performance.now()) - t0);
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}

async function publishAll(url: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-kafka-pub-${process.pid}-${Date.now()}`, clean: true });
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < N; i++) {
    const { topic, body } = payload(i);
    const p = client.publishAsync(topic, body, { qos: 1 });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 1000) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await client.endAsync();
  return t0;
}

async function pipelineRun(url: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-kafka-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  // The worker keeps its checkpoints in ./data when the bus is not embedded: run from a fresh directory
  // so no earlier run's checkpoint is restored.
  const cwd = process.cwd();
  process.chdir(dir);
  const config = driftlineConfigSchema.parse({
    sources: { mqtt: { url, client_id: `bench-kafka-ingest-${process.pid}-${Date.now()}`, protocol_version: process.env.MQTT_URL ? 5 : 4 } },
    streams: {
      vessels: {
        schema: 'vessel_position', topic: `${mqttRoot}/vessels/{key}/position`,
        window: { kind: 'tumbling', size: '1m' },
        watermark: { max_out_of_orderness: 0, idle_timeout: '2s', advance_when_idle: false },
        allowed_lateness: 0, max_future_skew: '1h',
        features: 'fishing-track', model: { name: 'fishing-gear', version: 'v1' },
      },
    },
    bus: { kind: 'kafka', brokers, topic_prefix: prefix, partitions: PARTITIONS, client_id: 'bench-pipeline' },
    sink: { kind: 'duckdb', path: join(dir, 'driftline.duckdb') },
    simulator: { enabled: false },
    log_level: 'warn',
  });
  const pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }) });
  try {
    const t0 = await publishAll(url);
    const published = performance.now();
    const deadline = Date.now() + 300_000;
    let rowsAtAll = -1;
    let allInAt = 0;
    let lastRows = -1;
    let lastRowsAt = 0;
    let ingestedAt = 0;
    for (;;) {
      const s = pipeline.status();
      const now = performance.now();
      if (s.rows_landed !== lastRows) {
        lastRows = s.rows_landed;
        lastRowsAt = now;
      }
      if (!ingestedAt && s.ingested >= N) {
        ingestedAt = now;
        log(`pipeline: all ${N} in Kafka after ${Math.round(ingestedAt - t0)} ms (publish ended at ${Math.round(published - t0)} ms); worker has ${s.worker_records}`);
      }
      // Everything taken in by the worker, then the rows of the panes that fired with the last records
      // (they may have landed in the same worker step already: then 3 s pass with no landing).
      if (s.worker_records >= N && !allInAt) {
        allInAt = now;
        rowsAtAll = s.rows_landed;
      }
      if (allInAt && (s.rows_landed > rowsAtAll || now - allInAt > 3000)) break;
      if (Date.now() > deadline) {
        log(`pipeline: timed out with ${s.worker_records} of ${N} messages taken in`);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const t1 = allInAt && lastRows > rowsAtAll ? lastRowsAt : allInAt || performance.now();
    log(`pipeline: worker took in everything and landed at ${Math.round(t1 - t0)} ms`);
    const s = pipeline.status();
    if (s.worker_records !== N) {
      const admin = new Kafka({ clientId: 'bench-check', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const inKafka = (await admin.fetchTopicOffsets(`${prefix}vessels`)).reduce((a, p) => a + Number(p.high), 0);
      await admin.disconnect();
      // More in Kafka than published: the ingest re-sent a batch; more taken in than in Kafka: the worker re-read (a rebalance).
      log(`pipeline: the worker took in ${s.worker_records} records for ${N} published (${inKafka} in Kafka)`);
    }
    return (Math.min(N, s.worker_records) * 1000) / (t1 - t0);
  } finally {
    await pipeline.stop();
    process.chdir(cwd);
    const admin = new Kafka({ clientId: 'bench-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [`${prefix}vessels`, `${prefix}dead_letters`] }).catch(() => {});
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const external = process.env.MQTT_URL;
const embedded = external ? undefined : await startEmbeddedBroker({ port: 0 });
const url = external ?? embedded!.url;
log(`${N} messages per run, ${ROUNDS} rounds, Kafka at ${brokers.join(',')}, MQTT broker ${external ? 'mosquitto' : 'aedes'} at ${url}`);
const raws: number[] = [];
const pipes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternating, so a noisy neighbour hits both alike.
  raws.push(await raw());
  log(`round ${round + 1}: raw ${Math.round(raws.at(-1)!)} msg/s`);
  pipes.push(await pipelineRun(url));
  log(`round ${round + 1}: pipeline ${Math.round(pipes.at(-1)!)} msg/s`);
}
await embedded?.close();
const rawRate = median(raws);
const pipeRate = median(pipes);
console.log(JSON.stringify({
  bench: 'kafka',
  pipeline_msgs_per_s: Math.round(pipeRate),
  raw_msgs_per_s: Math.round(rawRate),
  ratio: Number((pipeRate / rawRate).toFixed(3)),
}));
process.exit(0);
