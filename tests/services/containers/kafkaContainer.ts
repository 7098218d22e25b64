import { GenericContainer, Wait } from 'testcontainers';
import { freePort } from './freePort.js';
import type { ServiceStarter } from './startedService.js';
import { containerPorts, environmentOf, imageOf, stackService } from './stackService.js';

/**
 * docker-compose.yml's Kafka: apache/kafka (the version infra/local/kafka.sh runs), single-node KRaft, with the
 * compose file's environment. The container keeps the hostname `kafka` so the compose listeners and quorum voter
 * resolve inside it; only the HOST listener's advertised address changes, to the port published on this machine.
 * That port is fixed before start because the broker must advertise it in its config.
 */
export const startKafka: ServiceStarter = async ({ host }) => {
  const compose = stackService('kafka');
  const environment = environmentOf(compose);
  const advertised = environment.KAFKA_ADVERTISED_LISTENERS ?? '';
  if (!/(^|,)HOST:\/\/[^,]+/.test(advertised)) {
    throw new Error('docker-compose.yml: services.kafka.environment.KAFKA_ADVERTISED_LISTENERS has no HOST:// listener for clients outside the stack');
  }
  const [clientPort] = containerPorts('kafka', compose);
  const hostPort = await freePort();
  const image = imageOf('kafka', compose);
  const container = await new GenericContainer(image)
    .withHostname('kafka')
    .withEnvironment({
      ...environment,
      KAFKA_ADVERTISED_LISTENERS: advertised.replace(/HOST:\/\/[^,]+/, `HOST://${host}:${hostPort}`),
    })
    .withExposedPorts({ container: clientPort, host: hostPort })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  return {
    name: 'kafka',
    env: { KAFKA_BROKERS: `${host}:${hostPort}` },
    description: `${image} ${container.getId().slice(0, 12)} on ${host}:${hostPort}`,
    stop: async () => {
      await container.stop();
    },
  };
};
