import { describe, expect, it, vi } from 'vitest';
import { missingServices, parseMode, planContainers } from './servicePlan.js';

const ALL_SET = {
  MQTT_URL: 'mqtt://127.0.0.1:1883',
  KAFKA_BROKERS: '127.0.0.1:9092',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
  PUBSUB_PROJECT_ID: 'test',
  BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050',
  BIGQUERY_PROJECT_ID: 'test',
};
const docker = () => 'unix:///var/run/docker.sock';
const noDocker = () => undefined;

describe('parseMode', () => {
  it('reads DRIFTLINE_TESTCONTAINERS', () => {
    expect(parseMode(undefined)).toEqual({ kind: 'auto' });
    expect(parseMode(' ')).toEqual({ kind: 'auto' });
    expect(parseMode('0')).toEqual({ kind: 'off' });
    expect(parseMode('false')).toEqual({ kind: 'off' });
    expect(parseMode('1')).toEqual({ kind: 'on', only: ['mqtt', 'kafka', 'pubsub', 'bigquery'] });
    expect(parseMode('TRUE')).toEqual({ kind: 'on', only: ['mqtt', 'kafka', 'pubsub', 'bigquery'] });
    expect(parseMode('kafka, mqtt')).toEqual({ kind: 'on', only: ['kafka', 'mqtt'] });
  });

  it('names an unknown service and the accepted values', () => {
    expect(() => parseMode('kafka,redis')).toThrow(/DRIFTLINE_TESTCONTAINERS=kafka,redis: unknown service redis; .*mqtt, kafka, pubsub, bigquery/);
  });
});

describe('missingServices', () => {
  it('counts a service as provided once its address variable is set, even without the project id', () => {
    expect(missingServices(ALL_SET)).toEqual([]);
    expect(missingServices({})).toEqual(['mqtt', 'kafka', 'pubsub', 'bigquery']);
    expect(missingServices({ PUBSUB_EMULATOR_HOST: '127.0.0.1:8085', KAFKA_BROKERS: '  ' })).toEqual(['mqtt', 'kafka', 'bigquery']);
    // A malformed value is the user's: serviceEnv reports it, the setup does not paper over it with a container.
    expect(missingServices({ ...ALL_SET, MQTT_URL: '127.0.0.1:1883' })).toEqual([]);
  });
});

describe('planContainers', () => {
  it('starts nothing, and does not look for Docker, when every variable is set', () => {
    for (const mode of [undefined, '1', '0', 'kafka']) {
      const find = vi.fn(docker);
      const plan = planContainers({ ...ALL_SET, DRIFTLINE_TESTCONTAINERS: mode }, find);
      expect(plan.start).toEqual([]);
      expect(find).not.toHaveBeenCalled();
    }
  });

  it('auto: starts exactly the missing services when a Docker engine is found', () => {
    const env = { MQTT_URL: ALL_SET.MQTT_URL, BIGQUERY_EMULATOR_HOST: ALL_SET.BIGQUERY_EMULATOR_HOST };
    const plan = planContainers(env, docker);
    expect(plan).toMatchObject({ start: ['kafka', 'pubsub'], required: false });
    expect(plan.why).toContain('unix:///var/run/docker.sock');
  });

  it('auto: starts nothing without a Docker engine (the tests then skip, or fail under CI=true)', () => {
    const plan = planContainers({ CI: 'true' }, noDocker);
    expect(plan.start).toEqual([]);
    expect(plan.why).toMatch(/missing mqtt, kafka, pubsub, bigquery but no Docker engine/);
  });

  it('opted in: starts the missing services without consulting the cheap probe, and requires Docker', () => {
    const find = vi.fn(noDocker);
    expect(planContainers({ DRIFTLINE_TESTCONTAINERS: '1', KAFKA_BROKERS: '127.0.0.1:9092' }, find))
      .toMatchObject({ start: ['mqtt', 'pubsub', 'bigquery'], required: true });
    expect(find).not.toHaveBeenCalled();
  });

  it('opted in with a list: starts only the listed services that are missing', () => {
    expect(planContainers({ DRIFTLINE_TESTCONTAINERS: 'kafka,mqtt', MQTT_URL: ALL_SET.MQTT_URL }, noDocker).start).toEqual(['kafka']);
    expect(planContainers({ DRIFTLINE_TESTCONTAINERS: 'mqtt', MQTT_URL: ALL_SET.MQTT_URL }, noDocker).start).toEqual([]);
  });

  it('opted out: starts nothing even with Docker and every service missing', () => {
    const find = vi.fn(docker);
    expect(planContainers({ DRIFTLINE_TESTCONTAINERS: '0' }, find).start).toEqual([]);
    expect(find).not.toHaveBeenCalled();
  });
});
