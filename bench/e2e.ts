/**
 * bench:e2e — MQTT publish → landed row, against raw MQTT on the same broker, in one run.
 *
 * Broker: mosquitto at MQTT_URL when set (infra/local's settings: max_inflight_messages 1000,
 * max_queued_messages 0), else the embedded aedes broker. For QoS 0 and QoS 1:
 * - raw: one mqtt.js publisher → broker → one mqtt.js subscriber, N messages a round, first publish to
 *   last receive;
 * - pipeline: the same publisher → ingest → embedded bus → feature worker (windows, features,
 *   fishing-gear model) → DuckDB (`startPipeline`: the ingest and the worker in threads of their own),
 *   first publish until the worker has taken in all N messages of the round and landed their rows.
 * Steady state, as a pipeline runs: per QoS both sides are opened once (the raw subscriber, the
 * pipeline), take N warm-up messages that are not counted (so the JIT has compiled each thread's hot code,
 * as bench:kafka does), then ROUNDS rounds of N messages (BENCH_E2E_ROUNDS, default 5), raw and
 * pipeline alternating so a noisy neighbour hits both alike. Rates are medians over the rounds; the
 * ratio is their quotient. Each round publishes with a fresh publisher client, and the pipeline's
 * event time carries on from round to round, so nothing is late.
 * close→row: processing time from a pane firing (the watermark passing the window end) to its
 * prediction row being durable in DuckDB; p99 over all rows of the counted pipeline rounds, both QoS.
 * Last stdout line: {"bench":"e2e","broker",...}. Progress on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../services/broker/embeddedBroker.js';
import { startPipeline, type Pipeline } from '../services/pipeline/pipeline.js';
import { driftlineConfigSchema } from '../shared/config/configSchema.js';

const N = Number(process.env.BENCH_E2E_MESSAGES ?? 30_000);
const ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? 5);
/** the pipeline's first counted round after 10 000 was often still slow: three threads' code to compile */
const WARMUP = N;
const KEYS = 200;
const START = Date.UTC(2024, 0, 1);
const log = (msg: string) => process.stderr.write(`[bench:e2e] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** This run's own topics, so other clients of a shared broker cannot mix into the count. */
const PREFIX = `bench-e2e-${process.pid}`;

/** ~210-byte vessel positions; 200 vessels, 50 ms of event time apart, so 1-minute windows keep closing. */
function payload(i: number): { topic: string; body: string } {
  const mmsi = String(412_000_000 + (i % KEYS));
  const body = JSON.stringify({
    mmsi, timestamp: new Date(START + i * 50).toISOString(), lat: 30 + (i % 97) / 1000, lon: 120 + (i % 89) / 1000,
    speed: 3.5 + (i % 7) / 10, course: (i * 7) % 360, heading: null,
  });
  return { topic: `${PREFIX}/vessels/${mmsi}/position`, body };
}

/** Publishes messages [from, from + count) with 1000 in flight; resolves with the time of the first publish. */
async function publishRange(url: string, qos: 0 | 1, topicOf: (i: number) => string, from: number, count: number): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}-${qos}-${Date.now()}`, clean: true });
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = from; i < from + count; i++) {
    const { body } = payload(i);
    const p = client.publishAsync(topicOf(i), body, { qos });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= 1000) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await client.endAsync();
  return t0;
}

interface Side {
  /** publishes `count` messages from index `from` and resolves with msg/s until the side has them all */
  round(from: number, count: number): Promise<number>;
  close(): Promise<void>;
}

async function rawSide(url: string, qos: 0 | 1): Promise<Side> {
  const sub: MqttClient = await mqtt.connectAsync(url, { clientId: `bench-sub-${process.pid}-${qos}-${Date.now()}`, clean: true });
  let got = 0;
  let target = Infinity;
  let last = 0;
  sub.on('message', () => {
    if (++got === target) last = performance.now();
  });
  const root = `bench/raw/${PREFIX}/${qos}`;
  await sub.subscribeAsync(`${root}/#`, { qos });
  return {
    async round(from, count) {
      target = got + count;
      last = 0;
      const t0 = await publishRange(url, qos, (i) => `${root}/${payload(i).topic}`, from, count);
      const deadline = Date.now() + 120_000;
      while (last === 0 && Date.now() < deadline) await sleep(2);
      if (last === 0) log(`raw QoS ${qos}: only ${count - (target - got)} of ${count} messages arrived within 120 s`);
      return ((count - Math.max(0, target - got)) * 1000) / ((last || performance.now()) - t0);
    },
    close: () => sub.endAsync(),
  };
}

