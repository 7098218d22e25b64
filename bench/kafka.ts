/**
 * bench:kafka — the pipeline's throughput through Kafka against kafkajs raw produce → consume, in one run.
 *
 * Broker: the Kafka at KAFKA_BROKERS (default 127.0.0.1:9092; start it with infra/local/kafka.sh).
 * Every run uses fresh topics (4 partitions) under a unique prefix. Both sides carry the same N keyed
 * vessel positions (~210-byte JSON, 200 keys, built before the clock starts), in appends of BATCH records,
 * one append in flight, acks=-1 and an idempotent producer; the clock runs from the first append.
 * - raw: a kafkajs producer with the bus's settings (murmur2 partitioner, idempotent, one request in
 *   flight, acks=-1) sends the payloads keyed by MMSI; a kafkajs consumer group (eachBatch) only counts
 *   them; until the last of the N is received.
 * - pipeline (`pipeline_msgs_per_s`, the figure): what driftline adds around Kafka, with its real code.
 *   The ingest's half: each payload is validated by the ingest's `decodeMessage` (topic routing, zod
 *   schema, identity check) and turned into the bus record the ingest appends (key, event JSON, receive
 *   time), and the batch is appended with the Kafka bus producer (`shared/bus/kafka`), the next batch
 *   being validated while the previous append is in flight (the ingest's group commit). The worker's half:
 *   the real feature worker (`startWorker`: Kafka bus consumer group, event-time windows, features,
 *   fishing-gear model, checkpoints, commits) landing rows in DuckDB; until the worker has taken in all N
 *   records and landed everything they fired (its `recordsLanded`).
 * - mqtt (`mqtt_pipeline_msgs_per_s`, extra, BENCH_KAFKA_MQTT=0 skips it): the whole pipeline from an
 *   mqtt.js QoS 1 publisher (1000 in flight) through the MQTT broker (mosquitto at MQTT_URL, else the
 *   embedded aedes) and the MQTT ingest; bounded by MQTT, which bench:e2e measures against raw MQTT.
 * So the ratio prices validation, the bus producer, the bus consumer's poll adapter and the worker's
 * windows/features/model/sink/checkpoint loop against bare kafkajs; MQTT is out of both sides.
 * One warm-up round of 5 000 messages per side (not counted) lets the JIT compile both sides' code; then
 * raw and pipeline alternate over ROUNDS rounds (default 3); the figures are the medians. `*_cpu_us_per_msg`
 * is this process's CPU time (user + system, broker excluded) per message: the raw side waits on the broker
 * part of the time (one append in flight, acks=-1), the pipeline fills those waits with the worker's work,
 * so the CPU ratio is lower than the throughput ratio and less disturbed by other load on the machine.
 * Last stdout line: {"bench":"kafka","pipeline_msgs_per_s":N,"raw_msgs_per_s":N,"ratio":R,...}. Progress on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../services/broker/embeddedBroker.js';
import { startWorker } from '../services/feature-worker/featureWorker.js';
import { openBus } from '../services/ingest-mqtt/openBus.js';
import { decodeMessage } from '../services/ingest-mqtt/payloadDecoder.js';
import { TopicRouter } from '../services/ingest-mqtt/topicRouter.js';
import { startPipeline } from '../services/pipeline/pipeline.js';
import type { OutgoingRecord } from '../shared/bus/bus.js';
import { driftlineConfigSchema, type DriftlineConfig } from '../shared/config/configSchema.js';
import { DEFAULT_MODELS_DIR } from '../shared/models/defaultModelsDir.js';
import { openSink } from '../shared/sinks/openSink.js';

const N = Number(process.env.BENCH_KAFKA_MESSAGES ?? 30_000);
const ROUNDS = Number(process.env.BENCH_KAFKA_ROUNDS ?? 3);
const WITH_MQTT = process.env.BENCH_KAFKA_MQTT !== '0';
const WARMUP = Math.min(N, 5000);
/** records per append, both sides (the ingest's batch.max_messages is set to it) */
const BATCH = 1000;
const KEYS = 200;
const PARTITIONS = 4;
const START = Date.UTC(2024, 0, 1);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const log = (msg: string) => process.stderr.write(`[bench:kafka] ${msg}\n`);
/** MQTT topics of this run only: other clients of a shared broker may publish to driftline/vessels/... meanwhile. */
const mqttRoot = `bench-kafka/${randomUUID().slice(0, 8)}`;

