import type { Command } from 'commander';
import { ConfigError } from '../../shared/config/configProblem.js';
import { loadConfig, resolveConfigPath } from '../../shared/config/loadConfig.js';
import { formatInitSummary, initWarehouse } from './initWarehouse.js';

/** `driftline warehouse init`: create or migrate the warehouse tables the config's `sink:` names. */
export function register(program: Command): void {
  const warehouse = program.command('warehouse').description('manage the warehouse (DuckDB file or BigQuery dataset) that sink: names');

  warehouse
    .command('init')
    .description('create the dataset and tables of schemas/tables/ (predictions, dead_letters, late_events, vessels) and, ' +
      'for BigQuery, the <table>_dedup views; on existing tables add new NULLABLE columns, and refuse (exit 1, nothing ' +
      'changed) a change that cannot be made in place (type change, new REQUIRED column, dropped column). Safe to run again')
    .option('-c, --config <file>', 'config file whose sink: names the warehouse (default: ./driftline.yaml if present, else the built-in defaults: DuckDB ./data/driftline.duckdb)')
    .option('--json', 'print the report as JSON instead of text')
    .action(async (opts: { config?: string; json?: boolean }) => {
      try {
        const { config } = loadConfig(resolveConfigPath(opts.config));
        const summary = await initWarehouse(config.sink, (line) => process.stderr.write(`warehouse init: ${line}\n`));
        process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${formatInitSummary(summary)}\n`);
      } catch (err) {
        const message = err instanceof ConfigError ? err.message : `driftline warehouse init: ${(err as Error).message}`;
        process.stderr.write(`${message}\n`);
        process.exitCode = 1;
      }
    });
}
