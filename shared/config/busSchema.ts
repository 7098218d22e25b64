import { z } from 'zod';

const topicPrefix = z.string().regex(/^[A-Za-z0-9._-]*$/, { error: 'may hold only letters, digits, ".", "_" and "-"' });

export const busSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('embedded').describe('crash-safe local log (SQLite, WAL) in one file; one machine'),
    path: z.string().min(1).default('./data/bus.sqlite').describe('log file; created if missing'),
    partitions: z.number().int().min(1).max(1024).default(4).describe('partitions per topic; records are assigned by key'),
  }).describe('embedded bus'),
  z.strictObject({
    kind: z.literal('kafka').describe('Apache Kafka (kafkajs)'),
    brokers: z.array(z.string().min(1)).min(1).describe('bootstrap brokers, host:port'),
    client_id: z.string().min(1).default('driftline').describe('Kafka client id'),
    topic_prefix: topicPrefix.default('driftline.').describe('prepended to stream names to form Kafka topic names'),
    partitions: z.number().int().min(1).max(10_000).default(4).describe('partitions for topics driftline creates'),
    ssl: z.boolean().default(false).describe('connect with TLS'),
    sasl: z.strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism'),
      username: z.string().min(1).describe('SASL username'),
      password: z.string().min(1).describe('SASL password; write `${ENV_VAR}` to keep it out of the file'),
    }).optional().describe('SASL authentication'),
  }).describe('Kafka bus'),
  z.strictObject({
    kind: z.literal('pubsub').describe('Google Cloud Pub/Sub, ordering keys = stream keys'),
    project_id: z.string().min(1).describe('Google Cloud project'),
    topic_prefix: topicPrefix.default('driftline-').describe('prepended to stream names to form Pub/Sub topic ids'),
    emulator_host: z.string().min(1).optional().describe('host:port of a Pub/Sub emulator or fake (sets PUBSUB_EMULATOR_HOST)'),
  }).describe('Pub/Sub bus'),
]);

export type BusConfig = z.output<typeof busSchema>;
