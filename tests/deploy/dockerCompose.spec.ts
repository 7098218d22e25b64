import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config/loadConfig.js';
import type { DriftlineConfig } from '../../shared/config/configSchema.js';
import { registerCommands } from '../../services/cli/commands.js';
import { buildOf, dependsOn, hostPathOf, loadComposeFile, mounts, repoRoot, type ComposeService } from './composeFile.js';

// No Docker engine in CI: these checks catch what `docker compose up` would trip on (a missing file, a typo in a
// service name, a config the CLI rejects, stack services that disagree on streams, bus or broker settings).

const compose = loadComposeFile();
const services = Object.entries(compose.services);
const cli = ['node', 'bin/driftline.js'];

/** Services that run driftline's CLI: built from the repo's root Dockerfile. */
const driftlineServices = services.filter(([, s]) => buildOf(s)?.dockerfile === resolve(repoRoot, 'Dockerfile'));

interface DriftlineInvocation {
  readonly name: string;
  readonly service: ComposeService;
  readonly subcommand: string;
  readonly args: string[];
  /** host path of the `-c` file */
  readonly configFile: string;
}

function invocation(name: string, service: ComposeService): DriftlineInvocation {
  const command = service.command;
  if (!Array.isArray(command)) throw new Error(`docker-compose.yml: services.${name}.command must be an array (exec form)`);
  expect(command.slice(0, 2), `services.${name}.command`).toEqual(cli);
  const [subcommand, ...args] = command.slice(2);
  const c = args.indexOf('-c');
  expect(c, `services.${name}.command has no -c <config>`).toBeGreaterThanOrEqual(0);
  const inContainer = args[c + 1];
  const configFile = hostPathOf(service, inContainer);
  if (configFile === undefined) throw new Error(`services.${name}: no bind mount covers ${inContainer}`);
  return { name, service, subcommand, args, configFile };
}

