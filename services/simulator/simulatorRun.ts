import mqtt from 'mqtt';
import type { DriftlineConfig } from '../../shared/config/configSchema.js';
import type { SimulatorConfig } from '../../shared/config/simulatorSchema.js';
import { deviceMessages } from './deviceMessages.js';
import { publishPaced } from './publisher.js';

/** Finite datasets start here, so the same seed gives the same event times, windows and rows. */
export const FINITE_START = Date.UTC(2024, 0, 1);
/** Endless runs start this far in the past and catch up at `speed`, then continue live. */
export const BACKFILL_HOURS = 26;

export interface SimulatorRun {
  /** resolves with the number of messages published once a finite dataset is out (never for endless runs unless stopped) */
  readonly done: Promise<number>;
  published(): number;
  stop(): Promise<void>;
}

function topicFor(config: DriftlineConfig, schema: 'vessel_position' | 'plant_telemetry'): (key: string) => string {
  const stream = Object.values(config.streams).find((s) => s.schema === schema);
  // With no stream for a schema the simulator still publishes it, to the default topic, where it
  // becomes an unknown_topic dead letter: visible, not silently skipped.
  const pattern = stream?.topic ?? (schema === 'vessel_position' ? 'driftline/vessels/{key}/position' : 'driftline/plants/{key}/telemetry');
  return (key) => pattern.replace('{key}', key);
}

/**
 * The simulated device fleet publishing over MQTT like real devices: QoS 1, one topic per device.
 * Finite (`hours` set): a deterministic dataset from 2024-01-01, as fast as `speed` allows.
 * Endless: from BACKFILL_HOURS ago, fast-forwarded at `speed` until it reaches the wall clock, then live.
 */
export async function startSimulator(config: DriftlineConfig, sim: SimulatorConfig, brokerUrl: string, protocolVersion: 4 | 5, now = Date.now): Promise<SimulatorRun> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `driftline-simulator-${process.pid}`, protocolVersion, clean: true, reconnectPeriod: 1000 });
  const finite = sim.hours !== undefined;
  const start = finite ? FINITE_START : Math.floor((now() - BACKFILL_HOURS * 3_600_000) / 3_600_000) * 3_600_000;
  const abort = new AbortController();
  let count = 0;
  const done = publishPaced({
    client,
    messages: deviceMessages({
      seed: sim.seed, vessels: sim.vessels, plants: sim.plants, start,
      ...(finite ? { hours: sim.hours } : {}),
      vesselTopic: topicFor(config, 'vessel_position'),
      plantTopic: topicFor(config, 'plant_telemetry'),
    }),
    speed: sim.speed,
    notBeforeWallClock: !finite,
    qos: 1,
    signal: abort.signal,
    onProgress: (n) => (count = n),
  });
  return {
    done,
    published: () => count,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
      await client.endAsync();
    },
  };
}
