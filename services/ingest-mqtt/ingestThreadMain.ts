import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { IngestThreadData, FromIngestThread, MetricJson, ToIngestThread } from './ingestThreadProtocol.js';
import { startIngest, type IngestStats } from './ingestService.js';
import { openBus } from './openBus.js';

/**
 * The MQTT ingest inside a worker thread (see ingestThread.ts): its own bus connection, the same
 * startIngest as `driftline ingest`, stats and metrics sent to the pipeline's thread by message.
 */
const port = parentPort!;
const data = workerData as IngestThreadData;
const post = (m: FromIngestThread): void => port.postMessage(m);
const metricsJson = async (registry: Registry): Promise<MetricJson[]> => (await registry.getMetricsAsJSON()) as unknown as MetricJson[];

const logger = pino({ level: data.logLevel, base: { service: 'ingest' } }, pino.destination(2));
const registry = new Registry();
const bus = openBus(data.bus);
let service: Awaited<ReturnType<typeof startIngest>>;
try {
  const producer = await bus.producer();
  service = await startIngest({
    mqtt: data.mqtt, streams: data.streams, producer, registry, logger,
    ...(data.brokerUrl ? { brokerUrl: data.brokerUrl } : {}),
    ...(data.protocolVersion ? { protocolVersion: data.protocolVersion } : {}),
  });
} catch (err) {
  await bus.close().catch(() => undefined);
  post({ type: 'failed', message: (err as Error).message });
  port.close();
  process.exit(0);
}

// Counts go to the pipeline's thread when they change, at most every 20 ms: its status() reads them
// synchronously, and a message per MQTT message would cost more than the ingest itself.
let last = '';
const sendStats = (): void => {
  const stats: IngestStats = service.stats();
  const ready = service.isReady();
  const key = `${JSON.stringify(stats)}${ready}`;
  if (key === last) return;
  last = key;
  post({ type: 'stats', stats, ready });
};
const statsTimer = setInterval(sendStats, 20);

port.on('message', (m: ToIngestThread) => {
  if (m.type === 'metrics') {
    void metricsJson(registry).then((metrics) => post({ type: 'metrics', id: m.id, metrics }));
    return;
  }
  clearInterval(statsTimer);
  void (async () => {
    await service.stop(m.timeoutMs === undefined ? {} : { timeoutMs: m.timeoutMs });
    await bus.close();
    post({ type: 'stopped', stats: service.stats() });
    port.close();
  })();
});
sendStats();
post({ type: 'started', metrics: await metricsJson(registry) });
