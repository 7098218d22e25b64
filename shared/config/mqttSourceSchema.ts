import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from './durationSchema.js';

const brokerUrl = z.string().superRefine((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ws:', 'wss:'].includes(url.protocol)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an MQTT broker URL`,
      params: { fix: 'write e.g. "mqtt://broker.local:1883" or "mqtts://broker.local:8883"; remove the key to start the embedded broker' },
    });
  }
});

export const tlsSchema = z.strictObject({
  ca: z.string().min(1).optional().describe('path to the CA certificate (PEM) that signed the broker\'s certificate'),
  cert: z.string().min(1).optional().describe('path to this client\'s certificate (PEM), for brokers that require client certificates'),
  key: z.string().min(1).optional().describe('path to this client\'s private key (PEM)'),
  reject_unauthorized: z.boolean().default(true)
    .describe('refuse brokers whose certificate does not verify; turn off only for testing'),
}).superRefine((tls, ctx) => {
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [tls.cert === undefined ? 'cert' : 'key'],
      message: 'a client certificate needs both cert and key',
      params: { fix: 'set both tls.cert and tls.key, or neither' },
    });
  }
});

export const mqttSourceSchema = z.strictObject({
  url: brokerUrl.optional()
    .describe('broker URL (mqtt://, mqtts://, ws://, wss://); leave unset to start the embedded aedes broker'),
  embedded: z.strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('interface the embedded broker listens on'),
    port: z.number().int().min(0).max(65535).default(1883).describe('TCP port of the embedded broker (0 = any free port)'),
  }).prefault({}).describe('the embedded aedes broker, used only when `url` is unset'),
  client_id: z.string().min(1).max(256).default('driftline-ingest')
    .describe('fixed MQTT client id: the broker keeps this session\'s subscriptions and unacknowledged messages across reconnects'),
  username: z.string().optional().describe('MQTT username; `${ENV_VAR}` is replaced from the environment'),
  password: z.string().optional().describe('MQTT password; write `${ENV_VAR}` to keep it out of the file'),
  tls: tlsSchema.optional().describe('TLS settings for mqtts:// and wss:// brokers'),
  protocol_version: z.union([z.literal(5), z.literal(4)]).default(5)
    .describe('MQTT protocol: 5, or 4 (= 3.1.1) for brokers without MQTT 5; the embedded aedes broker always uses 4'),
  session_expiry: durationSchema.prefault('24h')
    .describe('MQTT 5 session expiry: how long the broker keeps queuing QoS 1 messages while the ingest is offline'),
  receive_maximum: z.number().int().min(1).max(65535).default(1000)
    .describe('MQTT 5 receive maximum: unacknowledged QoS 1 messages the broker may have in flight to the ingest (bounds a batch)'),
  keepalive: durationSchema.prefault('30s').describe('MQTT keepalive interval'),
  reconnect_period: positiveDurationSchema.prefault('1s').describe('wait between reconnect attempts'),
  topics: z.array(z.string().min(1)).min(1).optional()
    .describe('subscription filters; default: each stream\'s topic with `{key}` as `+`. Messages on a topic no stream matches become `unknown_topic` dead letters'),
  batch: z.strictObject({
    max_messages: z.number().int().min(1).max(100_000).default(500)
      .describe('most messages in one bus append'),
    linger: durationSchema.prefault('0ms')
      .describe('how long a batch waits for more messages; 0 = append as soon as the input pauses or the previous append completes (raise for buses where each append is costly)'),
  }).prefault({}).describe('group commit: messages are appended to the bus in batches and acknowledged to the broker only once durable'),
});

export type MqttSourceConfig = z.output<typeof mqttSourceSchema>;
