/**
 * bench:kafka — the pipeline's throughput through Kafka against kafkajs raw produce → consume, in one run.
 *
 * Broker: the Kafka at KAFKA_BROKERS (default 127.0.0.1:9092; start it with infra/local/kafka.sh).
 * Every run uses fresh topics (4 partitions) under a unique prefix. Both sides carry the same N keyed
 * vessel positions (~210-byte JSON, 200 keys, built before the clock starts), in appends of 1000 records,
 * one append in flight, acks=-1, idempotent producer, and land on the same partitions (murmur2 of the MMSI).
 * The clock runs from the first append until the consuming side has everything (bench/kafkaBenchSides.ts):
 * - raw: a kafkajs producer with the bus's settings (murmur2 partitioner, idempotent, one request in
 *   flight, acks=-1) sends the payloads keyed by MMSI → a kafkajs consumer group (eachBatch) counts them.
 * - pipeline: what driftline adds around Kafka, with its real code. Ingest half: every payload goes through
 *   the MQTT ingest's `decodeMessage` (topic route, zod schema, identity check) and becomes the record the
 *   ingest appends (key, event JSON, receive time); batches go out through the Kafka bus producer
 *   (`shared/bus/kafka`), the next batch being validated while the previous append is in flight (the
 *   ingest's group commit), in slices of 100 messages a turn of the event loop apart (the ingest validates
 *   messages as their socket reads arrive, so an append is encoded and sent without waiting for a whole batch). Worker half: the real feature worker (`startWorker`: bus consumer group, event-time
 *   windows, features, fishing-gear model, checkpoints, commits) → DuckDB; the clock stops when the worker
 *   has taken in all N records and landed everything they fired (its `recordsLanded`).
 *   MQTT is in neither side: the ratio prices validation, the bus producer and consumer, and the worker.
 * Topology. The figure (`pipeline_msgs_per_s`, `raw_msgs_per_s`, `ratio`) runs each side's producer and
 * consumer in two child processes of their own, as a Kafka deployment runs them: `driftline ingest` and
 * `driftline worker` are separate services (workers scale by joining the group), and a kafkajs producer and
 * consumer group likewise. A pipeline's throughput is then its slowest stage's, as in production. `single_*`
 * (BENCH_KAFKA_SINGLE=0 skips it) runs both halves of each side in this one process, on one JavaScript
 * thread: the pipeline's halves then add up, while raw's consumer fills the time its producer waits for
 * acks, so it prices the pipeline's total CPU per message more than its throughput. `*_cpu_us_per_msg`
 * is the CPU time (user + system, all threads) of the side's Node processes per message, broker excluded:
 * steadier than the rates on a shared machine. On a 2-core machine the broker, the processes and any
 * other load share the cores, so every figure moves with the machine's load: read the ratios.
 * `mqtt_pipeline_msgs_per_s` (BENCH_KAFKA_MQTT=0 skips it): the whole pipeline in one process from an
 * mqtt.js QoS 1 publisher (1000 in flight) through the MQTT broker (mosquitto at MQTT_URL, else the
 * embedded aedes) and the MQTT ingest, bounded by MQTT (bench:e2e measures that against raw MQTT).
 * A warm-up of 10 000 messages per side and topology (not counted) lets the JIT compile each process's code;
 * then everything alternates over ROUNDS rounds (BENCH_KAFKA_ROUNDS, default 5) and the figures are medians.
 * Last stdout line: {"bench":"kafka",...,"pipeline_msgs_per_s":N,"raw_msgs_per_s":N,"ratio":R}. Progress on stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../services/broker/embeddedBroker.js';
import { startPipeline } from '../services/pipeline/pipeline.js';
import { SideProcess } from './kafkaBenchChild.js';
import { benchConfig, benchMessages, clock, openSide, PARTITIONS, type RunSpec, type Side, type SideName } from './kafkaBenchSides.js';

const N = Number(process.env.BENCH_KAFKA_MESSAGES ?? 30_000);
const ROUNDS = Number(process.env.BENCH_KAFKA_ROUNDS ?? 5);
const WITH_MQTT = process.env.BENCH_KAFKA_MQTT !== '0';
const WITH_SINGLE = process.env.BENCH_KAFKA_SINGLE !== '0';
const WARMUP = Math.min(N, 10_000);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const log = (msg: string) => process.stderr.write(`[bench:kafka] ${msg}\n`);
/** MQTT topics of this run only: other clients of a shared broker may publish to driftline/vessels/... meanwhile. */
const mqttRoot = `bench-kafka/${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = 'raw' | 'pipeline';
type Topology = 'split' | 'single';

interface Result {
  readonly rate: number;
  readonly cpuUsPerMsg: number;
  /** ms from the first append until the producing side had every append acknowledged */
  readonly appendedMs: number;
  readonly doneMs: number;
}

const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();

const sideNames: SideName[] = ['raw-producer', 'raw-consumer', 'pipeline-ingest', 'pipeline-worker'];
/** Long-lived child processes for the split topology, one per side. */
const processes = new Map<SideName, SideProcess>(sideNames.map((name) => [name, new SideProcess(name)]));

async function open(name: SideName, spec: RunSpec, topology: Topology): Promise<Side> {
  return topology === 'split' ? processes.get(name)!.open(name, spec) : openSide(name, spec);
}

async function run(kind: Kind, topology: Topology, n: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-kafka-'));
  const topic = kind === 'raw' ? `bench-raw-${randomUUID().slice(0, 8)}` : `bench-${randomUUID().slice(0, 8)}.`;
  const topics = kind === 'raw' ? [topic] : [`${topic}vessels`, `${topic}dead_letters`];
  const spec: RunSpec = { brokers, n, mqttRoot, topic, dir, mqttUrl: 'mqtt://unused.invalid' };
  if (kind === 'raw') await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  const opened: Side[] = [];
  try {
    // The consumer first: it has joined its group before the clock starts.
    const consumer = await open(kind === 'raw' ? 'raw-consumer' : 'pipeline-worker', spec, topology);
    opened.push(consumer);
    const producer = await open(kind === 'raw' ? 'raw-producer' : 'pipeline-ingest', spec, topology);
    opened.push(producer);
    const cpu0 = process.cpuUsage();
    const [c, p] = await Promise.all([consumer.run(), producer.run()]);
    const cpu = process.cpuUsage(cpu0);
    if (c.count < n) log(`${kind} (${topology}): only ${c.count} of ${n} messages arrived`);
    const t0 = p.startedAt!;
    return {
      rate: (Math.min(n, c.count) * 1000) / (c.doneAt - t0),
      // In one process both sides' measurements cover the same CPU: count it once.
      cpuUsPerMsg: (topology === 'split' ? c.cpuUs + p.cpuUs : cpu.user + cpu.system) / n,
      appendedMs: p.doneAt - t0,
      doneMs: c.doneAt - t0,
    };
  } finally {
    for (const side of opened.reverse()) await side.close().catch((err: Error) => log(`close: ${err.message}`));
    await admin.deleteTopics({ topics }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function publishAll(url: string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-kafka-pub-${process.pid}-${Date.now()}`, clean: true });
  const t0 = clock();
  const inFlight = new Set<Promise<unknown>>();
  for (const m of benchMessages(N, mqttRoot)) {
    const p = client.publishAsync(m.topic, m.body, { qos: 1 });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 1000) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await client.endAsync();
  return t0;
}

