import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Row, TableName } from '../../schemas/tables/tables.js';
import { mirrorThreadMetrics, type MetricJson } from '../../shared/metrics/threadMetrics.js';
import type { Sink, WriteResult } from '../../shared/sinks/sink.js';
import { startServiceThread } from '../../shared/threads/serviceThread.js';
import type { FeatureWorker, WorkerOptions } from './featureWorker.js';
import type { LandedEvent, WorkerThreadData, WorkerThreadStarted } from './workerThreadProtocol.js';
import { WorkerStatsBuffer } from './workerStatsBuffer.js';

export interface WorkerThreadOptions extends Pick<WorkerOptions, 'config' | 'modelsDir' | 'checkpointPath' | 'streams' | 'onRowsLanded'> {
  /** the thread's metrics appear here, read from the thread at each scrape */
  readonly registry?: Registry;
  /** its level is the thread's; the thread logs to stderr with `service: worker` */
  readonly logger: Logger;
}

export interface WorkerThread {
  readonly worker: FeatureWorker;
  /**
   * The warehouse the thread opened (`config.sink`), for other writers in this thread: one process
   * must open a DuckDB file once, so they write through the worker thread. Closing it is a no-op;
   * the thread closes the warehouse when the worker stops.
   */
  readonly sink: Sink;
}

const MAIN = new URL('./workerThreadMain.ts', import.meta.url);

/**
 * The feature worker (startWorker, unchanged: windows, features, models, checkpoints, commits after
 * landing) in a worker thread with its own bus connection and the warehouse, so that on a
 * multi-core machine scoring and landing rows run beside the ingest and the simulator instead of
 * blocking their event loop. Same FeatureWorker interface; stats are read from shared memory.
 */
export async function startWorkerThread(o: WorkerThreadOptions): Promise<WorkerThread> {
  const streams = o.streams ?? Object.keys(o.config.streams);
  const buffer = new SharedArrayBuffer(WorkerStatsBuffer.bytes(streams.length));
  const data: WorkerThreadData = {
    config: o.config, modelsDir: o.modelsDir, logLevel: o.logger.level, streams, stats: buffer,
    reportLandings: o.onRowsLanded !== undefined,
    ...(o.checkpointPath ? { checkpointPath: o.checkpointPath } : {}),
  };
  const thread = await startServiceThread<WorkerThreadStarted>({
    main: MAIN, data, name: 'worker', logger: o.logger,
    onEvent: (name, value) => {
      if (name !== 'landed') return;
      const e = value as LandedEvent;
      o.onRowsLanded?.(e.stream, e.rows, e.firedAt, e.landedAt);
    },
  });
  if (o.registry) {
    mirrorThreadMetrics(o.registry, thread.started.metrics, () => thread.request<MetricJson[]>('metrics').catch(() => []));
  }
  const stats = new WorkerStatsBuffer(buffer, streams);
  const { fields } = thread.started;
  const worker = {
    stats: () => stats.read(fields),
    isReady: () => stats.ready && !thread.exited,
    drain: () => thread.request<void>('drain'),
    stop: () => thread.stop(),
  };
  return {
    worker,
    sink: {
      write: <T extends TableName>(table: T, rows: readonly Row<T>[]) => thread.request<WriteResult>('write', { table, rows }),
      close: async () => undefined,
    },
  };
}
