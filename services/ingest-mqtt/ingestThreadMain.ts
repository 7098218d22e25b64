import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { IngestThreadData, FromIngestThread, MetricJson, ToIngestThread } from './ingestThreadProtocol.js';
import { IngestCounters } from './ingestCounters.js';
import { startIngest } from './ingestService.js';
import { openBus } from './openBus.js';

/**
 * The MQTT ingest inside a worker thread (see ingestThread.ts): its own bus connection, the same
 * startIngest as `driftline ingest`, counts in shared memory, metrics and readiness sent by message.
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
    mqtt: data.mqtt, streams: data.streams, producer, registry, logger, counters: new IngestCounters(data.counters),
    ...(data.brokerUrl ? { brokerUrl: data.brokerUrl } : {}),
    ...(data.protocolVersion ? { protocolVersion: data.protocolVersion } : {}),
  });
} catch (err) {
  await bus.close().catch(() => undefined);
  post({ type: 'failed', message: (err as Error).message });
  port.close();
  process.exit(0);
}

// Counts are in shared memory (IngestCounters); readiness changes are sent, checked every 20 ms.
let ready: boolean | undefined;
const sendReady = (): void => {
  if (service.isReady() === ready) return;
  ready = service.isReady();
  post({ type: 'ready', ready });
};
const readyTimer = setInterval(sendReady, 20);

port.on('message', (m: ToIngestThread) => {
  if (m.type === 'metrics') {
    void metricsJson(registry).then((metrics) => post({ type: 'metrics', id: m.id, metrics }));
    return;
  }
  clearInterval(readyTimer);
  void (async () => {
    await service.stop(m.timeoutMs === undefined ? {} : { timeoutMs: m.timeoutMs });
    await bus.close();
    post({ type: 'stopped' });
    port.close();
  })();
});
sendReady();
post({ type: 'started', metrics: await metricsJson(registry) });
