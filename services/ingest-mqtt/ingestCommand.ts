import type { Command } from 'commander';
import { positiveNumber } from '../cli/optionParsers.js';
import { runService, totalOf } from '../cli/runUntilStopped.js';
import { listenForStop } from '../cli/stopRequest.js';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { startMetricsServer } from '../../shared/metrics/metricsServer.js';
import { brokerForConfig } from '../broker/brokerForConfig.js';
import { startIngest } from './ingestService.js';
import { openBus } from './openBus.js';

interface IngestCommandOptions {
  config?: string;
  for?: number;
  statsEvery: number;
}

/** `driftline ingest`: the MQTT ingest alone, against the configured broker (or an embedded one) and bus. */
export function register(program: Command): void {
  program
    .command('ingest')
    .description('run only the MQTT ingest: subscribe to every stream\'s topic, validate, append to the bus (dead letters to dead_letters); Ctrl-C drains and exits')
    .option(...CONFIG_OPTION)
    .option('--for <seconds>', 'stop after this many seconds (drains first)', positiveNumber)
    .option('--stats-every <seconds>', 'log counts this often on stderr', positiveNumber, 5)
    .action(async (opts: IngestCommandOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const logger = pino({ level: config.log_level, base: { service: 'ingest' } }, pino.destination(2));
      const stop = listenForStop((msg) => logger.warn(msg));
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });

      const broker = await brokerForConfig(config.sources.mqtt);
      if (broker.embedded) logger.info({ url: broker.url }, 'started the embedded MQTT broker (sources.mqtt.url is unset)');
      const bus = openBus(config.bus);
      const producer = await bus.producer();
      let ingest: Awaited<ReturnType<typeof startIngest>> | undefined;
      const metrics = await startMetricsServer({
        host: config.metrics.host, port: config.metrics.port, registry, ready: () => ingest?.isReady() ?? false,
      });
      logger.info({ metrics: `${metrics.url}/metrics`, config: loaded.source, config_hash: loaded.hash }, 'ingest starting');
      try {
        ingest = await startIngest({
          mqtt: config.sources.mqtt, streams: config.streams, producer,
          brokerUrl: broker.url, protocolVersion: broker.protocolVersion, registry, logger,
        });
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'ingest failed to start');
        await Promise.allSettled([producer.close(), bus.close(), metrics.close(), broker.close()]);
        process.exitCode = 1;
        return;
      }
      const service = ingest;

      await runService({
        logger, stop, name: 'ingest', statsEverySeconds: opts.statsEvery, stats: () => service.stats(),
        ...(opts.for !== undefined ? { forSeconds: opts.for } : {}),
        close: [() => service.stop(), () => producer.close(), () => bus.close(), () => metrics.close(), () => broker.close()],
        summary: (s) => ({ received: s.received, ingested: s.valid, dead_letters: totalOf(s.deadLetters), acked: s.acked }),
      });
    });
}