/** The whole pipeline in this process from an MQTT publisher; ends when the worker has landed what all N fired. */
async function mqttPipelineRun(url: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-kafka-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}.`;
  // The worker keeps its checkpoints in ./data when the bus is not embedded: run from a fresh directory
  // so no earlier run's checkpoint is restored.
  const cwd = process.cwd();
  process.chdir(dir);
  const pipeline = await startPipeline({ config: benchConfig({ brokers, mqttRoot, topic: prefix, dir, mqttUrl: url }), logger: pino({ level: 'warn' }) });
  try {
    const t0 = await publishAll(url);
    const deadline = Date.now() + 300_000;
    while (pipeline.status().worker_records_landed < N && Date.now() < deadline) await sleep(2);
    const t1 = clock();
    const s = pipeline.status();
    if (s.worker_records_landed < N) log(`mqtt: timed out with ${s.worker_records_landed} of ${N} records landed`);
    return (Math.min(N, s.worker_records_landed) * 1000) / (t1 - t0);
  } finally {
    await pipeline.stop();
    process.chdir(cwd);
    await admin.deleteTopics({ topics: [`${prefix}vessels`, `${prefix}dead_letters`] }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const external = process.env.MQTT_URL;
const embedded = WITH_MQTT && !external ? await startEmbeddedBroker({ port: 0 }) : undefined;
const url = external ?? embedded?.url;
log(`${N} messages per run, ${ROUNDS} rounds, Kafka at ${brokers.join(',')}` +
  (WITH_MQTT ? `, MQTT broker ${external ? 'mosquitto' : 'aedes'} at ${url}` : ''));
const plan: [Kind, Topology][] = [['raw', 'split'], ['pipeline', 'split'], ...(WITH_SINGLE ? [['raw', 'single'], ['pipeline', 'single']] as [Kind, Topology][] : [])];
const results = new Map<string, Result[]>(plan.map(([k, t]) => [`${k}/${t}`, []]));
const mqtts: number[] = [];
try {
  for (const [kind, topology] of plan) await run(kind, topology, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating, so a noisy neighbour hits every variant alike.
    for (const [kind, topology] of plan) {
      const r = await run(kind, topology, N);
      results.get(`${kind}/${topology}`)!.push(r);
      log(`round ${round + 1}: ${kind} (${topology === 'split' ? 'two processes' : 'one process'}) ${Math.round(r.rate)} msg/s, ` +
        `${r.cpuUsPerMsg.toFixed(1)} µs CPU/msg (appends acknowledged at ${Math.round(r.appendedMs)} ms, all in at ${Math.round(r.doneMs)} ms)`);
    }
    if (WITH_MQTT) {
      mqtts.push(await mqttPipelineRun(url!));
      log(`round ${round + 1}: mqtt → pipeline ${Math.round(mqtts.at(-1)!)} msg/s`);
    }
  }
} finally {
  await Promise.all([...processes.values()].map((p) => p.exit()));
  await embedded?.close();
  await admin.disconnect();
}
const rate = (k: string) => median(results.get(k)!.map((r) => r.rate));
const cpu = (k: string) => Number(median(results.get(k)!.map((r) => r.cpuUsPerMsg)).toFixed(1));
console.log(JSON.stringify({
  bench: 'kafka',
  messages: N,
  rounds: ROUNDS,
  topology: 'producer and consumer of each side in separate processes',
  ...(WITH_MQTT ? { mqtt_pipeline_msgs_per_s: Math.round(median(mqtts)) } : {}),
  ...(WITH_SINGLE ? {
    single_pipeline_msgs_per_s: Math.round(rate('pipeline/single')),
    single_raw_msgs_per_s: Math.round(rate('raw/single')),
    single_ratio: Number((rate('pipeline/single') / rate('raw/single')).toFixed(3)),
    single_pipeline_cpu_us_per_msg: cpu('pipeline/single'),
    single_raw_cpu_us_per_msg: cpu('raw/single'),
  } : {}),
  raw_cpu_us_per_msg: cpu('raw/split'),
  pipeline_cpu_us_per_msg: cpu('pipeline/split'),
  pipeline_msgs_per_s: Math.round(rate('pipeline/split')),
  raw_msgs_per_s: Math.round(rate('raw/split')),
  ratio: Number((rate('pipeline/split') / rate('raw/split')).toFixed(3)),
}));
process.exit(0);
