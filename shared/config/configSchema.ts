import { z } from 'zod';
import { aisSourceSchema } from './aisSourceSchema.js';
import { busSchema } from './busSchema.js';
import { defaultStreams } from './defaultStreams.js';
import { mqttSourceSchema } from './mqttSourceSchema.js';
import { checkPubsubSource, pubsubSourceSchema } from './pubsubSourceSchema.js';
import { simulatorSchema } from './simulatorSchema.js';
import { workerSchema } from './workerSchema.js';
import { sinkSchema } from './sinkSchema.js';
import { streamNamePattern, streamSchema } from './streamSchema.js';
import { topicTemplateToFilter } from '../ais/sources/aisCatcherMqttSource.js';
import { filterCovers } from './topicFilter.js';
import { compileTopicPattern, patternsOverlap, topicPatternProblem } from './topicPattern.js';

/** Bus topics the pipeline itself writes; a stream may not take their names. */
export const RESERVED_TOPICS = ['dead_letters', 'late_events'] as const;

const streamName = z.string().regex(streamNamePattern, {
  error: 'stream names must be lower-case letters, digits and "_", starting with a letter (they become bus topic names)',
});

/** `driftline.yaml`. Every key has a default except where a value can only come from the user. */
export const driftlineConfigSchema = z.strictObject({
  sources: z.strictObject({
    mqtt: mqttSourceSchema.prefault({}).describe('the MQTT broker devices publish to'),
    ais: aisSourceSchema.optional().describe('AIS feeds (NMEA 0183 over TCP/UDP/MQTT, AIS-catcher JSON) into a vessel_position stream; unset = none'),
    pubsub: pubsubSourceSchema.optional().describe('Pub/Sub subscriptions devices publish to (as Cloud IoT Core did), each feeding a stream; unset = none'),
  }).prefault({}).describe('where telemetry comes from'),
  streams: z.record(streamName, streamSchema.describe('one stream: MQTT topic → schema → key → windows → features → model → table')).prefault(defaultStreams)
    .describe('named streams; each name is also the stream\'s bus topic. Default: `vessels` (fishing-gear model) and `plants` (cooling-pue model)'),
  bus: busSchema.prefault({ kind: 'embedded' }).describe('the durable log between ingest and feature workers'),
  sink: sinkSchema.prefault({ kind: 'duckdb' }).describe('the warehouse prediction, dead-letter and late-event rows land in'),
  simulator: simulatorSchema.prefault({}).describe('the simulated device fleet'),
  worker: workerSchema.prefault({}).describe('the feature workers: window checkpoints and how often they are taken'),
  metrics: z.strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('interface /metrics, /healthz and /readyz listen on'),
    port: z.number().int().min(0).max(65535).default(9464).describe('HTTP port for /metrics, /healthz and /readyz (0 = any free port)'),
  }).prefault({}).describe('Prometheus metrics and health endpoints'),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('pino log level; logs are JSON lines on stderr'),
}).superRefine((config, ctx) => {
  const names = Object.keys(config.streams);
  if (names.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['streams'], message: 'no streams declared', params: { fix: 'declare at least one stream, or remove `streams:` to use the defaults' } });
  }
  for (const name of names) {
    if ((RESERVED_TOPICS as readonly string[]).includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['streams', name], message: `"${name}" is reserved for the pipeline's own bus topic`, params: { fix: 'rename the stream' } });
    }
  }
  // A stream whose own topic is invalid already has an issue; refinements still run after it.
  const patterns = names
    .filter((name) => topicPatternProblem(config.streams[name].topic) === undefined)
    .map((name) => ({ name, p: compileTopicPattern(config.streams[name].topic) }));
  for (let i = 0; i < patterns.length; i++) {
    for (let j = 0; j < i; j++) {
      if (patternsOverlap(patterns[i].p, patterns[j].p)) {
        ctx.addIssue({
          code: 'custom',
          path: ['streams', patterns[i].name, 'topic'],
          message: `overlaps the topic of stream "${patterns[j].name}" (${patterns[j].p.pattern}), so a message could belong to both`,
          params: { fix: 'give each stream a topic pattern no other stream can match' },
        });
      }
    }
  }
  checkPubsubSource(config.sources.pubsub, names, ctx);
  const ais = config.sources.ais;
  if (ais) {
    const target = config.streams[ais.stream];
    if (!target) {
      ctx.addIssue({ code: 'custom', path: ['sources', 'ais', 'stream'], message: `no stream named "${ais.stream}"`, params: { fix: `name a declared stream (${names.join(', ')}) of schema vessel_position` } });
    } else if (target.schema !== 'vessel_position') {
      ctx.addIssue({ code: 'custom', path: ['sources', 'ais', 'stream'], message: `stream "${ais.stream}" has schema ${target.schema}, but AIS positions are vessel_position`, params: { fix: 'name a stream whose schema is vessel_position' } });
    }
    // the MQTT ingest would take AIS messages too and dead-letter every one as unknown_topic
    const mqttTopics = config.sources.mqtt.topics ?? [];
    for (const [key, template] of [['mqtt_nmea', ais.mqtt_nmea?.topic], ['ais_catcher', ais.ais_catcher?.topic]] as const) {
      if (template === undefined) continue;
      const filter = topicTemplateToFilter(template);
      const covering = mqttTopics.find((f) => filterCovers(f, filter));
      if (covering !== undefined) {
        ctx.addIssue({
          code: 'custom', path: ['sources', 'ais', key, 'topic'],
          message: `sources.mqtt.topics entry "${covering}" also receives ${filter}, so the MQTT ingest would dead-letter every AIS message`,
          params: { fix: `narrow sources.mqtt.topics to the streams' topics, or move the AIS feed to a topic outside "${covering}"` },
        });
      }
    }
  }
  const topics = config.sources.mqtt.topics;
  if (topics) {
    for (const { name, p } of patterns) {
      if (!topics.some((f) => filterCovers(f, p.filter))) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', 'mqtt', 'topics'],
          message: `no filter receives stream "${name}" (${p.filter})`,
          params: { fix: `add "${p.filter}" to sources.mqtt.topics, or remove topics to subscribe to each stream's topic` },
        });
      }
    }
  }
});

export type DriftlineConfig = z.output<typeof driftlineConfigSchema>;
export type DriftlineConfigInput = z.input<typeof driftlineConfigSchema>;
