import { pino } from 'pino';
import { Registry } from 'prom-client';
import { metricsJson } from '../../shared/metrics/threadMetrics.js';
import { emitEvent, serveThread, threadData } from '../../shared/threads/serveThread.js';
import { IngestCounters } from './ingestCounters.js';
import type { IngestStopArgs, IngestThreadData, IngestThreadStarted } from './ingestThreadProtocol.js';
import { startIngest } from './ingestService.js';
import { openBus } from './openBus.js';

/**
 * The MQTT ingest inside a worker thread (see ingestThread.ts): its own bus connection, the same
 * startIngest as `driftline ingest`, counts in shared memory, metrics and readiness sent by message.
 */
const data = threadData<IngestThreadData>();

await serveThread('ingest', async () => {
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
    throw err;
  }
  // Counts are in shared memory (IngestCounters); readiness changes are sent, checked every 20 ms.
  let ready: boolean | undefined;
  const sendReady = (): void => {
    if (service.isReady() === ready) return;
    ready = service.isReady();
    emitEvent('ready', ready);
  };
  const readyTimer = setInterval(sendReady, 20);
  sendReady();
  const started: IngestThreadStarted = { metrics: await metricsJson(registry) };
  return {
    started,
    handlers: { metrics: () => metricsJson(registry) },
    async stop(args) {
      clearInterval(readyTimer);
      const { timeoutMs } = (args ?? {}) as IngestStopArgs;
      await service.stop(timeoutMs === undefined ? {} : { timeoutMs });
      await bus.close();
      emitEvent('ready', false);
    },
  };
});
