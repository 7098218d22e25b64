import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Row, TableName } from '../../schemas/tables/tables.js';
import { metricsJson } from '../../shared/metrics/threadMetrics.js';
import { openSink } from '../../shared/sinks/openSink.js';
import type { Sink } from '../../shared/sinks/sink.js';
import { emitEvent, serveThread, threadData } from '../../shared/threads/serveThread.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startWorker, type FeatureWorker } from './featureWorker.js';
import type { LandedEvent, WorkerThreadData, WorkerThreadStarted } from './workerThreadProtocol.js';
import { WorkerStatsBuffer } from './workerStatsBuffer.js';

/**
 * The feature worker of `driftline run` inside a worker thread (see workerThread.ts): its own bus
 * connection, the warehouse, the same startWorker as `driftline worker`; stats in shared memory.
 */
const data = threadData<WorkerThreadData>();

await serveThread('worker', async () => {
  const { config } = data;
  const logger = pino({ level: data.logLevel, base: { service: 'worker' } }, pino.destination(2));
  const registry = new Registry();
  const bus = openBus(config.bus);
  let sink: Sink | undefined;
  let worker: FeatureWorker;
  try {
    sink = await openSink(config.sink);
    worker = await startWorker({
      config, bus, sink, modelsDir: data.modelsDir, logger, registry, streams: data.streams,
      ...(data.checkpointPath ? { checkpointPath: data.checkpointPath } : {}),
      ...(data.reportLandings
        ? { onRowsLanded: (stream, rows, firedAt, landedAt) => emitEvent('landed', { stream, rows, firedAt, landedAt } satisfies LandedEvent) }
        : {}),
    });
  } catch (err) {
    await sink?.close().catch(() => undefined);
    await bus.close().catch(() => undefined);
    throw err;
  }
  const warehouse = sink;
  const stats = new WorkerStatsBuffer(data.stats, data.streams);
  const fields = WorkerStatsBuffer.fieldsOf(worker.stats());
  let stopping = false;
  const publish = () => stats.write(worker.stats(), fields, !stopping && worker.isReady());
  // Often enough that a reader polling for "everything landed" waits a few ms at most, and cheap:
  // a handful of counters per stream.
  const timer = setInterval(publish, 5);
  publish();
  const started: WorkerThreadStarted = { fields, metrics: await metricsJson(registry) };
  return {
    started,
    handlers: {
      metrics: () => metricsJson(registry),
      async drain() {
        await worker.drain();
        publish();
      },
      // The warehouse lives in this thread (one DuckDB instance per file and process), so other
      // parts of the pipeline (the AIS ingest's vessels table) write through here.
      write: (args) => {
        const { table, rows } = args as { table: TableName; rows: Row<TableName>[] };
        return warehouse.write(table, rows);
      },
    },
    async stop() {
      clearInterval(timer);
      stopping = true;
      await worker.stop();
      publish();
      await warehouse.close();
      await bus.close();
    },
  };
});
