import type { TableMetadata } from '@google-cloud/bigquery';
import type { LogicalType } from './column.js';
import type { TableDef } from './tableDef.js';

export type BigQueryType = 'STRING' | 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'TIMESTAMP' | 'JSON';

/**
 * BigQuery type names as `tables.get` reports them (it answers INTEGER/FLOAT/BOOLEAN even for a table
 * created with INT64/FLOAT64/BOOL), so a schema diff against a live table compares like with like.
 */
const bigqueryTypes: Record<LogicalType, BigQueryType> = {
  string: 'STRING',
  int64: 'INTEGER',
  float64: 'FLOAT',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
};

const aliases: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };

/** Maps the standard-SQL spellings to the legacy ones BigQuery reports, for comparing schemas. */
export function normalizeBigQueryType(type: string): string {
  const upper = type.toUpperCase();
  return aliases[upper] ?? upper;
}

export interface BigQueryField {
  readonly name: string;
  readonly type: BigQueryType;
  readonly mode: 'REQUIRED' | 'NULLABLE';
  readonly description: string;
}

export interface BigQueryTableSpec {
  readonly tableId: string;
  readonly description: string;
  readonly schema: { readonly fields: readonly BigQueryField[] };
  readonly timePartitioning?: { readonly type: 'HOUR' | 'DAY' | 'MONTH'; readonly field: string };
  readonly clustering?: { readonly fields: readonly string[] };
}

export function bigqueryFields(def: TableDef): BigQueryField[] {
  return def.columns.map((c) => ({
    name: c.name,
    type: bigqueryTypes[c.type],
    mode: c.nullable ? 'NULLABLE' : 'REQUIRED',
    // BigQuery caps column descriptions at 1024 characters
    description: c.description.slice(0, 1024),
  }));
}

/** The table as BigQuery's `tables.insert` wants it: fields, partitioning and clustering. */
export function bigqueryTableSpec(def: TableDef): BigQueryTableSpec {
  return {
    tableId: def.name,
    description: def.description,
    schema: { fields: bigqueryFields(def) },
    ...(def.partitioning
      ? { timePartitioning: { type: def.partitioning.granularity, field: def.partitioning.column } }
      : {}),
    ...(def.clustering ? { clustering: { fields: [...def.clustering] } } : {}),
  };
}

/** The spec in the shape `dataset.createTable(id, metadata)` of @google-cloud/bigquery accepts. */
export function bigqueryTableMetadata(def: TableDef): TableMetadata {
  const spec = bigqueryTableSpec(def);
  return {
    description: spec.description,
    schema: { fields: spec.schema.fields.map((f) => ({ ...f })) },
    ...(spec.timePartitioning ? { timePartitioning: { ...spec.timePartitioning } } : {}),
    ...(spec.clustering ? { clustering: { fields: [...spec.clustering.fields] } } : {}),
  };
}
