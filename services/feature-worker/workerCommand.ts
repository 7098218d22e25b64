import { InvalidArgumentError, type Command } from 'commander';
import { positiveNumber, wholeNumber } from '../cli/optionParsers.js';
import { listenForStop } from '../cli/stopRequest.js';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { startMetricsServer, type MetricsServer } from '../../shared/metrics/metricsServer.js';
import { DEFAULT_MODELS_DIR } from '../../shared/models/defaultModelsDir.js';
import { openSink } from '../../shared/sinks/openSink.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startWorker, type FeatureWorker } from './featureWorker.js';

interface WorkerCommandOptions {
  config?: string;
  stream?: string[];
  modelsDir: string;
  checkpoints?: string;
  drainWhenIdle?: number;
  metricsPort?: number;
}

function port(value: string): number {
  const n = wholeNumber(value);
  if (n > 65535) throw new InvalidArgumentError('expected a port, 0 to 65535');
  return n;
}

/** `driftline worker`: the feature workers alone, reading the bus the ingest writes. */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run only the feature workers: bus → event-time windows → features → models → warehouse; Ctrl-C checkpoints and exits')
    .option(...CONFIG_OPTION)
    .option('--stream <name...>', 'streams to run (default: all)')
    .option('--models-dir <dir>', 'folder holding <model>/<version>/manifest.json', DEFAULT_MODELS_DIR)
    .option('--checkpoints <file>', 'SQLite file for window checkpoints, shared by every worker of the group (default: worker.checkpoints, else checkpoints.sqlite beside the embedded bus, else ./data/checkpoints.sqlite)')
    .option('--drain-when-idle <seconds>', 'once no record has arrived for this long, fire every open window, land the rows and exit (end of input: in a consumer group, records that reach a drained partition later count as late)', positiveNumber)
    .option('--metrics-port <port>', 'port for /metrics, /healthz and /readyz (default: metrics.port; a worker beside `driftline ingest` on one machine needs a port of its own, 0 = any free port)', port)
    .action(async (opts: WorkerCommandOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const logger = pino({ level: config.log_level, base: { service: 'worker' } }, pino.destination(2));
      const stop = listenForStop((msg) => logger.warn(msg));
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const bus = openBus(config.bus);
      const sink = await openSink(config.sink);
      let worker: FeatureWorker | undefined;
      let metrics: MetricsServer;
      try {
        // Up before the models load, so /healthz answers and /readyz says 503 meanwhile.
        metrics = await startMetricsServer({
          host: config.metrics.host, port: opts.metricsPort ?? config.metrics.port, registry, ready: () => worker?.isReady() ?? false,
        });
      } catch (err) {
        process.stderr.write(`driftline worker: ${(err as Error).message}${opts.metricsPort === undefined ? ' (or pass --metrics-port)' : ''}\n`);
        await sink.close();
        await bus.close();
        process.exitCode = 1;
        return;
      }
      logger.info({ metrics: `${metrics.url}/metrics`, config: loaded.source, config_hash: loaded.hash }, 'worker starting');
      try {
        worker = await startWorker({
          config, bus, sink, modelsDir: opts.modelsDir, logger, registry,
          ...(opts.checkpoints ? { checkpointPath: opts.checkpoints } : {}),
          ...(opts.stream ? { streams: opts.stream } : {}),
        });
      } catch (err) {
        process.stderr.write(`driftline worker: ${(err as Error).message}\n`);
        await sink.close();
        await bus.close();
        await metrics.close();
        process.exitCode = 1;
        return;
      }
      const w = worker;
      let lastRecords = -1;
      let lastChange = Date.now();
      let stopping: Promise<void> | undefined;
      const finish = (why: string, drain: boolean) => {
        // After this, a signal is a second request and exits at once.
        stop.request(why);
        stopping ??= (async () => {
          clearInterval(timer);
          logger.info({ why }, drain ? 'draining' : 'stopping');
          if (drain) await w.drain();
          await w.stop();
          await sink.close();
          await bus.close();
          await metrics.close();
          process.stdout.write(`${JSON.stringify(w.stats())}\n`);
        })().finally(() => stop.dispose());
        return stopping;
      };
      const timer = setInterval(() => {
        const s = w.stats();
        const records = Object.values(s.streams).reduce((a, x) => a + x.records, 0);
        if (records !== lastRecords) {
          lastRecords = records;
          lastChange = Date.now();
        }
        logger.info(s, 'worker stats');
        if (opts.drainWhenIdle !== undefined && Date.now() - lastChange >= opts.drainWhenIdle * 1000) void finish('idle', true);
      }, 1000);
      void stop.requested.then((why) => finish(why, false));
    });
}
