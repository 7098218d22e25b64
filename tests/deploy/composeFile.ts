import { readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of a compose service this repo's docker-compose.yml uses. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  volumes?: (string | { type: string; source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number)[];
  environment?: Record<string, string | number> | string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml, with YAML merge keys (`<<: *anchor`) applied as Compose applies them. */
export function loadComposeFile(path = resolve(repoRoot, 'docker-compose.yml')): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

export function dependsOn(service: ComposeService): string[] {
  const d = service.depends_on;
  if (d === undefined) return [];
  return Array.isArray(d) ? d : Object.keys(d);
}

export interface Mount {
  /** host path (bind mount, absolute) or volume name */
  readonly source: string;
  readonly target: string;
  readonly bind: boolean;
}

/** Short (`src:dst[:mode]`) and long volume syntax; relative sources are bind mounts from the repo root. */
export function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') {
      const bind = v.type === 'bind';
      return { source: bind ? resolve(repoRoot, v.source ?? '') : v.source ?? '', target: v.target, bind };
    }
    const [source, target] = v.split(':');
    const bind = source.startsWith('.') || source.startsWith('/');
    return { source: bind ? resolve(repoRoot, source) : source, target, bind };
  });
}

/** The host file behind a path inside the container, through the service's bind mounts; undefined if none covers it. */
export function hostPathOf(service: ComposeService, containerPath: string): string | undefined {
  const covering = mounts(service)
    .filter((m) => m.bind && (containerPath === m.target || containerPath.startsWith(`${m.target}/`)))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!covering) return undefined;
  return resolve(covering.source, posix.relative(covering.target, containerPath));
}

export function buildOf(service: ComposeService): { context: string; dockerfile: string } | undefined {
  if (service.build === undefined) return undefined;
  const b = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = resolve(repoRoot, b.context ?? '.');
  return { context, dockerfile: resolve(context, b.dockerfile ?? 'Dockerfile') };
}
