import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, Wait } from 'testcontainers';
import { buildOf } from '../../deploy/composeFile.js';
import type { ServiceStarter } from './startedService.js';
import { containerPorts, imageOf, stackService } from './stackService.js';

/**
 * docker-compose.yml's Pub/Sub fake: our infra/local/pstest program built with infra/docker/pstest.Dockerfile and
 * tagged like the compose image (so Docker's layer cache makes later runs quick). The Docker build API wants the
 * Dockerfile inside the context, and compose keeps it outside, so both are staged in a temporary directory.
 */
export const startPubSub: ServiceStarter = async ({ host, env }) => {
  const compose = stackService('pubsub');
  const build = buildOf(compose);
  if (build === undefined) throw new Error('docker-compose.yml: services.pubsub.build is missing (the Pub/Sub fake is built from infra/local/pstest)');
  const image = imageOf('pubsub', compose);
  const stage = mkdtempSync(join(tmpdir(), 'driftline-pstest-'));
  try {
    for (const file of readdirSync(build.context)) {
      const source = join(build.context, file);
      if (statSync(source).isFile()) copyFileSync(source, join(stage, file));
    }
    copyFileSync(build.dockerfile, join(stage, 'Dockerfile'));
    await GenericContainer.fromDockerfile(stage).build(image, { deleteOnExit: false });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const [port] = containerPorts('pubsub', compose);
  const container = await new GenericContainer(image)
    .withExposedPorts(port)
    .withWaitStrategy(Wait.forLogMessage(/Pub\/Sub fake listening/))
    .withStartupTimeout(60_000)
    .start();
  const emulatorHost = `${host}:${container.getMappedPort(port)}`;
  return {
    name: 'pubsub',
    env: { PUBSUB_EMULATOR_HOST: emulatorHost, PUBSUB_PROJECT_ID: env.PUBSUB_PROJECT_ID?.trim() || 'test' },
    description: `${image} ${container.getId().slice(0, 12)} on ${emulatorHost}`,
    stop: async () => {
      await container.stop();
    },
  };
};
