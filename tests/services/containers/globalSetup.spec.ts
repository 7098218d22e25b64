import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import setup, { setupContainers, type ContainerStarter, type SetupDeps } from './globalSetup.js';
import type { StartedService } from './startedService.js';

const ALL_SET = {
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  MOSQUITTO_CTL: '/work/infra/local/mosquitto.sh',
  KAFKA_BROKERS: '127.0.0.1:9092',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
  PUBSUB_PROJECT_ID: 'test',
  BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050',
  BIGQUERY_PROJECT_ID: 'test',
};

const require = createRequire(import.meta.url);
const testcontainersLoaded = () => Object.keys(require.cache).some((path) => /node_modules[\\/]testcontainers[\\/]/.test(path));

/** A stand-in for testcontainers: records what it was asked to start and stop. */
function fakeStarter(envs: Record<string, Record<string, string>>) {
  const stopped: string[] = [];
  const start = vi.fn<ContainerStarter>(async (names) =>
    names.map((name): StartedService => ({
      name,
      env: envs[name] ?? {},
      description: `fake ${name}`,
      stop: async () => {
        stopped.push(name);
      },
    })));
  return { start, stopped };
}

function deps(overrides: Partial<SetupDeps>): SetupDeps & { lines: string[] } {
  const lines: string[] = [];
  return {
    findDockerEngine: () => 'unix:///var/run/docker.sock',
    loadStarter: async () => {
      throw new Error('loadStarter must not be called in this test');
    },
    log: (line) => lines.push(line),
    lines,
    ...overrides,
  };
}

