import type { DriftlineConfig } from './configSchema.js';
import type { StreamConfig } from './streamSchema.js';
import { compileTopicPattern } from './topicPattern.js';

/** 86_400_000 → "24h", 90_000 → "90s": the largest unit that divides the value. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (unit === 'd' && ms < 2 * size) continue;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function windowText(w: StreamConfig['window']): string {
  switch (w.kind) {
    case 'tumbling': return `tumbling ${formatDuration(w.size)}`;
    case 'sliding': return `sliding ${formatDuration(w.size)} every ${formatDuration(w.period)}`;
    case 'session': return `session gap ${formatDuration(w.gap)}`;
  }
}

/** What `driftline config check` prints for a valid config: one line per part of the pipeline. */
export function configSummary(config: DriftlineConfig, source: string, hash: string): string {
  const mqtt = config.sources.mqtt;
  const lines = [`${source}: OK`];
  lines.push(mqtt.url
    ? `  mqtt: ${mqtt.url} (MQTT ${mqtt.protocol_version === 5 ? '5' : '3.1.1'}, client id ${mqtt.client_id}${mqtt.tls ? ', TLS' : ''}${mqtt.username ? `, user ${mqtt.username}` : ''})`
    : `  mqtt: embedded aedes broker on ${mqtt.embedded.host}:${mqtt.embedded.port} (MQTT 3.1.1, client id ${mqtt.client_id})`);
  for (const [name, s] of Object.entries(config.streams)) {
    const shadow = s.shadow_model ? `, shadow ${s.shadow_model.name}@${s.shadow_model.version}` : '';
    lines.push(`  stream ${name}: ${s.schema} on ${compileTopicPattern(s.topic).filter}, key ${s.key_field}, ${windowText(s.window)}, ` +
      `features ${s.features}, model ${s.model.name}@${s.model.version}${shadow} → ${s.sink_table}`);
  }
  const bus = config.bus;
  lines.push(bus.kind === 'embedded' ? `  bus: embedded ${bus.path} (${bus.partitions} partitions)`
    : bus.kind === 'kafka' ? `  bus: kafka ${bus.brokers.join(',')} (topics ${bus.topic_prefix}<stream>)`
      : `  bus: pubsub project ${bus.project_id}${bus.emulator_host ? ` via ${bus.emulator_host}` : ''}`);
  const sink = config.sink;
  lines.push(sink.kind === 'duckdb' ? `  sink: duckdb ${sink.path}` : `  sink: bigquery ${sink.project_id}.${sink.dataset}`);
  const sim = config.simulator;
  lines.push(sim.enabled
    ? `  simulator: on (seed ${sim.seed}, ${sim.vessels} vessels, ${sim.plants} plants, ${sim.speed}× speed, ${sim.hours === undefined ? 'endless' : `${sim.hours} h`})`
    : '  simulator: off');
  lines.push(`  metrics: http://${config.metrics.host}:${config.metrics.port}/metrics`);
  lines.push(`  config hash: ${hash}`);
  return lines.join('\n');
}
