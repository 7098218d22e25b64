import { z } from 'zod';
import { durationSchema } from './durationSchema.js';

/**
 * A subscription id or its full path. Pub/Sub ids: a letter first, then letters, digits and - _ . ~ + %,
 * 3 to 255 characters, not starting with "goog".
 */
const subscriptionName = z.string().superRefine((value, ctx) => {
  const m = /^(?:projects\/[^/]+\/subscriptions\/)?([^/]*)$/.exec(value);
  const id = m?.[1] ?? '';
  if (!/^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/.test(id) || id.toLowerCase().startsWith('goog')) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a Pub/Sub subscription id`,
      params: { fix: 'write the subscription id (a letter, then letters, digits and - _ . ~ + %, 3 to 255 characters) or projects/<project>/subscriptions/<id>' },
    });
  }
});

/** Google accepts ack deadlines from 10 s to 600 s. */
const ackDeadline = durationSchema.refine((ms) => ms >= 10_000 && ms <= 600_000 && ms % 1000 === 0, {
  message: 'must be whole seconds from 10s to 600s (Pub/Sub\'s limits)',
  params: { fix: 'write e.g. "60s"' },
});

/**
 * `sources.pubsub`: devices that publish straight to Pub/Sub (as Cloud IoT Core used to). Each
 * subscription feeds one stream; a message's body is validated like an MQTT payload, and its
 * identity attribute (Cloud IoT Core's `deviceId`), when present, must equal the payload's key.
 */
export const pubsubSourceSchema = z.strictObject({
  project_id: z.string().min(1).optional()
    .describe('Google Cloud project of the subscriptions; default: bus.project_id when the bus is Pub/Sub, else the environment variable PUBSUB_PROJECT_ID'),
  emulator_host: z.string().min(1).optional()
    .describe('host:port of a Pub/Sub emulator or fake; default: bus.emulator_host when the bus is Pub/Sub, else the environment variable PUBSUB_EMULATOR_HOST, else Google with application default credentials'),
  subscriptions: z.array(z.strictObject({
    subscription: subscriptionName.describe('subscription id (or projects/<p>/subscriptions/<id>); it must exist, driftline does not create it'),
    stream: z.string().min(1).describe('the stream whose schema validates the messages and whose bus topic receives them'),
  }).describe('one subscription and the stream it feeds')).min(1)
    .describe('subscriptions to pull, each feeding one stream'),
  identity_attribute: z.string().min(1).default('deviceId')
    .describe('message attribute naming the device; when present it must equal the payload\'s key field, else the message becomes an `identity_mismatch` dead letter'),
  max_outstanding_messages: z.number().int().min(1).max(1_000_000).default(1000)
    .describe('flow control, per subscription: most messages held unacknowledged (received, not yet durable on the bus)'),
  ack_deadline: ackDeadline.prefault('60s')
    .describe('how long Pub/Sub waits for an acknowledgement before redelivering; the client extends it while a message is held'),
  batch: z.strictObject({
    max_messages: z.number().int().min(1).max(100_000).default(500)
      .describe('most messages in one bus append'),
    linger: durationSchema.prefault('0ms')
      .describe('how long a batch waits for more messages; 0 = append as soon as the input pauses or the previous append completes'),
  }).prefault({}).describe('group commit: messages are appended to the bus in batches and acknowledged to Pub/Sub only once durable'),
  retry_backoff: z.strictObject({
    initial: durationSchema.refine((ms) => ms > 0, { message: 'must be longer than 0', params: { fix: 'use e.g. "500ms"' } }).prefault('500ms')
      .describe('wait after a failed bus append before its messages are handed back (nacked) for redelivery'),
    max: durationSchema.refine((ms) => ms > 0, { message: 'must be longer than 0', params: { fix: 'use e.g. "30s"' } }).prefault('30s')
      .describe('longest such wait; the wait doubles with each consecutive failure up to this'),
  }).prefault({}).describe('when the bus refuses an append, messages wait this long before Pub/Sub gets them back, so a down bus does not spin'),
});

export type PubSubSourceConfig = z.output<typeof pubsubSourceSchema>;

/**
 * Cross-section checks of `sources.pubsub` (run by the config's superRefine): every subscription names
 * a declared stream, and none is listed twice (two pullers would split its messages between two streams).
 */
export function checkPubsubSource(
  pubsub: PubSubSourceConfig | undefined,
  streams: readonly string[],
  ctx: { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string; params: { fix: string } }): void },
): void {
  if (!pubsub) return;
  const seen = new Map<string, number>();
  pubsub.subscriptions.forEach((s, i) => {
    if (!streams.includes(s.stream)) {
      ctx.addIssue({
        code: 'custom', path: ['sources', 'pubsub', 'subscriptions', i, 'stream'],
        message: `no stream named "${s.stream}"`,
        params: { fix: `name a declared stream (${streams.join(', ')})` },
      });
    }
    const id = s.subscription.slice(s.subscription.lastIndexOf('/') + 1);
    const first = seen.get(id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom', path: ['sources', 'pubsub', 'subscriptions', i, 'subscription'],
        message: `subscription "${id}" is already listed at sources.pubsub.subscriptions[${first}]`,
        params: { fix: 'list each subscription once' },
      });
    } else {
      seen.set(id, i);
    }
  });
}
