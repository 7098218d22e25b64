import { getContainerRuntimeClient } from 'testcontainers';
import type { Env, ServiceName } from '../serviceEnv.js';
import { startBigQuery } from './bigqueryContainer.js';
import { startKafka } from './kafkaContainer.js';
import { startMosquitto } from './mosquittoContainer.js';
import { startPubSub } from './pubsubContainer.js';
import type { ServiceStarter, StartedService } from './startedService.js';

/** Loaded lazily by globalSetup.ts: importing testcontainers costs over a second, paid only when a container is due. */

const STARTERS: { readonly [K in ServiceName]: ServiceStarter } = {
  mqtt: startMosquitto,
  kafka: startKafka,
  pubsub: startPubSub,
  bigquery: startBigQuery,
};

/** Starts the named services in parallel; if any fails, stops the others and throws naming each failure. */
export async function startContainers(names: readonly ServiceName[], env: Env): Promise<StartedService[]> {
  // testcontainers' runtime detection (DOCKER_HOST, ~/.testcontainers.properties, sockets); throws if none answers.
  const client = await getContainerRuntimeClient();
  const runtimeHost = client.info.containerRuntime.host;
  // Never `localhost` in service addresses: the Pub/Sub Node client breaks when it resolves to ::1.
  const host = runtimeHost === 'localhost' ? '127.0.0.1' : runtimeHost;
  const results = await Promise.allSettled(names.map((name) => STARTERS[name]({ host, env })));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${names[i]}: ${(r.reason as Error)?.message ?? r.reason}`] : []));
  if (failures.length > 0) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw new Error(`testcontainers could not start ${failures.join('; ')}`);
  }
  return started;
}