describe('testcontainers globalSetup', () => {
  it('with every service variable set: starts nothing, never looks for Docker, changes no variable', async () => {
    const env = { ...ALL_SET, DRIFTLINE_TESTCONTAINERS: '1' };
    const findDockerEngine = vi.fn(() => 'unix:///var/run/docker.sock');
    const loadStarter = vi.fn(async (): Promise<ContainerStarter> => {
      throw new Error('touched Docker');
    });
    const d = deps({ findDockerEngine, loadStarter });
    await expect(setupContainers(env, d)).resolves.toBeUndefined();
    expect(findDockerEngine).not.toHaveBeenCalled();
    expect(loadStarter).not.toHaveBeenCalled();
    expect(env).toEqual({ ...ALL_SET, DRIFTLINE_TESTCONTAINERS: '1' });
    expect(d.lines).toEqual(['nothing to start: every service variable is set']);
  });

  it('the real entry point, as CI runs it (variables set): a fast no-op that does not load testcontainers', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, ALL_SET);
    delete process.env.DRIFTLINE_TESTCONTAINERS;
    try {
      const t0 = performance.now();
      await expect(setup()).resolves.toBeUndefined();
      const ms = performance.now() - t0;
      expect(ms).toBeLessThan(100); // measured well under 1 ms; importing testcontainers alone takes over a second
      expect(testcontainersLoaded()).toBe(false);
      expect(process.env).toEqual({ ...saved, ...ALL_SET });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    // Control: the check above can fail, since loading the starter does load testcontainers.
    await import('./startContainers.js');
    expect(testcontainersLoaded()).toBe(true);
  });

  it('auto mode without a Docker engine: a no-op that leaves the missing services to serviceEnv (skip, or fail under CI)', async () => {
    const env: Record<string, string | undefined> = { CI: 'true' };
    const d = deps({ findDockerEngine: () => undefined });
    await expect(setupContainers(env, d)).resolves.toBeUndefined();
    expect(env).toEqual({ CI: 'true' });
    expect(d.lines).toEqual([]);
  });

  it('starts only the missing services, exports their variables, and the teardown stops them and restores the environment', async () => {
    const env: Record<string, string | undefined> = { KAFKA_BROKERS: '127.0.0.1:9092', MQTT_URL: 'mqtt://127.0.0.1:1883' };
    const { start, stopped } = fakeStarter({
      pubsub: { PUBSUB_EMULATOR_HOST: '127.0.0.1:49001', PUBSUB_PROJECT_ID: 'test' },
      bigquery: { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:49002', BIGQUERY_PROJECT_ID: 'test' },
    });
    const d = deps({ loadStarter: async () => start });
    const teardown = await setupContainers(env, d);
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.calls[0][0]).toEqual(['pubsub', 'bigquery']);
    expect(env).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:49001',
      PUBSUB_PROJECT_ID: 'test',
      BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:49002',
      BIGQUERY_PROJECT_ID: 'test',
      METADATA_SERVER_DETECTION: 'none',
    });
    expect(teardown).toBeTypeOf('function');
    await teardown!();
    expect(stopped.sort()).toEqual(['bigquery', 'pubsub']);
    expect(env).toEqual({ KAFKA_BROKERS: '127.0.0.1:9092', MQTT_URL: 'mqtt://127.0.0.1:1883' });
  });

  it('keeps a project id the user set and restores it on teardown', async () => {
    const env: Record<string, string | undefined> = { ...ALL_SET, BIGQUERY_EMULATOR_HOST: undefined, BIGQUERY_PROJECT_ID: 'mine' };
    const { start } = fakeStarter({ bigquery: { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:49002', BIGQUERY_PROJECT_ID: 'mine' } });
    const teardown = await setupContainers(env, deps({ loadStarter: async () => start }));
    expect(start.mock.calls[0][1]).toMatchObject({ BIGQUERY_PROJECT_ID: 'mine' });
    expect(env.BIGQUERY_EMULATOR_HOST).toBe('http://127.0.0.1:49002');
    await teardown!();
    expect(env.BIGQUERY_EMULATOR_HOST).toBeUndefined();
    expect(env.BIGQUERY_PROJECT_ID).toBe('mine');
  });

  it('auto mode: a Docker engine that does not answer is logged and the run goes on without containers', async () => {
    const env: Record<string, string | undefined> = {};
    const d = deps({ loadStarter: async () => async () => { throw new Error('connect ENOENT /var/run/docker.sock'); } });
    await expect(setupContainers(env, d)).resolves.toBeUndefined();
    expect(env).toEqual({});
    expect(d.lines.at(-1)).toMatch(/could not start mqtt, kafka, pubsub, bigquery: connect ENOENT .*continuing without them/);
  });

  it('opted in: a Docker failure fails the run with the reason and the way out', async () => {
    const env: Record<string, string | undefined> = { DRIFTLINE_TESTCONTAINERS: 'kafka' };
    const d = deps({ findDockerEngine: () => undefined, loadStarter: async () => async () => { throw new Error('Could not find a working container runtime strategy'); } });
    await expect(setupContainers(env, d)).rejects.toThrow(/could not start kafka: Could not find a working container runtime strategy \(DRIFTLINE_TESTCONTAINERS is set; unset it or set it to 0/);
  });

  it('teardown stops every container even when one stop fails, then reports it', async () => {
    const env: Record<string, string | undefined> = { DRIFTLINE_TESTCONTAINERS: 'mqtt,kafka' , PUBSUB_EMULATOR_HOST: 'x:1', BIGQUERY_EMULATOR_HOST: 'http://x:2' };
    const stopped: string[] = [];
    const started: StartedService[] = [
      { name: 'mqtt', env: { MQTT_URL: 'mqtt://127.0.0.1:49003' }, description: 'm', stop: async () => { throw new Error('already removed'); } },
      { name: 'kafka', env: { KAFKA_BROKERS: '127.0.0.1:49004' }, description: 'k', stop: async () => { stopped.push('kafka'); } },
    ];
    const teardown = await setupContainers(env, deps({ loadStarter: async () => async () => started }));
    await expect(teardown!()).rejects.toThrow(/could not stop mqtt: already removed/);
    expect(stopped).toEqual(['kafka']);
    expect(env.MQTT_URL).toBeUndefined();
    expect(env.KAFKA_BROKERS).toBeUndefined();
  });
});