interface Message {
  readonly key: string;
  readonly topic: string;
  readonly body: string;
  readonly bytes: Buffer;
}

/** ~210-byte vessel positions; 200 vessels, 50 ms of event time apart, so 1-minute windows keep closing. */
const messages: Message[] = Array.from({ length: N }, (_, i) => {
  const mmsi = String(412_000_000 + (i % KEYS));
  const body = JSON.stringify({
    mmsi, timestamp: new Date(START + i * 50).toISOString(), lat: 30 + (i % 97) / 1000, lon: 120 + (i % 89) / 1000,
    speed: 3.5 + (i % 7) / 10, course: (i * 7) % 360, heading: null,
  });
  return { key: mmsi, topic: `${mqttRoot}/vessels/${mmsi}/position`, body, bytes: Buffer.from(body) };
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function benchConfig(dir: string, prefix: string, mqttUrl: string): DriftlineConfig {
  return driftlineConfigSchema.parse({
    sources: {
      mqtt: {
        url: mqttUrl, client_id: `bench-kafka-ingest-${process.pid}-${Date.now()}`, protocol_version: process.env.MQTT_URL ? 5 : 4,
        batch: { max_messages: BATCH },
      },
    },
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
}

async function deleteKafkaTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'bench-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
}

async function raw(n: number): Promise<Result> {
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
          if (got >= n) {
            last = performance.now();
            resolve();
          }
        },
      });
    });
    // Let the group settle before the clock starts (the pipeline's worker has joined before its first append too).
    await new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => { off(); resolve(); });
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      const batch = messages.slice(i, Math.min(n, i + BATCH)).map((m) => ({ key: m.key, value: m.bytes }));
      await producer.send({ topic, acks: -1, messages: batch });
    }
    await Promise.race([all, sleep(120_000)]);
    const cpu = process.cpuUsage(cpu0);
    if (got < n) log(`raw: only ${got} of ${n} messages arrived within 120 s`);
    return { rate: (Math.min(n, got) * 1000) / ((last || performance.now()) - t0), cpuUsPerMsg: (cpu.user + cpu.system) / n };
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}

/** The records the MQTT ingest would append for messages [from, to): validated, routed, keyed. */
function ingestBatch(router: TopicRouter, from: number, to: number): Map<string, OutgoingRecord[]> {
  const byTopic = new Map<string, OutgoingRecord[]>();
  for (let i = from; i < to; i++) {
    const m = messages[i]!;
    const decoded = decodeMessage(router, m.topic, m.bytes);
    if (!decoded.ok) throw new Error(`bench message ${i} failed validation: ${decoded.reason} ${decoded.detail}`);
    const stream = decoded.route.stream;
    let records = byTopic.get(stream);
    if (!records) byTopic.set(stream, (records = []));
    records.push({ key: decoded.route.key, value: JSON.stringify(decoded.event), timestamp: Date.now() });
  }
  return byTopic;
}

interface Result {
  readonly rate: number;
  /** this process's CPU time (user + system) per message: less disturbed by neighbours than the rate */
  readonly cpuUsPerMsg: number;
}

interface PipelineResult extends Result {
  /** ms from the first append until all N were durable in Kafka */
  readonly appendedMs: number;
  readonly landedMs: number;
}

