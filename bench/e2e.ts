/**
 * bench:e2e — MQTT publish → landed row, against raw MQTT on the same broker, in one run.
 *
 * Broker: mosquitto at MQTT_URL when set (infra/local's settings: max_inflight_messages 1000,
 * max_queued_messages 0), else the embedded aedes broker. For QoS 0 and QoS 1:
 * - raw: one mqtt.js publisher → broker → one mqtt.js subscriber, N messages, first publish to last receive;
 * - pipeline: the same publisher → ingest → embedded bus → feature worker (windows, features,
 *   fishing-gear model) → DuckDB, first publish until the worker has taken in all N messages and
 *   landed their rows.
 * close→row: processing time from a pane firing (the watermark passing the window end) to its
 * prediction row being durable in DuckDB; p99 over all rows of both pipeline runs.
 * Last stdout line: {"bench":"e2e","broker",...}. Progress on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../services/broker/embeddedBroker.js';
import { startPipeline } from '../services/pipeline/pipeline.js';
import { driftlineConfigSchema } from '../shared/config/configSchema.js';

const N = Number(process.env.BENCH_E2E_MESSAGES ?? 30_000);
const KEYS = 200;
const START = Date.UTC(2024, 0, 1);
const log = (msg: string) => process.stderr.write(`[bench:e2e] ${msg}\n`);

/** ~210-byte vessel positions; 200 vessels, 50 ms of event time apart, so 1-minute windows keep closing. */
/** This run's own topics, so other clients of a shared broker cannot mix into the count. */
const PREFIX = `bench-e2e-${process.pid}`;

function payload(i: number): { topic: string; body: string } {
  const mmsi = String(412_000_000 + (i % KEYS));
  const body = JSON.stringify({
    mmsi, timestamp: new Date(START + i * 50).toISOString(), lat: 30 + (i % 97) / 1000, lon: 120 + (i % 89) / 1000,
    speed: 3.5 + (i % 7) / 10, course: (i * 7) % 360, heading: null,
  });
  return { topic: `${PREFIX}/vessels/${mmsi}/position`, body };
}

async function publishAll(url: string, qos: 0 | 1, topicOf: (i: number) => string): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}-${qos}-${Date.now()}`, clean: true });
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < N; i++) {
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

async function raw(url: string, qos: 0 | 1): Promise<number> {
  const sub = await mqtt.connectAsync(url, { clientId: `bench-sub-${process.pid}-${qos}-${Date.now()}`, clean: true });
  let got = 0;
  let last = 0;
  const all = new Promise<void>((resolve) => {
    sub.on('message', () => {
      got++;
      if (got === N) {
        last = performance.now();
        resolve();
      }
    });
  });
  await sub.subscribeAsync(`bench/raw/${PREFIX}/${qos}/#`, { qos });
  const t0 = await publishAll(url, qos, (i) => `bench/raw/${PREFIX}/${qos}/${payload(i).topic}`);
  await Promise.race([all, new Promise((r) => setTimeout(r, 120_000))]);
  await sub.endAsync();
  if (got < N) log(`raw QoS ${qos}: only ${got} of ${N} messages arrived within 120 s`);
  return (got * 1000) / ((last || performance.now()) - t0);
}

async function pipelineRun(url: string, qos: 0 | 1, latencies: number[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-e2e-'));
  const config = driftlineConfigSchema.parse({
    sources: { mqtt: { url, client_id: `bench-ingest-${process.pid}-${qos}-${Date.now()}`, session_expiry: '5m' } },
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
  const pipeline = await startPipeline({
    config, logger: pino({ level: 'warn' }),
    onRowsLanded: (_s, rows, firedAt, landedAt) => {
      for (let i = 0; i < rows; i++) latencies.push(landedAt - firedAt);
    },
  });
  try {
    const t0 = await publishAll(url, qos, (i) => payload(i).topic);
    const deadline = Date.now() + 300_000;
    // Everything taken in by the worker and its rows landed.
    while (pipeline.status().worker_records_landed < N) {
      if (Date.now() > deadline) {
        log(`pipeline QoS ${qos}: timed out with ${pipeline.status().worker_records_landed} of ${N} messages landed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const t1 = performance.now();
    return (pipeline.status().worker_records_landed * 1000) / (t1 - t0);
  } finally {
    await pipeline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
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
log(`${N} messages per run, broker ${broker} at ${url}`);
const latencies: number[] = [];
const result: Record<string, number> = {};
for (const qos of [1, 0] as const) {
  // Raw and pipeline alternate so a noisy neighbour hits both alike.
  const rawRate = await raw(url, qos);
  log(`raw QoS ${qos}: ${Math.round(rawRate)} msg/s`);
  const pipeRate = await pipelineRun(url, qos, latencies);
  log(`pipeline QoS ${qos}: ${Math.round(pipeRate)} msg/s`);
  result[`qos${qos}_pipeline_msgs_per_s`] = Math.round(pipeRate);
  result[`qos${qos}_raw_msgs_per_s`] = Math.round(rawRate);
  result[`qos${qos}_ratio`] = Number((pipeRate / rawRate).toFixed(3));
}
await embedded?.close();
console.log(JSON.stringify({
  bench: 'e2e', broker,
  qos1_pipeline_msgs_per_s: result.qos1_pipeline_msgs_per_s, qos1_raw_msgs_per_s: result.qos1_raw_msgs_per_s, qos1_ratio: result.qos1_ratio,
  qos0_pipeline_msgs_per_s: result.qos0_pipeline_msgs_per_s, qos0_raw_msgs_per_s: result.qos0_raw_msgs_per_s, qos0_ratio: result.qos0_ratio,
  p99_close_to_row_ms: Math.round(p99(latencies)),
}));
process.exit(0);
