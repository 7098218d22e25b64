import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../serviceEnv.js';

/**
 * A cheap look for a Docker engine, without importing testcontainers (which costs over a second of start-up):
 * DOCKER_HOST, `docker.host` in ~/.testcontainers.properties, or a Docker socket in one of the usual places.
 * It only says where an engine may be; testcontainers' own runtime detection then confirms it answers.
 */
export interface DockerProbeDeps {
  /** True when `path` exists and is a Unix socket. */
  readonly isSocket: (path: string) => boolean;
  readonly readText: (path: string) => string | undefined;
  readonly home: string;
}

const realDeps: DockerProbeDeps = {
  isSocket: (path) => {
    try {
      return statSync(path).isSocket();
    } catch {
      return false;
    }
  },
  readText: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
  home: homedir(),
};

export function findDockerEngine(env: Env = process.env, deps: DockerProbeDeps = realDeps): string | undefined {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return dockerHost;
  const properties = deps.readText(join(deps.home, '.testcontainers.properties'));
  const fromProperties = properties?.match(/^\s*docker\.host\s*=\s*(\S+)/m)?.[1];
  if (fromProperties) return fromProperties;
  const sockets = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined, // rootless Docker
    join(deps.home, '.docker', 'run', 'docker.sock'), // Docker Desktop
    join(deps.home, '.docker', 'desktop', 'docker.sock'),
  ];
  const socket = sockets.find((path) => path !== undefined && deps.isSocket(path));
  return socket === undefined ? undefined : `unix://${socket}`;
}