async function pipelineRun(n: number): Promise<PipelineResult> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-kafka-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  const config = benchConfig(dir, prefix, 'mqtt://unused.invalid');
  const logger = pino({ level: 'warn' });
  const bus = openBus(config.bus);
  const sink = await openSink(config.sink);
  const worker = await startWorker({
    config, bus, sink, modelsDir: DEFAULT_MODELS_DIR, checkpointPath: join(dir, 'checkpoints.sqlite'), logger,
  });
  const producer = await bus.producer();
  const router = new TopicRouter(config.streams);
  const landed = () => Object.values(worker.stats().streams).reduce((a, s) => a + s.recordsLanded, 0);
  const taken = () => Object.values(worker.stats().streams).reduce((a, s) => a + s.records, 0);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let appended = 0;
    const appending = (async () => {
      let inFlight: Promise<unknown> = Promise.resolve();
      for (let i = 0; i < n; i += BATCH) {
        const byTopic = ingestBatch(router, i, Math.min(n, i + BATCH));
        await inFlight;
        inFlight = Promise.all([...byTopic].map(([topic, records]) => producer.send(topic, records)));
      }
      await inFlight;
      appended = performance.now();
    })();
    const deadline = Date.now() + 300_000;
    while (landed() < n && Date.now() < deadline) await sleep(2);
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    await appending;
    if (landed() < n) log(`pipeline: timed out with ${landed()} of ${n} records landed`);
    if (taken() !== n) log(`pipeline: the worker took in ${taken()} records for ${n} appended (a rebalance replays)`);
    return {
      rate: (Math.min(n, landed()) * 1000) / (t1 - t0), cpuUsPerMsg: (cpu.user + cpu.system) / n,
      appendedMs: appended - t0, landedMs: t1 - t0,
    };
  } finally {
    await producer.close();
    await worker.stop();
    await bus.close();
    await sink.close();
    await deleteKafkaTopics([`${prefix}vessels`, `${prefix}dead_letters`]);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function publishAll(url: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-kafka-pub-${process.pid}-${Date.now()}`, clean: true });
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (const m of messages) {
    const p = client.publishAsync(m.topic, m.body, { qos: 1 });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 1000) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await client.endAsync();
  return t0;
}

/** The whole pipeline from an MQTT publisher; ends when the worker has landed what all N fired. */
async function mqttPipelineRun(url: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-kafka-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  // The worker keeps its checkpoints in ./data when the bus is not embedded: run from a fresh directory
  // so no earlier run's checkpoint is restored.
  const cwd = process.cwd();
  process.chdir(dir);
  const pipeline = await startPipeline({ config: benchConfig(dir, prefix, url), logger: pino({ level: 'warn' }) });
  try {
    const t0 = await publishAll(url);
    const deadline = Date.now() + 300_000;
    while (pipeline.status().worker_records_landed < N && Date.now() < deadline) await sleep(2);
    const t1 = performance.now();
    const s = pipeline.status();
    if (s.worker_records_landed < N) log(`mqtt: timed out with ${s.worker_records_landed} of ${N} records landed`);
    return (Math.min(N, s.worker_records_landed) * 1000) / (t1 - t0);
  } finally {
    await pipeline.stop();
    process.chdir(cwd);
    await deleteKafkaTopics([`${prefix}vessels`, `${prefix}dead_letters`]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const external = process.env.MQTT_URL;
const embedded = WITH_MQTT && !external ? await startEmbeddedBroker({ port: 0 }) : undefined;
const url = external ?? embedded?.url;
log(`${N} messages per run, appends of ${BATCH}, ${ROUNDS} rounds, Kafka at ${brokers.join(',')}` +
  (WITH_MQTT ? `, MQTT broker ${external ? 'mosquitto' : 'aedes'} at ${url}` : ''));
// Warm-up, not counted: both sides' code compiled by the JIT before the first measured round.
await raw(WARMUP);
await pipelineRun(WARMUP);
const raws: Result[] = [];
const pipes: Result[] = [];
const mqtts: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternating, so a noisy neighbour hits both alike.
  const r = await raw(N);
  raws.push(r);
  log(`round ${round + 1}: raw ${Math.round(r.rate)} msg/s, ${r.cpuUsPerMsg.toFixed(1)} µs CPU/msg`);
  const p = await pipelineRun(N);
  pipes.push(p);
  log(`round ${round + 1}: pipeline ${Math.round(p.rate)} msg/s, ${p.cpuUsPerMsg.toFixed(1)} µs CPU/msg ` +
    `(all appended at ${Math.round(p.appendedMs)} ms, all landed at ${Math.round(p.landedMs)} ms)`);
  if (WITH_MQTT) {
    mqtts.push(await mqttPipelineRun(url!));
    log(`round ${round + 1}: mqtt → pipeline ${Math.round(mqtts.at(-1)!)} msg/s`);
  }
}
await embedded?.close();
const rawRate = median(raws.map((r) => r.rate));
const pipeRate = median(pipes.map((r) => r.rate));
console.log(JSON.stringify({
  bench: 'kafka',
  messages: N,
  rounds: ROUNDS,
  ...(WITH_MQTT ? { mqtt_pipeline_msgs_per_s: Math.round(median(mqtts)) } : {}),
  raw_cpu_us_per_msg: Number(median(raws.map((r) => r.cpuUsPerMsg)).toFixed(1)),
  pipeline_cpu_us_per_msg: Number(median(pipes.map((r) => r.cpuUsPerMsg)).toFixed(1)),
  pipeline_msgs_per_s: Math.round(pipeRate),
  raw_msgs_per_s: Math.round(rawRate),
  ratio: Number((pipeRate / rawRate).toFixed(3)),
}));
process.exit(0);
