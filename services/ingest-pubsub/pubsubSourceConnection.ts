import type { PubSubConnection } from '../../shared/bus/pubsub/pubsubClient.js';
import type { BusConfig } from '../../shared/config/busSchema.js';
import type { PubSubSourceConfig } from '../../shared/config/pubsubSourceSchema.js';

/**
 * Where the Pub/Sub ingest pulls from: `sources.pubsub` first, then the Pub/Sub bus's settings (devices
 * and bus usually share a project), then the environment. An unset emulator host leaves the client to
 * read PUBSUB_EMULATOR_HOST itself, or to reach Google.
 */
export function pubsubSourceConnection(
  source: PubSubSourceConfig,
  bus: BusConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PubSubConnection {
  const viaBus = bus.kind === 'pubsub' ? bus : undefined;
  const projectId = source.project_id ?? viaBus?.project_id ?? (env.PUBSUB_PROJECT_ID?.trim() || undefined);
  if (!projectId) {
    throw new Error('sources.pubsub.project_id is unset, the bus is not Pub/Sub and PUBSUB_PROJECT_ID is not set (fix: set sources.pubsub.project_id)');
  }
  const emulatorHost = source.emulator_host ?? viaBus?.emulator_host;
  return { projectId, ...(emulatorHost ? { emulatorHost } : {}) };
}
