import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { mirrorThreadMetrics, type MetricJson } from '../../shared/metrics/threadMetrics.js';
import { startServiceThread } from '../../shared/threads/serviceThread.js';
import { IngestCounters } from './ingestCounters.js';
import type { IngestService } from './ingestService.js';
import type { IngestStopArgs, IngestThreadData, IngestThreadStarted } from './ingestThreadProtocol.js';

export interface IngestThreadOptions extends Omit<IngestThreadData, 'logLevel' | 'counters'> {
  /** the thread's metrics appear here, read from the thread at each scrape */
  readonly registry?: Registry;
  /** its level is the thread's; the thread logs to stderr with `service: ingest` */
  readonly logger: Logger;
}

const MAIN = new URL('./ingestThreadMain.ts', import.meta.url);

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
  let ready = false;
  const thread = await startServiceThread<IngestThreadStarted>({
    main: MAIN, data, name: 'ingest', logger: o.logger,
    onEvent: (name, value) => {
      if (name === 'ready') ready = value as boolean;
    },
  });
  if (o.registry) {
    mirrorThreadMetrics(o.registry, thread.started.metrics, () => thread.request<MetricJson[]>('metrics').catch(() => []));
  }
  return {
    stats: () => counters.stats({ receivedWhenDurable: true }),
    isReady: () => ready && !thread.exited,
    stop(options = {}) {
      const args: IngestStopArgs = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
      return thread.stop(args);
    },
  };
}
