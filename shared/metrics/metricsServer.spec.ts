import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metricsServer.js';

describe('metrics server', () => {
  const servers: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('serves /metrics from the registry, /healthz, and /readyz following readiness', async () => {
    const registry = new Registry();
    new Counter({ name: 'driftline_test_total', help: 'test counter', registers: [registry] }).inc(3);
    let ready = false;
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, ready: () => ready });
    servers.push(server);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('driftline_test_total 3');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('a taken port is an error naming the config key', async () => {
    const registry = new Registry();
    const first = await startMetricsServer({ host: '127.0.0.1', port: 0, registry, ready: () => true });
    servers.push(first);
    await expect(startMetricsServer({ host: '127.0.0.1', port: first.port, registry, ready: () => true }))
      .rejects.toThrow(/fix: set metrics\.port/);
  });
});
