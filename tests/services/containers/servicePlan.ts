import type { Env, ServiceName } from '../serviceEnv.js';

/**
 * Which services the testcontainers global setup should start: a pure decision from the environment and whether a
 * Docker engine looks present, so it can be tested without Docker.
 *
 * A service counts as configured as soon as its address variable is set (even to a bad value: serviceEnv then
 * reports the bad value instead of this setup silently replacing it). Only unconfigured services are started.
 */

export const SERVICES: readonly ServiceName[] = ['mqtt', 'kafka', 'pubsub', 'bigquery'];

/** The variable whose presence means "this service is already provided" (what infra/local/up.sh exports first). */
export const ADDRESS_VARIABLE: { readonly [K in ServiceName]: string } = {
  mqtt: 'MQTT_URL',
  kafka: 'KAFKA_BROKERS',
  pubsub: 'PUBSUB_EMULATOR_HOST',
  bigquery: 'BIGQUERY_EMULATOR_HOST',
};

export const OPT_IN_VARIABLE = 'DRIFTLINE_TESTCONTAINERS';

/**
 * `DRIFTLINE_TESTCONTAINERS`:
 * - unset or empty: `auto` (start missing services only when a Docker engine is found);
 * - `0`/`false`/`off`/`no`: never;
 * - `1`/`true`/`on`/`yes`/`all`: start every missing service, and fail the run if Docker does not answer;
 * - a comma-separated list of service names (`mqtt,kafka`): start just those, if missing (also an opt-in).
 */
export type ContainerMode =
  | { readonly kind: 'auto' }
  | { readonly kind: 'off' }
  | { readonly kind: 'on'; readonly only: readonly ServiceName[] };

export function parseMode(raw: string | undefined): ContainerMode {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return { kind: 'auto' };
  if (['0', 'false', 'off', 'no'].includes(value)) return { kind: 'off' };
  if (['1', 'true', 'on', 'yes', 'all'].includes(value)) return { kind: 'on', only: SERVICES };
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !(SERVICES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `${OPT_IN_VARIABLE}=${raw}: unknown service ${unknown.join(', ')}; use 1, 0, or a comma-separated list of ${SERVICES.join(', ')}`,
    );
  }
  return { kind: 'on', only: names as ServiceName[] };
}

/** Services whose address variable is unset or blank, in SERVICES order. */
export function missingServices(env: Env): ServiceName[] {
  return SERVICES.filter((name) => !(env[ADDRESS_VARIABLE[name]]?.trim()));
}

export interface ContainerPlan {
  /** Services to start, in SERVICES order; empty means the setup is a no-op and never touches Docker. */
  readonly start: readonly ServiceName[];
  /** True when the user opted in: a Docker failure must fail the run rather than fall back to skipping. */
  readonly required: boolean;
  /** One line for the log: why this plan. */
  readonly why: string;
}

/**
 * @param findDockerEngine where a Docker engine seems to be (e.g. `unix:///var/run/docker.sock`), or undefined when
 *   the cheap local check (dockerEngine.ts) finds none. Called only in `auto` mode with a service missing.
 */
export function planContainers(env: Env, findDockerEngine: () => string | undefined): ContainerPlan {
  const mode = parseMode(env[OPT_IN_VARIABLE]);
  const missing = missingServices(env);
  if (mode.kind === 'off') return { start: [], required: false, why: `${OPT_IN_VARIABLE}=${env[OPT_IN_VARIABLE]}: containers disabled` };
  if (missing.length === 0) return { start: [], required: false, why: 'every service variable is set' };
  if (mode.kind === 'on') {
    const start = missing.filter((name) => mode.only.includes(name));
    const why = start.length === 0
      ? `${OPT_IN_VARIABLE}=${env[OPT_IN_VARIABLE]}: the services named are already set`
      : `${OPT_IN_VARIABLE}=${env[OPT_IN_VARIABLE]}: starting ${start.join(', ')}`;
    return { start, required: true, why };
  }
  const dockerEngine = findDockerEngine();
  if (dockerEngine === undefined) {
    return { start: [], required: false, why: `missing ${missing.join(', ')} but no Docker engine found (DOCKER_HOST unset, no docker.sock)` };
  }
  return { start: missing, required: false, why: `missing ${missing.join(', ')}; Docker engine at ${dockerEngine}` };
}
