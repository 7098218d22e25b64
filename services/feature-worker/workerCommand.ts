import type { Command } from 'commander';
import { positiveNumber } from '../cli/optionParsers.js';
import { pino } from 'pino';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { DEFAULT_MODELS_DIR } from '../../shared/models/defaultModelsDir.js';
import { openSink } from '../../shared/sinks/openSink.js';
import { openBus } from '../ingest-mqtt/openBus.js';
import { startWorker } from './featureWorker.js';

interface WorkerCommandOptions {
  config?: string;
  stream?: string[];
  modelsDir: string;
  checkpoints?: string;
  drainWhenIdle?: number;
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
    .action(async (opts: WorkerCommandOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const logger = pino({ level: config.log_level, base: { service: 'worker' } }, pino.destination(2));
      const bus = openBus(config.bus);
      const sink = await openSink(config.sink);
      let worker;
      try {
        worker = await startWorker({
          config, bus, sink, modelsDir: opts.modelsDir, logger,
          ...(opts.checkpoints ? { checkpointPath: opts.checkpoints } : {}),
          ...(opts.stream ? { streams: opts.stream } : {}),
        });
      } catch (err) {
        process.stderr.write(`driftline worker: ${(err as Error).message}\n`);
        await sink.close();
        await bus.close();
        process.exitCode = 1;
        return;
      }
      const w = worker;
      let lastRecords = -1;
      let lastChange = Date.now();
      let stopping: Promise<void> | undefined;
      const stop = (why: string, drain: boolean) => {
        stopping ??= (async () => {
          clearInterval(timer);
          logger.info({ why }, drain ? 'draining' : 'stopping');
          if (drain) await w.drain();
          await w.stop();
          await sink.close();
          await bus.close();
          process.stdout.write(`${JSON.stringify(w.stats())}\n`);
        })();
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
        if (opts.drainWhenIdle !== undefined && Date.now() - lastChange >= opts.drainWhenIdle * 1000) void stop('idle', true);
      }, 1000);
      process.on('SIGINT', () => void stop('SIGINT', false));
      process.on('SIGTERM', () => void stop('SIGTERM', false));
    });
}
