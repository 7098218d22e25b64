import type { Command } from 'commander';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { startMetricsServer } from '../../shared/metrics/metricsServer.js';
import { positiveNumber } from '../cli/optionParsers.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startPubSubIngest, type PubSubIngestService } from './pubsubIngestService.js';
import { pubsubSourceConnection } from './pubsubSourceConnection.js';
import { runService, totalOf } from '../cli/runUntilStopped.js';
import { listenForStop } from '../cli/stopRequest.js';

interface IngestPubsubOptions {
  config?: string;
  for?: number;
  statsEvery: number;
}

/** `driftline ingest-pubsub`: the Pub/Sub ingest alone, from `sources.pubsub` to the configured bus. */
export function register(program: Command): void {
  program
    .command('ingest-pubsub')
    .description('run only the Pub/Sub ingest: pull every subscription in sources.pubsub, validate each message against its stream\'s schema '
      + '(and the deviceId attribute against the payload\'s key), append to the bus (dead letters to dead_letters), acknowledge once durable; Ctrl-C drains and exits')
    .option(...CONFIG_OPTION)
    .option('--for <seconds>', 'stop after this many seconds (drains first)', positiveNumber)
    .option('--stats-every <seconds>', 'log counts this often on stderr', positiveNumber, 5)
    .addHelpText('after', '\nNeeds sources.pubsub in the config. The subscriptions must exist; set PUBSUB_EMULATOR_HOST (or sources.pubsub.emulator_host) to use an emulator.\n'
      + 'Prints one JSON line on stdout when it stops: {"received","ingested","dead_letters","acked","nacked"}.')
    .action(async (opts: IngestPubsubOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const logger = pino({ level: config.log_level, base: { service: 'ingest-pubsub' } }, pino.destination(2));
      const stop = listenForStop((msg) => logger.warn(msg));
      const source = config.sources.pubsub;
      if (!source) {
        process.stderr.write(`${loaded.source}: sources.pubsub is not set, so there is nothing to pull (fix: add sources.pubsub.subscriptions, see the README section "Devices that publish to Pub/Sub")\n`);
        process.exitCode = 1;
        return;
      }
      let connection;
      try {
        connection = pubsubSourceConnection(source, config.bus);
      } catch (err) {
        process.stderr.write(`${loaded.source}: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const bus = openBus(config.bus);
      const producer = await bus.producer();
      let ingest: PubSubIngestService | undefined;
      const metrics = await startMetricsServer({
        host: config.metrics.host, port: config.metrics.port, registry, ready: () => ingest?.isReady() ?? false,
      });
      logger.info({ metrics: `${metrics.url}/metrics`, config: loaded.source, config_hash: loaded.hash }, 'Pub/Sub ingest starting');
      try {
        ingest = await startPubSubIngest({ source, streams: config.streams, connection, producer, registry, logger });
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'Pub/Sub ingest failed to start');
        await Promise.allSettled([producer.close(), bus.close(), metrics.close()]);
        process.exitCode = 1;
        return;
      }
      const service = ingest;

      await runService({
        logger, stop, name: 'Pub/Sub ingest', statsEverySeconds: opts.statsEvery, stats: () => service.stats(),
        ...(opts.for !== undefined ? { forSeconds: opts.for } : {}),
        close: [() => service.stop(), () => producer.close(), () => bus.close(), () => metrics.close()],
        summary: (s) => ({ received: s.received, ingested: s.valid, dead_letters: totalOf(s.deadLetters), acked: s.acked, nacked: s.nacked }),
      });
    });
}
