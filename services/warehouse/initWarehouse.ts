import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SinkConfig } from '../../shared/config/sinkSchema.js';
import { bigqueryClient } from '../../shared/sinks/bigquery/bigqueryClient.js';
import { initBigQueryWarehouse, type WarehouseInitReport } from '../../shared/sinks/bigquery/warehouseInit.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';

export type InitSummary =
  | ({ readonly kind: 'bigquery' } & WarehouseInitReport)
  | {
      readonly kind: 'duckdb';
      readonly file: string;
      readonly fileCreated: boolean;
      readonly tables: readonly { readonly name: string; readonly columns: number }[];
    };

/**
 * Creates or migrates the warehouse `sink:` describes. BigQuery: dataset, tables and de-duplicating
 * views (shared/sinks/bigquery/warehouseInit.ts). DuckDB: opening the sink creates missing tables and
 * adds new nullable columns (the same migration every pipeline start runs), refusing other changes.
 */
export async function initWarehouse(sink: SinkConfig, log: (line: string) => void = () => undefined): Promise<InitSummary> {
  if (sink.kind === 'bigquery') {
    const bq = bigqueryClient({
      projectId: sink.project_id,
      location: sink.location,
      ...(sink.api_endpoint ? { apiEndpoint: sink.api_endpoint } : {}),
    });
    const report = await initBigQueryWarehouse(bq, { datasetId: sink.dataset, location: sink.location, log });
    return { kind: 'bigquery', ...report };
  }
  const file = resolve(sink.path);
  const fileCreated = !existsSync(file);
  const duckdb = await DuckDbSink.open({ path: sink.path });
  try {
    const result = await duckdb.query(
      "SELECT table_name, count(*) FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' " +
      'GROUP BY table_name ORDER BY table_name');
    const tables = result.rows.map(([name, columns]) => ({ name: String(name), columns: Number(columns) }));
    for (const t of tables) log(`table ${t.name}: ready (${t.columns} columns)`);
    return { kind: 'duckdb', file, fileCreated, tables };
  } finally {
    await duckdb.close();
  }
}

/** One line per table and view: what init did. */
export function formatInitSummary(summary: InitSummary): string {
  if (summary.kind === 'duckdb') {
    return [`DuckDB warehouse ${summary.file} (${summary.fileCreated ? 'created' : 'existing file'}):`,
      ...summary.tables.map((t) => `  ${t.name}: ready, ${t.columns} columns`)].join('\n');
  }
  const where = `${summary.projectId}.${summary.datasetId}`;
  return [
    `BigQuery dataset ${where} (${summary.datasetCreated ? 'created' : 'existing'}):`,
    ...summary.tables.map((t) => `  table ${t.name}: ${t.action}${t.changes.length ? ` (${t.changes.join('; ')})` : ''}`),
    ...summary.views.map((v) => `  view ${v.name}: ${v.action}`),
  ].join('\n');
}