/** "1d", "12h", "30m", "90s", "2w" (mosquitto's duration units) in ms. */
function mosquittoDurationMs(value: string): number {
  const m = /^(\d+)([smhdwy])$/.exec(value);
  if (!m) throw new Error(`not a mosquitto duration: ${value}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 }[m[2] as 's'];
  return Number(m[1]) * unit * 1000;
}

function mosquittoSettings(file: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [key, ...rest] = t.split(/\s+/);
    settings.set(key, rest.join(' '));
  }
  return settings;
}

/** host:port of a URL or a bare `host:port`. */
function endpoint(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

describe('docker-compose.yml', () => {
  it('declares the whole stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bigquery', 'ingest', 'kafka', 'mosquitto', 'pubsub', 'simulate', 'worker']);
    expect(driftlineServices.map(([n]) => n).sort()).toEqual(['ingest', 'simulate', 'worker']);
  });

  it.each(services)('%s has an image or a build whose Dockerfile and COPY sources exist', (name, service) => {
    expect(service.image ?? service.build, `services.${name} needs image or build`).toBeDefined();
    const build = buildOf(service);
    if (!build) return;
    expect(statSync(build.context).isDirectory(), `build context ${build.context}`).toBe(true);
    expect(existsSync(build.dockerfile), `Dockerfile ${build.dockerfile}`).toBe(true);
    const copies = readFileSync(build.dockerfile, 'utf8').split('\n').filter((l) => /^COPY\s/.test(l) && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line.trim().split(/\s+/).slice(1).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) expect(existsSync(resolve(build.context, src)), `${build.dockerfile}: ${line}`).toBe(true);
    }
  });

  it.each(services)('%s depends only on declared services, without cycles', (name) => {
    const seen = new Set<string>();
    const visit = (n: string, path: string[]): void => {
      expect(compose.services[n], `services.${path.join(' → ')} depends on undeclared "${n}"`).toBeDefined();
      expect(path.includes(n), `depends_on cycle: ${[...path, n].join(' → ')}`).toBe(false);
      if (seen.has(n)) return;
      seen.add(n);
      for (const d of dependsOn(compose.services[n])) visit(d, [...path, n]);
    };
    visit(name, []);
  });

  it.each(services)('%s mounts host paths that exist and volumes that are declared', (name, service) => {
    for (const m of mounts(service)) {
      if (m.bind) expect(existsSync(m.source), `services.${name}: host path ${m.source}`).toBe(true);
      else expect(Object.keys(compose.volumes ?? {}), `services.${name}: volume ${m.source}`).toContain(m.source);
    }
  });

  it('mounts infra/docker/mosquitto.conf as the broker config, mirroring the local broker\'s settings', () => {
    expect(hostPathOf(compose.services.mosquitto, '/mosquitto/config/mosquitto.conf')).toBe(resolve(repoRoot, 'infra/docker/mosquitto.conf'));
    const docker = mosquittoSettings(resolve(repoRoot, 'infra/docker/mosquitto.conf'));
    const local = mosquittoSettings(resolve(repoRoot, 'infra/local/mosquitto/mosquitto.conf'));
    for (const key of ['max_queued_messages', 'max_queued_bytes', 'max_inflight_messages', 'persistence', 'allow_anonymous']) {
      expect(docker.get(key), `infra/docker/mosquitto.conf: ${key} differs from infra/local`).toBe(local.get(key));
    }
    expect(docker.get('max_queued_messages')).toBe('0');
    expect(docker.get('max_inflight_messages')).toBe('1000');
    const dataMount = mounts(compose.services.mosquitto).find((m) => `${m.target}/` === docker.get('persistence_location'));
    expect(dataMount?.bind, 'persistence_location should be a named volume').toBe(false);
  });
});

describe('driftline services in docker-compose.yml', () => {
  const program = new Command();
  registerCommands(program);
  const invocations = driftlineServices.map(([name, service]) => invocation(name, service));
  const configs = new Map<string, DriftlineConfig>();

  beforeAll(() => {
    for (const inv of invocations) configs.set(inv.name, loadConfig(inv.configFile, {}).config);
  });

  it.each(invocations.map((i) => [i.name, i] as const))('%s runs a real subcommand with options it knows', (_name, inv) => {
    const sub = program.commands.find((c) => c.name() === inv.subcommand);
    expect(sub, `driftline has no subcommand "${inv.subcommand}"`).toBeDefined();
    for (const arg of inv.args.filter((a) => a.startsWith('-'))) {
      expect(sub!.options.some((o) => o.long === arg || o.short === arg), `driftline ${inv.subcommand} has no option ${arg}`).toBe(true);
    }
    expect(inv.configFile.startsWith(resolve(repoRoot, 'infra/docker/config/'))).toBe(true);
  });

  it.concurrent.each(invocations.map((i) => [i.name, i] as const))('`driftline config check` accepts the config of %s', async (_name, inv) => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [resolve(repoRoot, 'bin/driftline.js'), 'config', 'check', '-c', inv.configFile], {
      cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(stdout).toContain(`${inv.configFile}: OK`);
  });

  it('points every address at a compose service and a port that service uses', () => {
    const addresses: [string, string][] = [];
    for (const [name, config] of configs) {
      const mqtt = config.sources.mqtt.url;
      if (name !== 'worker') {
        expect(mqtt, `${name}: sources.mqtt.url unset would start an embedded broker inside the container`).toBeDefined();
        addresses.push([`${name}: sources.mqtt.url`, mqtt!]);
      }
      if (name !== 'simulate') {
        expect(config.bus.kind, `${name}: bus`).toBe('kafka');
        if (config.bus.kind === 'kafka') config.bus.brokers.forEach((b) => addresses.push([`${name}: bus.brokers`, b]));
      }
    }
    const sink = configs.get('worker')!.sink;
    expect(sink.kind).toBe('bigquery');
    if (sink.kind === 'bigquery') addresses.push(['worker: sink.api_endpoint', sink.api_endpoint ?? '(unset: Google\'s endpoint)']);
    for (const [where, address] of addresses) {
      const { host, port } = endpoint(address);
      const target = compose.services[host];
      expect(target, `${where} ${address}: no compose service "${host}"`).toBeDefined();
      expect(JSON.stringify(target), `${where} ${address}: service ${host} never mentions port ${port}`).toMatch(new RegExp(`\\b${port}\\b`));
    }
  });

  it('gives ingest, worker and simulator the same streams and the ingest and worker the same Kafka topics', () => {
    const [ingest, worker, simulate] = ['ingest', 'worker', 'simulate'].map((n) => configs.get(n)!);
    expect(worker.streams).toEqual(ingest.streams);
    expect(simulate.streams).toEqual(ingest.streams);
    const { client_id: _a, ...ingestBus } = ingest.bus as Extract<DriftlineConfig['bus'], { kind: 'kafka' }>;
    const { client_id: _b, ...workerBus } = worker.bus as Extract<DriftlineConfig['bus'], { kind: 'kafka' }>;
    expect(workerBus).toEqual(ingestBus);
  });

  it('writes to the project the BigQuery emulator serves', () => {
    const sink = configs.get('worker')!.sink;
    const command = compose.services.bigquery.command;
    expect(Array.isArray(command) ? command : []).toContain(`--project=${sink.kind === 'bigquery' ? sink.project_id : '(not bigquery)'}`);
  });

  it('lets mosquitto keep the ingest\'s session at least as long as the ingest asks', () => {
    const docker = mosquittoSettings(resolve(repoRoot, 'infra/docker/mosquitto.conf'));
    const cap = mosquittoDurationMs(docker.get('persistent_client_expiration') ?? '');
    expect(cap).toBeGreaterThanOrEqual(configs.get('ingest')!.sources.mqtt.session_expiry);
  });

  it.each(['ingest', 'worker'])('serves the metrics of %s on all interfaces, published on a host port of its own', (name) => {
    const metrics = configs.get(name)!.metrics;
    expect(metrics.host, `infra/docker/config/${name}.yaml: metrics.host must be 0.0.0.0 to be reachable from outside the container`).toBe('0.0.0.0');
    const published = (compose.services[name]!.ports ?? []).map(String).filter((p) => p.endsWith(`:${metrics.port}`));
    expect(published, `services.${name}.ports must publish container port ${metrics.port}`).toHaveLength(1);
    const hostPorts = ['ingest', 'worker'].flatMap((n) => (compose.services[n]!.ports ?? []).map((p) => String(p).split(':')[0]));
    expect(new Set(hostPorts).size, 'two services publish the same host port').toBe(hostPorts.length);
  });
});
