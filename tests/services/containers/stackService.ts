import { loadComposeFile, type ComposeService } from '../../deploy/composeFile.js';

/**
 * The containers started for tests are docker-compose.yml's own services (same images, environment, config files),
 * so the stack users run and the one tests run cannot drift apart. These helpers read one service from it.
 */

export function stackService(name: string): ComposeService {
  const service = loadComposeFile().services[name];
  if (service === undefined) throw new Error(`docker-compose.yml: services.${name} is missing; the testcontainers setup starts it`);
  return service;
}

export function imageOf(name: string, service: ComposeService): string {
  if (!service.image) throw new Error(`docker-compose.yml: services.${name}.image is missing; set the image the tests should pull or tag`);
  return service.image;
}

/** `environment` as a map, from either compose syntax (map or `KEY=value` list). */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const i = entry.indexOf('=');
      return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** The container side of each published port (`"9094:9094"`, `"127.0.0.1:8085:8085/tcp"`, `9050`). */
export function containerPorts(name: string, service: ComposeService): number[] {
  return (service.ports ?? []).map((entry) => {
    const port = Number(String(entry).split('/')[0].split(':').at(-1));
    if (!Number.isInteger(port)) throw new Error(`docker-compose.yml: services.${name}.ports entry ${entry} is not a port mapping`);
    return port;
  });
}
