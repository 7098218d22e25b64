import { GenericContainer, Wait } from 'testcontainers';
import type { ServiceStarter } from './startedService.js';
import { containerPorts, imageOf, stackService } from './stackService.js';

/**
 * docker-compose.yml's goccy/bigquery-emulator (the version infra/local/bigquery/go.mod pins) with its command,
 * except the project: the emulator serves only the project it was started with, so that is BIGQUERY_PROJECT_ID
 * (default `test`, as infra/local/up.sh) rather than the stack's `driftline`.
 */
export const startBigQuery: ServiceStarter = async ({ host, env }) => {
  const compose = stackService('bigquery');
  const image = imageOf('bigquery', compose);
  const projectId = env.BIGQUERY_PROJECT_ID?.trim() || 'test';
  const command = Array.isArray(compose.command) ? compose.command : [];
  if (!command.some((arg) => arg.startsWith('--project='))) {
    throw new Error('docker-compose.yml: services.bigquery.command must be an array with --project=<id>');
  }
  const [restPort, ...otherPorts] = containerPorts('bigquery', compose);
  const container = await new GenericContainer(image)
    .withCommand(command.map((arg) => (arg.startsWith('--project=') ? `--project=${projectId}` : arg)))
    .withExposedPorts(restPort, ...otherPorts)
    .withWaitStrategy(Wait.forLogMessage(/REST server listening/))
    .withStartupTimeout(60_000)
    .start();
  const apiEndpoint = `http://${host}:${container.getMappedPort(restPort)}`;
  return {
    name: 'bigquery',
    env: { BIGQUERY_EMULATOR_HOST: apiEndpoint, BIGQUERY_PROJECT_ID: projectId },
    description: `${image} ${container.getId().slice(0, 12)} on ${apiEndpoint}`,
    stop: async () => {
      await container.stop();
    },
  };
};
