import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantTelemetrySchema } from '../../schemas/messages/plantTelemetry.js';
import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import { driftlineConfigSchema, type DriftlineConfig } from '../../shared/config/configSchema.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import type { Pipeline } from '../../services/pipeline/pipeline.js';
import { DuplicateFilter } from '../../services/feature-worker/duplicateFilter.js';
import { deviceMessages } from '../../services/simulator/deviceMessages.js';
import { FINITE_START } from '../../services/simulator/simulatorRun.js';

export const DATASET = { seed: 7, vessels: 4, plants: 2, hours: 26 } as const;

export interface Dataset {
  readonly seed: number;
  readonly vessels: number;
  readonly plants: number;
  readonly hours: number;
}
const DAY = 86_400_000;
const FIVE_MIN = 300_000;

/**
 * A config for pipeline tests: a real broker, files in a fresh folder, and windowing settings
 * under which no simulated event is late (AIS deliveries trail their fix by at most ~4 h, less
 * than max_out_of_orderness), so the expected windows follow from the dataset alone. A short
 * idle_timeout lets partitions that hold no key stop holding the watermark back.
 */
export function testConfig(
  mqttUrl: string,
  clientId: string,
  options: {
    idleTimeout?: string | null;
    dir?: string;
    /** first MQTT topic level (default `driftline`); a unique one keeps tests that share a broker apart */
    topicRoot?: string;
    /** `bus:` section instead of the embedded log in `dir` */
    bus?: Record<string, unknown>;
    /** `sink:` section instead of DuckDB in `dir` */
    sink?: Record<string, unknown>;
    /** `worker:` section (checkpoint file and interval) */
    worker?: Record<string, unknown>;
    /** the simulated fleet; default DATASET */
    dataset?: Dataset;
  } = {},
): { config: DriftlineConfig; input: unknown; dir: string } {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'driftline-e2e-'));
  const idle_timeout = options.idleTimeout === undefined ? '15s' : options.idleTimeout;
  const root = options.topicRoot ?? 'driftline';
  const input = {
    // A short session expiry: the broker forgets this test's persistent session soon after it ends.
    sources: { mqtt: { url: mqttUrl, client_id: clientId, topics: [`${root}/#`], session_expiry: '10m' } },
    streams: {
      vessels: {
        schema: 'vessel_position', topic: `${root}/vessels/{key}/position`,
        window: { kind: 'tumbling', size: '24h' },
        watermark: { max_out_of_orderness: '6h', idle_timeout, advance_when_idle: false },
        allowed_lateness: '1d', max_future_skew: '1h',
        features: 'fishing-track', model: { name: 'fishing-gear', version: 'v1' },
      },
      plants: {
        schema: 'plant_telemetry', topic: `${root}/plants/{key}/telemetry`,
        window: { kind: 'tumbling', size: '5m' },
        watermark: { max_out_of_orderness: '1h', idle_timeout, advance_when_idle: false },
        allowed_lateness: '1h', max_future_skew: '1h',
        features: 'cooling-plant', model: { name: 'cooling-pue', version: '1.0.0' },
      },
    },
    bus: options.bus ?? { kind: 'embedded', path: join(dir, 'bus.sqlite') },
    sink: options.sink ?? { kind: 'duckdb', path: join(dir, 'driftline.duckdb') },
    simulator: { enabled: true, ...(options.dataset ?? DATASET), speed: 1_000_000 },
    ...(options.worker ? { worker: options.worker } : {}),
    metrics: { port: 0 },
    log_level: 'warn',
  };
  return { config: driftlineConfigSchema.parse(input), input, dir };
}

export interface ExpectedWindows {
  /** `stream|key|window_start` → events the window should count (duplicates excluded) */
  readonly windows: Map<string, number>;
  readonly duplicates: number;
  readonly messages: number;
}

/** What the pipeline must produce for `dataset`, computed from the simulator's messages directly. */
export function expectedWindows(dataset: Dataset = DATASET): ExpectedWindows {
  const windows = new Map<string, number>();
  const filter = new DuplicateFilter();
  let duplicates = 0;
  let messages = 0;
  for (const m of deviceMessages({
    ...dataset, start: FINITE_START,
    vesselTopic: (k) => `driftline/vessels/${k}/position`, plantTopic: (k) => `driftline/plants/${k}/telemetry`,
  })) {
    messages++;
    const vessel = m.topic.includes('/vessels/');
    const e = (vessel ? vesselPositionSchema : plantTelemetrySchema).parse(JSON.parse(m.payload)) as { timestamp: number; mmsi?: string; plant_id?: string };
    const key = (vessel ? e.mmsi : e.plant_id)!;
    if (filter.isDuplicate(key, e.timestamp)) {
      duplicates++;
      continue;
    }
    const size = vessel ? DAY : FIVE_MIN;
    const id = `${vessel ? 'vessels' : 'plants'}|${key}|${Math.floor(e.timestamp / size) * size}`;
    windows.set(id, (windows.get(id) ?? 0) + 1);
  }
  return { windows, duplicates, messages };
}

/** Polls `ok` every 100 ms; fails naming `what` after `timeoutMs` (generous: CI machines are shared). */
export async function until(what: string, ok: () => boolean, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


/**
 * Waits until `ready` holds and `progress` has not changed for `quietMs`. On Kafka a consumer-group
 * rebalance (members of the shared group joining or leaving, this test's or another's) makes the
 * worker replay from its checkpoint, so record counts alone can match while replayed records are
 * still in flight; a quiet spell after they match is what says the worker has caught up.
 */
export async function untilQuiet(what: string, ready: () => boolean, progress: () => number, quietMs = 3000, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = progress();
  let since = Date.now();
  for (;;) {
    const now = progress();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    if (ready() && Date.now() - since >= quietMs) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** End of a finite in-process run: fire every open window, stop, and open the run's DuckDB warehouse to read it. */
export async function drainedWarehouse(pipeline: Pipeline, config: DriftlineConfig): Promise<DuckDbSink> {
  await pipeline.drain();
  await pipeline.stop();
  if (config.sink.kind !== 'duckdb') throw new Error(`drainedWarehouse: the run wrote to ${config.sink.kind}, not DuckDB`);
  return DuckDbSink.open({ path: config.sink.path });
}
