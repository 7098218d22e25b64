import { z } from 'zod';

export const sinkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('duckdb').describe('local DuckDB warehouse file'),
    path: z.string().min(1).default('./data/driftline.duckdb').describe('DuckDB file; created with its tables if missing'),
  }).describe('DuckDB sink'),
  z.strictObject({
    kind: z.literal('bigquery').describe('Google BigQuery'),
    project_id: z.string().min(1).describe('Google Cloud project'),
    dataset: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, { error: 'must hold only letters, digits and "_"' }).describe('BigQuery dataset; tables are created in it'),
    location: z.string().min(1).default('US').describe('dataset location'),
    api_endpoint: z.string().min(1).optional().describe('API endpoint override, e.g. a BigQuery emulator at http://127.0.0.1:9050'),
  }).describe('BigQuery sink'),
]);

export type SinkConfig = z.output<typeof sinkSchema>;
