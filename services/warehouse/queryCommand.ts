import type { Command } from 'commander';
import { loadConfig, resolveConfigPath } from '../../shared/config/loadConfig.js';
import { resultTable } from './resultTable.js';
import { queryWarehouse } from './warehouseQuery.js';

/**
 * `driftline query`: SQL on the local DuckDB warehouse, for analysts without the duckdb CLI. It works
 * while the pipeline runs, through the process holding the file (see warehouseQuery.ts).
 */
export function register(program: Command): void {
  program
    .command('query')
    .description('run SQL on the local DuckDB warehouse (tables: predictions, dead_letters, late_events, vessels) and print the result; ' +
      'works while the pipeline runs (read-only then)')
    .argument('<sql>', 'the query, e.g. "select stream, count(*) from predictions group by stream"')
    .option('-c, --config <file>', 'config file whose sink.path names the warehouse (default: ./driftline.yaml if present, else ./data/driftline.duckdb)')
    .option('--json', 'one JSON object per row instead of a table')
    .addHelpText('after', `
While driftline run, driftline worker or driftline ingest-ais holds the warehouse open (DuckDB lets one
process open the file), the query runs inside that process: it serves queries on a Unix socket beside
the file (<folder>/.<file>.query.sock, or driftline-query-<hash>.sock in the temp folder when that path
is too long), readable by its own user only. Results are the same, from whole committed batches.
Through a running pipeline only reads are allowed: SELECT, WITH ... SELECT, FROM, VALUES, DESCRIBE, SHOW,
SUMMARIZE, PRAGMA table_info/show_tables/database_size, EXPLAIN. Writes are refused (exit 1, naming the
statement type): stop the pipeline, then run them.`)
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
      try {
        const result = await queryWarehouse(path, sql);
        if (opts.json) {
          for (const row of result.rows) process.stdout.write(`${JSON.stringify(Object.fromEntries(result.columns.map((c, i) => [c, row[i]])))}\n`);
        } else {
          process.stdout.write(`${resultTable(result)}\n`);
        }
      } catch (err) {
        process.stderr.write(`driftline query: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
