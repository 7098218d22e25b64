import { Command } from 'commander';
import { registerCommands } from './commands.js';

const program = new Command();
program
  .name('driftline')
  .description('Stream-processing pipeline for IoT telemetry: MQTT in, event-time windows, TensorFlow.js models, DuckDB/BigQuery out.')
  .showHelpAfterError();

registerCommands(program);

await program.parseAsync(process.argv);
