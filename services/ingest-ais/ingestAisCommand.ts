import type { Command } from 'commander';
import { positiveNumber } from '../cli/optionParsers.js';
import { pino } from 'pino';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { openSink } from '../../shared/sinks/openSink.js';
import { brokerForConfig, type BrokerEndpoint } from '../broker/brokerForConfig.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startAisIngest, type AisIngestService } from './aisIngestService.js';
import { runService, totalOf } from '../cli/runUntilStopped.js';
import { listenForStop } from '../cli/stopRequest.js';

interface IngestAisOptions {
  config?: string;
  for?: number;
  statsEvery: number;
}

/** `driftline ingest-ais`: the AIS feeds of `sources.ais` alone, into the configured bus and warehouse. */
export function register(program: Command): void {
  program
    .command('ingest-ais')
    .description('run only the AIS ingest (sources.ais): NMEA over TCP/UDP/MQTT and AIS-catcher JSON → positions on the stream\'s bus topic, rejects to dead_letters, static data to the vessels table; Ctrl-C flushes and exits')
    .option(...CONFIG_OPTION)
    .option('--for <seconds>', 'stop after this many seconds (flushes first)', positiveNumber)
    .option('--stats-every <seconds>', 'log counts this often on stderr', positiveNumber, 5)
    .addHelpText('after', '\nThe config must set sources.ais. The vessels table is written directly, so with sink.kind duckdb no other process may hold the DuckDB file: use `driftline run` (which starts the AIS ingest itself) for a single machine.\nThe last line on stdout is a JSON summary: {"positions","dead_letters","vessel_updates","appended"}.')
    .action(async (opts: IngestAisOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const ais = config.sources.ais;
      if (!ais) {
        process.stderr.write(`${loaded.source}: sources.ais is not set, so there is no AIS feed to ingest (fix: add sources.ais with tcp, udp, mqtt_nmea or ais_catcher; see README "AIS input")\n`);
        process.exitCode = 1;
        return;
      }
      const logger = pino({ level: config.log_level, base: { service: 'ingest-ais' } }, pino.destination(2));
      const stop = listenForStop((msg) => logger.warn(msg));
      const closers: (() => Promise<void>)[] = [];
      const closeAll = async () => {
        for (const close of closers.splice(0).reverse()) await close().catch((err: Error) => logger.warn({ err: err.message }, 'error while closing'));
      };
      let service: AisIngestService;
      try {
        let broker: BrokerEndpoint | undefined;
        if (ais.mqtt_nmea || ais.ais_catcher) {
          broker = await brokerForConfig(config.sources.mqtt);
          closers.push(() => broker!.close());
        }
        const bus = openBus(config.bus);
        closers.push(() => bus.close());
        const sink = await openSink(config.sink);
        closers.push(() => sink.close());
        const producer = await bus.producer();
        closers.push(() => producer.close());
        service = await startAisIngest({
          ais, producer, sink, logger,
          ...(broker ? { brokerUrl: broker.url, protocolVersion: broker.protocolVersion } : {}),
        });
        closers.push(() => service.stop());
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'AIS ingest failed to start');
        await closeAll();
        process.exitCode = 1;
        return;
      }
      if (service.udpPort !== undefined) process.stderr.write(`listening for NMEA over UDP on port ${service.udpPort}\n`);

      await runService({
        logger, stop, name: 'AIS ingest', statsEverySeconds: opts.statsEvery, stats: () => service.stats(),
        ...(opts.for !== undefined ? { forSeconds: opts.for } : {}),
        close: [closeAll],
        summary: (s) => ({ positions: s.positions, dead_letters: totalOf(s.deadLetters), vessel_updates: s.vesselUpdates, appended: s.appended }),
      });
    });
}
