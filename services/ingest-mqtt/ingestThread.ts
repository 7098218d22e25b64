import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { IngestCounters } from './ingestCounters.js';
import type { IngestService } from './ingestService.js';
import type { FromIngestThread, IngestThreadData, MetricJson } from './ingestThreadProtocol.js';
import { mirrorThreadMetrics } from './threadMetrics.js';

export interface IngestThreadOptions extends Omit<IngestThreadData, 'logLevel' | 'counters'> {
  /** the thread's metrics appear here, read from the thread at each scrape */
  readonly registry?: Registry;
  /** its level is the thread's; the thread logs to stderr with `service: ingest` */
  readonly logger: Logger;
}

const ENTRY = new URL('./ingestThreadEntry.mjs', import.meta.url);

/**
 * The MQTT ingest (startIngest, unchanged: ack after durable, dead letters, persistent session) in a
 * worker thread with its own bus connection, so that on a multi-core machine receiving, validating
 * and appending run beside the feature worker instead of taking turns with it on one event loop.
 * Same IngestService interface; the counts are read from shared memory, and `received` counts a
 * message once it is durable (see IngestCounters.stats), as it looked from the pipeline's own thread.
 */
export async function startIngestThread(o: IngestThreadOptions): Promise<IngestService> {
  const counters = new IngestCounters(new SharedArrayBuffer(IngestCounters.BYTES));
  const data: IngestThreadData = {
    mqtt: o.mqtt, streams: o.streams, bus: o.bus, logLevel: o.logger.level, counters: counters.buffer as SharedArrayBuffer,
    ...(o.brokerUrl ? { brokerUrl: o.brokerUrl } : {}),
    ...(o.protocolVersion ? { protocolVersion: o.protocolVersion } : {}),
  };
  // execArgv []: the entry registers tsx itself (inheriting the parent's --import tsx would chain two
  // loaders), and a worker refuses the V8 options a parent may have been started with.
  const worker = new Worker(ENTRY, { workerData: data, execArgv: [] });
  let ready = false;
  let exited = false;
  let stopped: Promise<void> | undefined;
  let nextId = 0;
  const metricRequests = new Map<number, (m: readonly MetricJson[]) => void>();

  const started = new Promise<readonly MetricJson[]>((resolve, reject) => {
    worker.on('message', (m: FromIngestThread) => {
      switch (m.type) {
        case 'started': resolve(m.metrics); break;
        case 'failed': reject(new Error(m.message)); break;
        case 'ready': ready = m.ready; break;
        case 'metrics': metricRequests.get(m.id)?.(m.metrics); metricRequests.delete(m.id); break;
        case 'stopped': ready = false; break;
      }
    });
    worker.on('error', (err) => {
      reject(err);
      if (!stopped) {
        // An uncaught error in the ingest would have ended the process when it ran on the main
        // thread; a dead thread must not leave a pipeline running that takes in nothing.
        o.logger.fatal({ err }, 'the ingest thread failed');
        setImmediate(() => { throw err; });
      }
    });
    worker.on('exit', (code) => {
      exited = true;
      ready = false;
      reject(new Error(`the ingest thread exited (code ${code}) before it started`));
      for (const resolveRequest of metricRequests.values()) resolveRequest([]);
      metricRequests.clear();
    });
  });

  let metrics: readonly MetricJson[];
  try {
    metrics = await started;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  if (o.registry) {
    mirrorThreadMetrics(o.registry, metrics, () => new Promise((resolve) => {
      if (exited) return resolve([]);
      const id = nextId++;
      metricRequests.set(id, resolve);
      worker.postMessage({ type: 'metrics', id });
    }));
  }

  return {
    stats: () => counters.stats({ receivedWhenDurable: true }),
    isReady: () => ready && !exited,
    stop(options = {}) {
      stopped ??= (async () => {
        if (exited) return;
        const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ type: 'stop', ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
        await done;
      })();
      return stopped;
    },
  };
}
