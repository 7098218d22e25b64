import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenericContainer, Wait } from 'testcontainers';
import { hostPathOf } from '../../deploy/composeFile.js';
import { freePort } from './freePort.js';
import type { ServiceStarter } from './startedService.js';
import { containerPorts, imageOf, stackService } from './stackService.js';

const CONFIG_IN_CONTAINER = '/mosquitto/config/mosquitto.conf';
/** MOSQUITTO_CTL for this container: `docker stop`/`docker start` by the id in DRIFTLINE_MOSQUITTO_CONTAINER. */
export const MOSQUITTO_CTL_SCRIPT = fileURLToPath(new URL('./mosquittoCtl.sh', import.meta.url));

function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * docker-compose.yml's mosquitto (eclipse-mosquitto 2.x) with its infra/docker/mosquitto.conf: listener 1883,
 * anonymous, max_inflight_messages 1000, max_queued_messages 0, persistence in the container's /mosquitto/data.
 * The host port is fixed up front so it survives the broker-restart test's stop/start.
 */
export const startMosquitto: ServiceStarter = async ({ host }) => {
  const compose = stackService('mosquitto');
  const config = hostPathOf(compose, CONFIG_IN_CONTAINER);
  if (config === undefined) throw new Error(`docker-compose.yml: services.mosquitto mounts no file at ${CONFIG_IN_CONTAINER}`);
  const [brokerPort] = containerPorts('mosquitto', compose);
  const hostPort = await freePort();
  const container = await new GenericContainer(imageOf('mosquitto', compose))
    .withCopyFilesToContainer([{ source: config, target: CONFIG_IN_CONTAINER, mode: 0o644 }])
    .withExposedPorts({ container: brokerPort, host: hostPort })
    .withWaitStrategy(Wait.forLogMessage(/mosquitto version \S+ running/))
    .withStartupTimeout(60_000)
    .start();
  const env: Record<string, string> = {
    MQTT_URL: `mqtt://${host}:${hostPort}`,
    DRIFTLINE_MOSQUITTO_CONTAINER: container.getId(),
  };
  // Without the docker CLI the broker cannot be restarted from a test: MOSQUITTO_CTL stays unset, and the
  // broker-restart tests then fail under CI=true (elsewhere they fail too: they are declared for restartable brokers).
  if (onPath('docker')) env.MOSQUITTO_CTL = MOSQUITTO_CTL_SCRIPT;
  return {
    name: 'mqtt',
    env,
    description: `${imageOf('mosquitto', compose)} ${container.getId().slice(0, 12)} on ${host}:${hostPort}`,
    stop: async () => {
      await container.stop(); // thrown away: no need for a graceful save
    },
  };
};
