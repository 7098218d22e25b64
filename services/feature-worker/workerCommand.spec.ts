import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { plantTelemetrySchema } from '../../schemas/messages/plantTelemetry.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { plantPayload } from '../ingest-mqtt/testStreams.js';

const bin = fileURLToPath(new URL('../../bin/driftline.js', import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function spawnWorker(args: string[]): Child {
  const child = spawn(process.execPath, [bin, 'worker', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { process: child, stderr: () => err, exited };
}

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, child: Child, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (child.process.exitCode !== null || Date.now() > end) throw new Error(`worker: timed out waiting for ${what}; stderr:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** the `metrics` URL the worker logged on start */
function loggedMetricsUrl(stderr: string): string | undefined {
  for (const line of stderr.split('\n')) {
    if (!line.includes('"msg":"worker starting"')) continue;
    return (JSON.parse(line) as { metrics: string }).metrics;
  }
  return undefined;
}

// Spawns the CLI (through tsx, loading every command) and loads the models: slow on a loaded machine.
describe('driftline worker (CLI): /metrics, /healthz and /readyz', { timeout: 240_000 }, () => {
  let dir: string;
  const children: Child[] = [];
  let blocker: Server | undefined;

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
    blocker = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function writeConfig(): { config: string; busFile: string } {
    dir = mkdtempSync(join(tmpdir(), 'driftline-worker-cli-'));
    const busFile = join(dir, 'bus.sqlite');
    const config = join(dir, 'driftline.yaml');
    writeFileSync(config, [
      'streams:',
      '  plants:',
      '    schema: plant_telemetry',
      '    topic: spec/plants/{key}/telemetry',
      '    window: { kind: tumbling, size: 5m }',
      '    watermark: { idle_timeout: null }',
      '    features: cooling-plant',
      "    model: { name: cooling-pue, version: '1.0.0' }",
      'bus:',
      '  kind: embedded',
      `  path: ${busFile}`,
      '  partitions: 1',
      'sink:',
      '  kind: duckdb',
      `  path: ${join(dir, 'driftline.duckdb')}`,
      'worker:',
      `  checkpoints: ${join(dir, 'checkpoints.sqlite')}`,
      'metrics:',
      '  port: 0',
      'simulator: { enabled: false }',
      'log_level: info',
    ].join('\n'));
    return { config, busFile };
  }

  it('serves the worker\'s metrics on the configured port, answers /healthz and /readyz, and closes the port on SIGTERM', async () => {
    const { config, busFile } = writeConfig();
    const worker = spawnWorker(['-c', config]);
    children.push(worker);
    const url = (await until('the metrics URL in the log', () => loggedMetricsUrl(worker.stderr()), worker)).replace(/\/metrics$/, '');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await until('/readyz to answer 200', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), worker);

    // Twelve minutes of one plant, appended by this process to the bus file the worker reads.
    const bus = new EmbeddedBus({ path: busFile, partitions: 1, retentionIntervalMs: 0 });
    const producer = await bus.producer();
    await producer.send('plants', Array.from({ length: 12 }, (_, m) => ({
      key: 'p1',
      value: JSON.stringify(plantTelemetrySchema.parse({ ...plantPayload('p1', 0), timestamp: new Date(Date.UTC(2024, 0, 1, 0, m)).toISOString() })),
    })));
    await producer.close();
    await bus.close();

    // [0,5) and [5,10) fire once the watermark reaches minute 11
    const text = await until('the records and two ON_TIME panes to be counted', async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      return body.includes('driftline_worker_records_total{stream="plants"} 12')
        && body.includes('driftline_worker_panes_total{stream="plants",timing="ON_TIME"} 2') ? body : undefined;
    }, worker);
    expect(text).toContain('driftline_worker_bus_lag_records{topic="plants"} 0');
    expect(text).toContain('driftline_worker_loop_healthy{stream="plants"} 1');
    expect(text).toMatch(/driftline_worker_model_batch_seconds_count\{stream="plants",model="cooling-pue",model_version="1.0.0",model_role="champion",backend="(tensorflow|wasm|cpu)"\} [1-9]/);
    // the process's own metrics, as the ingest serves them
    expect(text).toContain('process_cpu_seconds_total');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('SIGTERM while the models still load: finishes starting, then stops and exits 0', async () => {
    const { config } = writeConfig();
    const worker = spawnWorker(['-c', config]);
    children.push(worker);
    const url = await until('the metrics URL in the log', () => loggedMetricsUrl(worker.stderr()), worker);
    // "worker starting" is logged before the models load; /readyz says 503 until they have.
    const notReady = (await fetch(url.replace(/metrics$/, 'readyz'))).status === 503;
    worker.process.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.stderr()).toContain('"why":"SIGTERM"');
    // Only a signal that came before the models were loaded tests the start-up path; say which one ran.
    if (!notReady) console.warn('the models had loaded before the signal: only the running worker\'s shutdown was exercised');
  });

  it('a taken metrics port stops the worker with an error naming metrics.port and --metrics-port', async () => {
    const { config } = writeConfig();
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    writeFileSync(config, readFileSync(config, 'utf8').replace('  port: 0', `  port: ${port}`));
    const worker = spawnWorker(['-c', config]);
    children.push(worker);
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}.*fix: set metrics\\.port.*--metrics-port`));

    // --metrics-port moves it off the taken port
    const moved = spawnWorker(['-c', config, '--metrics-port', '0']);
    children.push(moved);
    const url = await until('the metrics URL in the log', () => loggedMetricsUrl(moved.stderr()), moved);
    expect(url).not.toContain(`:${port}/`);
    await until('/readyz to answer 200', async () => ((await fetch(url.replace(/metrics$/, 'readyz'))).status === 200 ? true : undefined), moved);
    moved.process.kill('SIGTERM');
    expect(await moved.exited).toBe(0);
  });
});
