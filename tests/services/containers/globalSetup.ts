import type { ServiceName } from '../serviceEnv.js';
import { findDockerEngine } from './dockerEngine.js';
import { OPT_IN_VARIABLE, planContainers } from './servicePlan.js';
import type { StartedService } from './startedService.js';

/**
 * vitest globalSetup: brings up with testcontainers the services whose variables are missing, when opted in
 * (DRIFTLINE_TESTCONTAINERS) or when a Docker engine is found; otherwise a no-op that touches neither Docker nor
 * testcontainers. It runs in vitest's main process before any test file; vitest 4 builds each test worker's
 * environment from `process.env` after the global setups ran (pool `env: { ...process.env, ... }`), so the
 * variables set here reach `tests/services/serviceEnv.ts` in every worker.
 */

export type ContainerStarter = (names: readonly ServiceName[], env: Readonly<Record<string, string | undefined>>) => Promise<StartedService[]>;

export interface SetupDeps {
  readonly findDockerEngine: () => string | undefined;
  /** Imports the starter (and testcontainers with it) only when called. */
  readonly loadStarter: () => Promise<ContainerStarter>;
  readonly log: (line: string) => void;
}

const defaultDeps: SetupDeps = {
  findDockerEngine: () => findDockerEngine(),
  loadStarter: async () => (await import('./startContainers.js')).startContainers,
  log: (line) => process.stderr.write(`[testcontainers] ${line}\n`),
};

/** The environment a started service adds, with google-auth told not to look for a metadata server (as up.sh). */
function variablesOf(started: readonly StartedService[], env: Record<string, string | undefined>): Record<string, string> {
  const vars: Record<string, string> = Object.assign({}, ...started.map((s) => s.env));
  const google = started.some((s) => s.name === 'pubsub' || s.name === 'bigquery');
  if (google && !env.METADATA_SERVER_DETECTION) vars.METADATA_SERVER_DETECTION = 'none';
  return vars;
}

/**
 * Starts what the plan asks for and sets its variables in `env`; returns the teardown (stop the containers, put
 * `env` back), or undefined when nothing was started. Opted in, a Docker failure throws (the run fails); in
 * auto mode it is logged and the tests find the services missing as before (skip, or fail under CI=true).
 */
export async function setupContainers(
  env: Record<string, string | undefined>,
  deps: SetupDeps = defaultDeps,
): Promise<(() => Promise<void>) | undefined> {
  const plan = planContainers(env, deps.findDockerEngine);
  if (plan.start.length === 0) {
    if (env[OPT_IN_VARIABLE]?.trim()) deps.log(`nothing to start: ${plan.why}`);
    return undefined;
  }
  deps.log(plan.why);
  let started: StartedService[];
  try {
    const start = await deps.loadStarter();
    started = await start(plan.start, { ...env });
  } catch (err) {
    const message = `could not start ${plan.start.join(', ')}: ${(err as Error).message}`;
    if (plan.required) throw new Error(`${message} (${OPT_IN_VARIABLE} is set; unset it or set it to 0 to run without containers)`);
    deps.log(`${message}; continuing without them`);
    return undefined;
  }
  for (const s of started) deps.log(`${s.name}: ${s.description}`);
  const vars = variablesOf(started, env);
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, env[k]]));
  Object.assign(env, vars);

  return async () => {
    const stops = await Promise.allSettled(started.map((s) => s.stop()));
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const failed = stops.flatMap((r, i) => (r.status === 'rejected' ? [`${started[i].name}: ${(r.reason as Error)?.message ?? r.reason}`] : []));
    if (failed.length > 0) throw new Error(`testcontainers teardown could not stop ${failed.join('; ')} (the Ryuk reaper removes them when vitest exits)`);
    deps.log(`stopped ${started.map((s) => s.name).join(', ')}`);
  };
}

export default function setup(): Promise<(() => Promise<void>) | undefined> {
  return setupContainers(process.env);
}
