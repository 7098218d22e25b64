import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { messageSchemas } from '../../shared/config/messageSchemas.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { testConfig } from '../../tests/pipeline/pipelineFixture.js';
import { startWorkerThread } from './workerThread.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The bus records the MQTT ingest would append: validated events, keyed by MMSI. */
function vesselRecords(mmsi: string, n: number) {
  const t0 = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const event = messageSchemas.vessel_position.schema.parse({
      mmsi, timestamp: new Date(t0 + i * 600_000).toISOString(), lat: 30 + i * 1e-3, lon: 120, speed: 3.5, course: 90, heading: null,
    });
    return { key: mmsi, value: JSON.stringify(event), timestamp: t0 + i * 600_000 };
  });
}

describe('startWorkerThread (the feature worker of driftline run in a worker thread)', () => {
  it('lands the rows of what the bus holds, reports stats through shared memory and landings as events, and lets this thread write to its warehouse', async () => {
    const { config, dir } = testConfig('mqtt://127.0.0.1:1', 'unused');
    dirs.push(dir);
    const bus = new EmbeddedBus({ path: join(dir, 'bus.sqlite'), partitions: 4 });
    const producer = await bus.producer();
    await producer.send('vessels', [...vesselRecords('412000001', 30), ...vesselRecords('412000002', 30)]);
    const landings: number[] = [];
    const registry = new Registry();
    const thread = await startWorkerThread({
      config, modelsDir: 'models', registry, logger: pino({ level: 'silent' }),
      onRowsLanded: (stream, rows, firedAt, landedAt) => {
        expect(stream).toBe('vessels');
        expect(landedAt).toBeGreaterThanOrEqual(firedAt);
        landings.push(rows);
      },
    });
    try {
      // Read from shared memory, without a message round trip: this thread's loop only sleeps.
      await until(() => thread.worker.stats().streams.vessels!.recordsLanded === 60, 'all 60 records taken in and landed');
      expect(thread.worker.stats().streams.plants!.records).toBe(0);
      await until(() => thread.worker.isReady(), 'ready');
      // The thread's metrics, read from the thread when this registry is scraped.
      expect(await registry.metrics()).toMatch(/^driftline_worker_records_total\{stream="vessels"\} 60$/m);
      await thread.worker.drain();
      const stats = thread.worker.stats().streams.vessels!;
      // 30 positions 10 min apart: 5 h, inside one 24 h window per vessel, fired by the drain.
      expect(stats.openWindows).toBe(0);
      expect(stats.rowsLanded).toBeGreaterThanOrEqual(2);
      await until(() => landings.reduce((a, b) => a + b, 0) === stats.rowsLanded, 'a landed event per landed batch');

      const written = await thread.sink.write('vessels', [{
        mmsi: '412000001', shipname: 'THREAD TEST', shiptype: 30, callsign: null, imo: null,
        to_bow: null, to_stern: null, to_port: null, to_starboard: null, updated_at: Date.UTC(2024, 0, 1),
      }]);
      expect(written).toEqual({ written: 1, deadLettered: 0 });
      await expect(thread.sink.write('nope' as 'vessels', [])).rejects.toThrow(/no table 'nope'/);
    } finally {
      await thread.worker.stop();
      await producer.close();
      await bus.close();
    }
    expect(thread.worker.isReady()).toBe(false);
    const rowsLanded = thread.worker.stats().streams.vessels!.rowsLanded;
    const sink = await DuckDbSink.open({ path: config.sink.kind === 'duckdb' ? config.sink.path : '' });
    try {
      const predictions = await sink.query("select count(*) as n, count(distinct key) as keys, count(*) filter (where is_final) as final from predictions where stream = 'vessels'");
      expect(predictions.rows).toEqual([[rowsLanded, 2, 2]]);
      const vessels = await sink.query('select mmsi, shipname from vessels');
      expect(vessels.rows).toEqual([['412000001', 'THREAD TEST']]);
    } finally {
      await sink.close();
    }
  }, 120_000);

  it("fails to start with the warehouse's own error, and leaves no thread behind", async () => {
    const { config, dir } = testConfig('mqtt://127.0.0.1:1', 'unused');
    dirs.push(dir);
    // The warehouse path is a directory: DuckDB cannot open it.
    const bad = { ...config, sink: { kind: 'duckdb' as const, path: dir } };
    await expect(startWorkerThread({ config: bad, modelsDir: 'models', logger: pino({ level: 'silent' }) }))
      .rejects.toThrow(/cannot open the warehouse/);
  }, 60_000);
});