async function pipelineSide(url: string, qos: 0 | 1, latencies: number[]): Promise<Side & { counting: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-e2e-'));
  const config = driftlineConfigSchema.parse({
    sources: {
      mqtt: {
        url, client_id: `bench-ingest-${process.pid}-${qos}-${Date.now()}`, session_expiry: '5m',
        // the embedded aedes speaks MQTT 3.1.1 only
        protocol_version: process.env.MQTT_URL ? 5 : 4,
      },
    },
    streams: {
      vessels: {
        schema: 'vessel_position', topic: `${PREFIX}/vessels/{key}/position`,
        window: { kind: 'tumbling', size: '1m' },
        watermark: { max_out_of_orderness: 0, idle_timeout: '2s', advance_when_idle: false },
        allowed_lateness: 0, max_future_skew: '1h',
        features: 'fishing-track', model: { name: 'fishing-gear', version: 'v1' },
      },
    },
    bus: { kind: 'embedded', path: join(dir, 'bus.sqlite') },
    sink: { kind: 'duckdb', path: join(dir, 'driftline.duckdb') },
    simulator: { enabled: false },
    log_level: 'warn',
  });
  const side = {
    counting: false,
    pipeline: undefined as Pipeline | undefined,
    async round(from: number, count: number) {
      const pipeline = this.pipeline!;
      const target = pipeline.status().worker_records_landed + count;
      const t0 = await publishRange(url, qos, (i) => payload(i).topic, from, count);
      const deadline = Date.now() + 300_000;
      // Everything taken in by the worker and its rows landed.
      while (pipeline.status().worker_records_landed < target) {
        if (Date.now() > deadline) {
          log(`pipeline QoS ${qos}: timed out with ${count - (target - pipeline.status().worker_records_landed)} of ${count} messages landed`);
          break;
        }
        await sleep(2);
      }
      const t1 = performance.now();
      return ((count - Math.max(0, target - pipeline.status().worker_records_landed)) * 1000) / (t1 - t0);
    },
    async close() {
      await this.pipeline?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  side.pipeline = await startPipeline({
    config, logger: pino({ level: 'warn' }),
    onRowsLanded: (_s, rows, firedAt, landedAt) => {
      if (!side.counting) return;
      for (let i = 0; i < rows; i++) latencies.push(landedAt - firedAt);
    },
  });
  return side;
}

function p99(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

const external = process.env.MQTT_URL;
const embedded = external ? undefined : await startEmbeddedBroker({ port: 0 });
const url = external ?? embedded!.url;
const broker = external ? 'mosquitto' : 'aedes';
log(`${WARMUP} warm-up messages, then ${ROUNDS} rounds of ${N} per side and QoS; broker ${broker} at ${url}`);
const latencies: number[] = [];
const result: Record<string, number> = {};
for (const qos of [1, 0] as const) {
  const raw = await rawSide(url, qos);
  const pipe = await pipelineSide(url, qos, latencies);
  try {
    await raw.round(0, WARMUP);
    await pipe.round(0, WARMUP);
    const rawRates: number[] = [];
    const pipeRates: number[] = [];
    pipe.counting = true;
    for (let r = 0; r < ROUNDS; r++) {
      const from = WARMUP + r * N;
      rawRates.push(await raw.round(from, N));
      pipeRates.push(await pipe.round(from, N));
      log(`QoS ${qos} round ${r + 1}: raw ${Math.round(rawRates[r]!)} msg/s, pipeline ${Math.round(pipeRates[r]!)} msg/s (${(pipeRates[r]! / rawRates[r]!).toFixed(3)})`);
    }
    const rawRate = median(rawRates);
    const pipeRate = median(pipeRates);
    result[`qos${qos}_pipeline_msgs_per_s`] = Math.round(pipeRate);
    result[`qos${qos}_raw_msgs_per_s`] = Math.round(rawRate);
    result[`qos${qos}_ratio`] = Number((pipeRate / rawRate).toFixed(3));
  } finally {
    await raw.close();
    await pipe.close();
  }
}
await embedded?.close();
console.log(JSON.stringify({
  bench: 'e2e', broker,
  qos1_pipeline_msgs_per_s: result.qos1_pipeline_msgs_per_s, qos1_raw_msgs_per_s: result.qos1_raw_msgs_per_s, qos1_ratio: result.qos1_ratio,
  qos0_pipeline_msgs_per_s: result.qos0_pipeline_msgs_per_s, qos0_raw_msgs_per_s: result.qos0_raw_msgs_per_s, qos0_ratio: result.qos0_ratio,
  p99_close_to_row_ms: Math.round(p99(latencies)),
  messages: N, rounds: ROUNDS, warmup_messages: WARMUP,
}));
process.exit(0);
