import { PubSub } from '@google-cloud/pubsub';

export interface PubSubConnection {
  readonly projectId: string;
  /** host:port of the emulator or fake; without it the client talks to Google (application default credentials), or to `PUBSUB_EMULATOR_HOST` when that is set */
  readonly emulatorHost?: string | undefined;
}

/**
 * The one place a PubSub client is configured, so the bus and the Pub/Sub ingest reach the same
 * endpoint the same way (emulatorMode: plaintext gRPC, no credentials).
 */
export function createPubSubClient(c: PubSubConnection): PubSub {
  return new PubSub({
    projectId: c.projectId,
    ...(c.emulatorHost ? { apiEndpoint: c.emulatorHost, emulatorMode: true } : {}),
  });
}
