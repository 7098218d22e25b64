import type { Command } from 'commander';
import { positiveNumber, wholeNumber } from '../cli/optionParsers.js';
import { listenForStop } from '../cli/stopRequest.js';
import { CONFIG_OPTION, loadCommandConfig } from '../../shared/config/commandConfig.js';
import { startSimulator } from './simulatorRun.js';

/** `driftline simulate`: the simulated fleet alone, publishing to a broker over MQTT. */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('publish the simulated fleet (AIS vessel positions, cooling-plant telemetry) over MQTT, as real devices would')
    .option(...CONFIG_OPTION)
    .option('--url <url>', 'broker to publish to (default: sources.mqtt.url, else mqtt://127.0.0.1:1883)')
    .option('--seed <n>', 'random seed: same seed, same fleet and messages', wholeNumber)
    .option('--vessels <n>', 'simulated vessels', wholeNumber)
    .option('--plants <n>', 'simulated cooling plants', wholeNumber)
    .option('--hours <h>', 'publish a finite dataset of this many simulated hours from 2024-01-01, then exit', positiveNumber)
    .option('--speed <x>', 'simulated seconds per real second (60 = a simulated minute per second)', positiveNumber)
    .action(async (opts: { config?: string; url?: string; seed?: number; vessels?: number; plants?: number; hours?: number; speed?: number }) => {
      const loaded = loadCommandConfig(opts.config);
      if (!loaded) return;
      const { config } = loaded;
      const s = config.simulator;
      const sim = {
        ...s,
        seed: opts.seed ?? s.seed, vessels: opts.vessels ?? s.vessels, plants: opts.plants ?? s.plants,
        speed: opts.speed ?? s.speed, ...(opts.hours !== undefined ? { hours: opts.hours } : {}),
      };
      const url = opts.url ?? config.sources.mqtt.url ?? 'mqtt://127.0.0.1:1883';
      const stop = listenForStop((msg) => process.stderr.write(`${msg}\n`));
      const run = await startSimulator(config, sim, url, config.sources.mqtt.protocol_version);
      const progress = setInterval(() => process.stderr.write(`published ${run.published()}\n`), 5000);
      void stop.requested.then(() => run.stop());
      const published = await run.done.finally(() => clearInterval(progress));
      await run.stop();
      stop.dispose();
      process.stdout.write(`${JSON.stringify({ published })}\n`);
    });
}
