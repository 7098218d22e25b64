import type { Command } from 'commander';
import { positiveNumber, wholeNumber } from '../cli/optionParsers.js';
import { listenForStop } from '../cli/stopRequest.js';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import type { SimulatorConfig } from '../../shared/config/simulatorSchema.js';
import { startMetricsServer } from '../../shared/metrics/metricsServer.js';
import { startPipeline, type PipelineSummary } from './pipeline.js';
import { progressLine } from './progressLine.js';

interface RunOptions {
  config?: string;
  for?: number;
  drainWhenIdle?: number;
  simulator: boolean;
  seed?: number;
  vessels?: number;
  plants?: number;
  hours?: number;
  speed?: number;
  progress: boolean;
}

/** CLI flags override the config file's `simulator:` section, key by key. */
function simulatorSettings(base: SimulatorConfig, o: RunOptions): SimulatorConfig | undefined {
  if (!o.simulator || !base.enabled) return undefined;
  return {
    ...base,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.vessels !== undefined ? { vessels: o.vessels } : {}),
    ...(o.plants !== undefined ? { plants: o.plants } : {}),
    ...(o.hours !== undefined ? { hours: o.hours } : {}),
    ...(o.speed !== undefined ? { speed: o.speed } : {}),
  };
}

/** `driftline run`: the whole pipeline in one process (what `npm start` calls). */
export function register(program: Command): void {
  program
    .command('run')
    .description('run the whole pipeline in one process: MQTT broker (embedded unless sources.mqtt.url is set), ingest, bus, feature workers, warehouse and the simulated fleet; Ctrl-C drains and exits')
    .option(...CONFIG_OPTION)
    .option('--for <seconds>', 'stop after this many seconds', positiveNumber)
    .option('--drain-when-idle <seconds>', 'once no input has arrived for this long, fire every open window, land the rows and exit', positiveNumber)
    .option('--no-simulator', 'do not start the simulated fleet (devices publish on their own)')
    .option('--seed <n>', 'simulator seed (overrides simulator.seed)', wholeNumber)
    .option('--vessels <n>', 'simulated vessels (overrides simulator.vessels)', wholeNumber)
    .option('--plants <n>', 'simulated cooling plants (overrides simulator.plants)', wholeNumber)
    .option('--hours <h>', 'publish a finite dataset of this many simulated hours from 2024-01-01 (overrides simulator.hours)', positiveNumber)
    .option('--speed <x>', 'simulated seconds per real second (overrides simulator.speed)', positiveNumber)
    .option('--no-progress', 'no live progress line on stderr')
    .addHelpText('after', '\nThe last line on stdout is a JSON summary: {"published","ingested","dead_letters","late_events","panes","rows_landed"}.\nQuery the results, also while it runs (read-only, through this process): driftline query "select * from predictions limit 5"')
    .action(async (opts: RunOptions) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const logger = pino({ level: config.log_level, base: { service: 'run' } }, pino.destination(2));
      const stop = listenForStop((msg) => logger.warn(msg));
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const simulator = simulatorSettings(config.simulator, opts);
      let pipeline;
      try {
        pipeline = await startPipeline({ config, logger, registry, ...(simulator ? { simulator } : {}) });
      } catch (err) {
        process.stderr.write(`driftline run: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const started = pipeline;
      const metrics = await startMetricsServer({ host: config.metrics.host, port: config.metrics.port, registry, ready: () => started.isReady() });
      logger.info({ config: loaded.source, config_hash: loaded.hash, broker: pipeline.brokerUrl, metrics: `${metrics.url}/metrics`, simulator }, 'driftline running');

      const tty = process.stderr.isTTY && opts.progress;
      let prev = pipeline.status();
      let prevAt = Date.now();
      let lastReceived = prev.received;
      let lastInputAt = Date.now();
      const ticker = setInterval(() => {
        const now = Date.now();
        const cur = pipeline.status();
        if (cur.received !== lastReceived || cur.last_input_at > lastInputAt) {
          lastReceived = cur.received;
          lastInputAt = Math.max(now, cur.last_input_at);
        }
        // On a terminal the line rewrites itself every second; in a log, one line every 10 s.
        if (opts.progress && (tty || now - prevAt >= 10_000)) {
          process.stderr.write(`${tty ? '\r\x1b[K' : ''}${progressLine(prev, cur, now - prevAt, now)}${tty ? '' : '\n'}`);
          prev = cur;
          prevAt = now;
        }
        if (opts.drainWhenIdle !== undefined && !finishing && now - lastInputAt >= opts.drainWhenIdle * 1000) {
          void finish(`input idle for ${opts.drainWhenIdle}s`, true);
        }
      }, 1000);

      let finishing: Promise<void> | undefined;
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const finish = (why: string, drain: boolean) => {
        // After this, a signal is a second request and exits at once.
        stop.request(why);
        finishing ??= (async () => {
          if (tty) process.stderr.write('\n');
          logger.info({ why }, drain ? 'draining: firing every open window' : 'stopping');
          if (drain) await pipeline.drain();
          clearInterval(ticker);
          await pipeline.stop();
          await metrics.close();
          const s = pipeline.status();
          const summary: PipelineSummary = {
            published: s.published, ingested: s.ingested, dead_letters: s.dead_letters,
            late_events: s.late_events, panes: s.panes, rows_landed: s.rows_landed,
          };
          process.stdout.write(`${JSON.stringify(summary)}\n`);
        })().finally(finished);
        return finishing;
      };
      void stop.requested.then((why) => finish(why, false));
      const forTimer = opts.for === undefined ? undefined : setTimeout(() => stop.request(`--for ${opts.for}`), opts.for * 1000);
      await done;
      clearTimeout(forTimer);
      stop.dispose();
    });
}
