import { connect } from 'node:net';
import { beforeEach, describe, it } from 'vitest';

/**
 * How tests find the real services (mosquitto, Kafka, the Pub/Sub fake, the BigQuery emulator) that
 * `infra/local/up.sh` starts and announces through environment variables.
 *
 * A missing service is never silently ignored: under CI (`CI=true`) the suite runs and fails with a message
 * naming the variable and the fix; elsewhere the suite is skipped with that reason in its name and a warning.
 */

export interface MqttService {
  /** e.g. `mqtt://127.0.0.1:1883` (mosquitto 2.x, MQTT 5 capable). */
  readonly url: string;
  /** Path of `infra/local/mosquitto.sh` when the broker can be stopped and started by tests (`MOSQUITTO_CTL`). */
  readonly ctl: string | undefined;
}

export interface KafkaService {
  /** kafkajs `brokers` list, from comma-separated `KAFKA_BROKERS`. */
  readonly brokers: string[];
}

export interface PubSubService {
  /** `host:port` of the emulator; @google-cloud/pubsub also reads `PUBSUB_EMULATOR_HOST` by itself. */
  readonly emulatorHost: string;
  readonly projectId: string;
}

export interface BigQueryService {
  /** e.g. `http://127.0.0.1:9050`; pass as `apiEndpoint` to `new BigQuery(...)`. */
  readonly apiEndpoint: string;
  readonly projectId: string;
}

export interface ServiceInfo {
  mqtt: MqttService;
  kafka: KafkaService;
  pubsub: PubSubService;
  bigquery: BigQueryService;
}

export type ServiceName = keyof ServiceInfo;

export type Env = Readonly<Record<string, string | undefined>>;

export type ServiceLookup<T> = { readonly ok: true; readonly service: T } | { readonly ok: false; readonly reason: string };

/** Thrown when a test needs a service whose environment variables are not set. */
export class MissingServiceError extends Error {
  override readonly name = 'MissingServiceError';
}

const FIX = 'start it with `source infra/local/up.sh` (see infra/local/README.md)';

