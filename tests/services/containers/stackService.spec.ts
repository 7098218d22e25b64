import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOf, hostPathOf, repoRoot } from '../../deploy/composeFile.js';
import { containerPorts, environmentOf, imageOf, stackService } from './stackService.js';

// The containers themselves cannot start here (no Docker engine); these check what the starters read from
// docker-compose.yml, so a compose edit that would break them fails without Docker.

const local = (path: string) => readFileSync(resolve(repoRoot, 'infra/local', path), 'utf8');

describe('stack services the testcontainers setup starts', () => {
  it('mosquitto: eclipse-mosquitto 2.x with infra/docker/mosquitto.conf (listener 1883, anonymous, no queue cap, 1000 in flight)', () => {
    const s = stackService('mosquitto');
    expect(imageOf('mosquitto', s)).toMatch(/^eclipse-mosquitto:2(\.|$)/);
    expect(containerPorts('mosquitto', s)).toEqual([1883]);
    const config = hostPathOf(s, '/mosquitto/config/mosquitto.conf');
    expect(config).toBe(resolve(repoRoot, 'infra/docker/mosquitto.conf'));
    const lines = readFileSync(config!, 'utf8').split('\n').map((l) => l.trim());
    for (const setting of ['listener 1883', 'allow_anonymous true', 'max_inflight_messages 1000', 'max_queued_messages 0']) {
      expect(lines).toContain(setting);
    }
  });

  it('Kafka: apache/kafka at the version infra/local/kafka.sh runs, KRaft, a HOST listener to re-advertise', () => {
    const s = stackService('kafka');
    const version = /<artifactId>kafka_2\.13<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(local('kafka/pom.xml'))?.[1];
    expect(version).toBeDefined();
    expect(imageOf('kafka', s)).toBe(`apache/kafka:${version}`);
    const env = environmentOf(s);
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toMatch(/(^|,)HOST:\/\/[^,]+/);
    expect(env.KAFKA_LISTENERS).toContain(`HOST://:${containerPorts('kafka', s)[0]}`);
  });

  it('Pub/Sub: built from infra/local/pstest with infra/docker/pstest.Dockerfile', () => {
    const s = stackService('pubsub');
    expect(buildOf(s)).toEqual({ context: resolve(repoRoot, 'infra/local/pstest'), dockerfile: resolve(repoRoot, 'infra/docker/pstest.Dockerfile') });
    expect(imageOf('pubsub', s)).toBeTruthy();
    const port = containerPorts('pubsub', s)[0];
    expect(readFileSync(buildOf(s)!.dockerfile, 'utf8')).toContain(`EXPOSE ${port}`);
  });

  it('BigQuery: goccy/bigquery-emulator at the version infra/local/bigquery/go.mod pins, REST port first, --project to replace', () => {
    const s = stackService('bigquery');
    const version = /github\.com\/goccy\/bigquery-emulator v(\S+)/.exec(local('bigquery/go.mod'))?.[1];
    expect(imageOf('bigquery', s)).toBe(`ghcr.io/goccy/bigquery-emulator:${version}`);
    const [rest] = containerPorts('bigquery', s);
    expect(s.command).toEqual(expect.arrayContaining([`--port=${rest}`, expect.stringMatching(/^--project=/)]));
  });

  it('reads both compose syntaxes for environment and ports', () => {
    expect(environmentOf({ environment: ['A=1', 'B=x=y', 'C'] })).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(environmentOf({ environment: { N: 1 } })).toEqual({ N: '1' });
    expect(containerPorts('x', { ports: ['127.0.0.1:8085:8085/tcp', 9050, '1:2'] })).toEqual([8085, 9050, 2]);
    expect(() => containerPorts('x', { ports: ['a:b'] })).toThrow(/services\.x\.ports entry a:b/);
    expect(() => stackService('nope')).toThrow(/docker-compose.yml: services\.nope is missing/);
  });
});
