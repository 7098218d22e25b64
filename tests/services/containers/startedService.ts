import type { Env, ServiceName } from '../serviceEnv.js';

/** What starting one service's container yields: the variables tests read (serviceEnv.ts) and how to stop it. */
export interface StartedService {
  readonly name: ServiceName;
  /** e.g. `{ KAFKA_BROKERS: '127.0.0.1:49153' }`: the same variables infra/local/up.sh exports. */
  readonly env: Readonly<Record<string, string>>;
  /** For the log: image and container id. */
  readonly description: string;
  stop(): Promise<void>;
}

export interface ContainerContext {
  /** Host name or IP at which the Docker engine publishes ports (127.0.0.1 for a local engine). */
  readonly host: string;
  /** The environment before the setup changed anything (for project ids the user chose). */
  readonly env: Env;
}

export type ServiceStarter = (context: ContainerContext) => Promise<StartedService>;