/** `CI=true` (or `1`) means a missing service is a test failure, not a skip. */
export function isCi(env: Env = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

function missing(service: ServiceName, vars: string[]): { ok: false; reason: string } {
  return { ok: false, reason: `${service}: environment variable ${vars.join(' and ')} not set; ${FIX}` };
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function lookupMqtt(env: Env = process.env): ServiceLookup<MqttService> {
  const url = read(env, 'MQTT_URL');
  if (!url) return missing('mqtt', ['MQTT_URL']);
  if (!/^mqtts?:\/\//.test(url)) return { ok: false, reason: `mqtt: MQTT_URL=${url} must start with mqtt:// or mqtts://` };
  return { ok: true, service: { url, ctl: read(env, 'MOSQUITTO_CTL') } };
}

export function lookupKafka(env: Env = process.env): ServiceLookup<KafkaService> {
  const raw = read(env, 'KAFKA_BROKERS');
  if (!raw) return missing('kafka', ['KAFKA_BROKERS']);
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const bad = brokers.find((b) => !/^[^:\s]+:\d+$/.test(b));
  if (bad !== undefined || brokers.length === 0) {
    return { ok: false, reason: `kafka: KAFKA_BROKERS=${raw} must be comma-separated host:port entries` };
  }
  return { ok: true, service: { brokers } };
}

export function lookupPubSub(env: Env = process.env): ServiceLookup<PubSubService> {
  const emulatorHost = read(env, 'PUBSUB_EMULATOR_HOST');
  const projectId = read(env, 'PUBSUB_PROJECT_ID');
  const absent = [emulatorHost ? null : 'PUBSUB_EMULATOR_HOST', projectId ? null : 'PUBSUB_PROJECT_ID'].filter((v) => v !== null);
  if (!emulatorHost || !projectId) return missing('pubsub', absent);
  return { ok: true, service: { emulatorHost, projectId } };
}

export function lookupBigQuery(env: Env = process.env): ServiceLookup<BigQueryService> {
  const apiEndpoint = read(env, 'BIGQUERY_EMULATOR_HOST');
  const projectId = read(env, 'BIGQUERY_PROJECT_ID');
  const absent = [apiEndpoint ? null : 'BIGQUERY_EMULATOR_HOST', projectId ? null : 'BIGQUERY_PROJECT_ID'].filter((v) => v !== null);
  if (!apiEndpoint || !projectId) return missing('bigquery', absent);
  if (!/^https?:\/\//.test(apiEndpoint)) {
    return { ok: false, reason: `bigquery: BIGQUERY_EMULATOR_HOST=${apiEndpoint} must be a URL such as http://127.0.0.1:9050` };
  }
  return { ok: true, service: { apiEndpoint, projectId } };
}

const lookups: { [K in ServiceName]: (env?: Env) => ServiceLookup<ServiceInfo[K]> } = {
  mqtt: lookupMqtt,
  kafka: lookupKafka,
  pubsub: lookupPubSub,
  bigquery: lookupBigQuery,
};

export function lookupService<K extends ServiceName>(name: K, env: Env = process.env): ServiceLookup<ServiceInfo[K]> {
  return lookups[name](env);
}

/** The service's connection info, or a MissingServiceError naming the variable and the fix. */
export function requireService<K extends ServiceName>(name: K, env: Env = process.env): ServiceInfo[K] {
  const found = lookupService(name, env);
  if (!found.ok) throw new MissingServiceError(found.reason);
  return found.service;
}

export const mqttService = (env: Env = process.env): MqttService => requireService('mqtt', env);
export const kafkaService = (env: Env = process.env): KafkaService => requireService('kafka', env);
export const pubsubService = (env: Env = process.env): PubSubService => requireService('pubsub', env);
export const bigqueryService = (env: Env = process.env): BigQueryService => requireService('bigquery', env);

/** What a suite needing `name` should do: run (service present, or CI where its absence must fail) or skip. */
export function suiteMode(name: ServiceName, env: Env = process.env): { run: true } | { run: false; reason: string } {
  const found = lookupService(name, env);
  if (found.ok || isCi(env)) return { run: true };
  return { run: false, reason: found.reason };
}

/** The `host:port` endpoints a service's clients will dial. */
export function serviceEndpoints<K extends ServiceName>(name: K, info: ServiceInfo[K]): string[] {
  const fromUrl = (url: string, defaultPort: number) => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  };
  switch (name) {
    case 'mqtt':
      return [fromUrl((info as MqttService).url, 1883)];
    case 'kafka':
      return (info as KafkaService).brokers;
    case 'pubsub':
      return [(info as PubSubService).emulatorHost];
    case 'bigquery':
      return [fromUrl((info as BigQueryService).apiEndpoint, 80)];
    default:
      return [];
  }
}

function tcpProbe(endpoint: string, timeoutMs: number): Promise<string | null> {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(i + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (err: string | null) => {
      socket.destroy();
      resolve(err);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (e) => done(e.message));
  });
}

/** Throws a MissingServiceError naming the endpoint and the status command when a service does not answer. */
export async function assertReachable<K extends ServiceName>(name: K, info: ServiceInfo[K], timeoutMs = 3000): Promise<void> {
  for (const endpoint of serviceEndpoints(name, info)) {
    const err = await tcpProbe(endpoint, timeoutMs);
    if (err !== null) {
      const script = name === 'mqtt' ? 'mosquitto' : name;
      throw new MissingServiceError(`${name}: ${endpoint} does not answer (${err}); check infra/local/${script}.sh status`);
    }
  }
}

/**
 * `describe` for tests that need a real service. `body` gets a getter for the connection info.
 * - service present: a normal suite;
 * - service missing under CI: a suite with one test that FAILS with the reason (nothing is reported as skipped);
 * - service missing elsewhere: `describe.skip`, with the reason in the suite name and a console warning.
 */
export function describeWithService<K extends ServiceName>(
  name: K,
  title: string,
  body: (service: () => ServiceInfo[K]) => void,
): void {
  const found = lookupService(name);
  const get = (): ServiceInfo[K] => requireService(name);
  if (found.ok) {
    describe(title, () => {
      // Fail fast and clearly when the variables are set but nothing listens (clients would retry for a minute).
      // Probed once; beforeEach (not beforeAll) so each test is reported FAILED rather than skipped.
      let reachable: Promise<void> | undefined;
      beforeEach(() => (reachable ??= assertReachable(name, found.service)));
      body(get);
    });
    return;
  }
  if (isCi()) {
    describe(title, () => {
      it(`needs ${name}`, () => {
        throw new MissingServiceError(`${found.reason} (CI=true: a missing service fails the run)`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPING "${title}": ${found.reason} ***\n`);
  describe.skip(`${title} [skipped: ${found.reason}]`, () => body(get));
}
