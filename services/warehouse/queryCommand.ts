import type { Command } from 'commander';
import { loadConfig, resolveConfigPath } from '../../shared/config/loadConfig.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { resultTable } from './resultTable.js';

/** `driftline query`: SQL on the local DuckDB warehouse, for analysts without the duckdb CLI. */
export function register(program: Command): void {
  program
    .command('query')
    .description('run SQL on the local DuckDB warehouse (tables: predictions, dead_letters, late_events, vessels) and print the result')
    .argument('<sql>', 'the query, e.g. "select stream, count(*) from predictions group by stream"')
    .option('-c, --config <file>', 'config file whose sink.path names the warehouse (default: ./driftline.yaml if present, else ./data/driftline.duckdb)')
    .option('--json', 'one JSON object per row instead of a table')
    .action(async (sql: string, opts: { config?: string; json?: boolean }) => {
      let path: string;
      try {
        const { config } = loadConfig(resolveConfigPath(opts.config));
        if (config.sink.kind !== 'duckdb') throw new Error(`sink.kind is ${config.sink.kind}: driftline query reads the DuckDB warehouse only (query BigQuery with bq or the console)`);
        path = config.sink.path;
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      let sink: DuckDbSink | undefined;
      try {
        sink = await DuckDbSink.open({ path });
        const result = await sink.query(sql);
        if (opts.json) {
          for (const row of result.rows) process.stdout.write(`${JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i]])))}\n`);
        } else {
          process.stdout.write(`${resultTable(result)}\n`);
        }
      } catch (err) {
        process.stderr.write(`driftline query: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await sink?.close();
      }
    });
}
