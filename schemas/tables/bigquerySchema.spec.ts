import type { TableMetadata } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { bigqueryTableMetadata, bigqueryTableSpec, normalizeBigQueryType } from './bigquerySchema.js';
import { tableNames, warehouseTables } from './tables.js';

describe('bigqueryTableSpec', () => {
  it('predictions: every column in order with type, mode and description; day partitions on window_end; clustered by stream, key', () => {
    const spec = bigqueryTableSpec(warehouseTables.predictions);
    expect(spec.tableId).toBe('predictions');
    expect(spec.schema.fields.map((f) => [f.name, f.type, f.mode])).toEqual([
      ['row_id', 'STRING', 'REQUIRED'],
      ['stream', 'STRING', 'REQUIRED'],
      ['key', 'STRING', 'REQUIRED'],
      ['window_start', 'TIMESTAMP', 'REQUIRED'],
      ['window_end', 'TIMESTAMP', 'REQUIRED'],
      ['pane_timing', 'STRING', 'REQUIRED'],
      ['pane_index', 'INTEGER', 'REQUIRED'],
      ['is_final', 'BOOLEAN', 'REQUIRED'],
      ['event_count', 'INTEGER', 'REQUIRED'],
      ['model', 'STRING', 'REQUIRED'],
      ['model_version', 'STRING', 'REQUIRED'],
      ['model_role', 'STRING', 'REQUIRED'],
      ['label', 'STRING', 'NULLABLE'],
      ['value', 'FLOAT', 'NULLABLE'],
      ['probabilities', 'JSON', 'NULLABLE'],
      ['processed_at', 'TIMESTAMP', 'REQUIRED'],
      ['config_hash', 'STRING', 'REQUIRED'],
    ]);
    expect(spec.timePartitioning).toEqual({ type: 'DAY', field: 'window_end' });
    expect(spec.clustering).toEqual({ fields: ['stream', 'key'] });
  });

  it.each(tableNames)('%s: descriptions carried over, within BigQuery limits', (name) => {
    const def = warehouseTables[name];
    const spec = bigqueryTableSpec(def);
    expect(spec.description).toBe(def.description);
    expect(spec.schema.fields.map((f) => f.description)).toEqual(def.columns.map((c) => c.description));
    for (const f of spec.schema.fields) {
      expect(f.description.length).toBeGreaterThan(0);
      expect(f.description.length).toBeLessThanOrEqual(1024);
      expect(f.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,299}$/);
    }
    expect(spec.clustering?.fields.length ?? 0).toBeLessThanOrEqual(4);
  });

  it('vessels is a small reference table: no partitioning or clustering', () => {
    const spec = bigqueryTableSpec(warehouseTables.vessels);
    expect(spec.timePartitioning).toBeUndefined();
    expect(spec.clustering).toBeUndefined();
  });

  it('gives @google-cloud/bigquery metadata it accepts for createTable, detached from the definitions', () => {
    const metadata: TableMetadata = bigqueryTableMetadata(warehouseTables.dead_letters);
    expect(metadata.timePartitioning).toEqual({ type: 'DAY', field: 'received_at' });
    const schema = metadata.schema as { fields: { name: string }[] };
    schema.fields[0].name = 'changed';
    expect(bigqueryTableSpec(warehouseTables.dead_letters).schema.fields[0].name).toBe('id');
  });

  it('normalizes standard-SQL type spellings to the names tables.get reports', () => {
    expect(['INT64', 'int64', 'INTEGER'].map(normalizeBigQueryType)).toEqual(['INTEGER', 'INTEGER', 'INTEGER']);
    expect(['FLOAT64', 'BOOL', 'json'].map(normalizeBigQueryType)).toEqual(['FLOAT', 'BOOLEAN', 'JSON']);
  });
});
