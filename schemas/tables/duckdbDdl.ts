import type { LogicalType } from './column.js';
import type { TableDef } from './tableDef.js';

/**
 * DuckDB types of the logical types. Timestamps are plain `TIMESTAMP` holding UTC: BigQuery's
 * TIMESTAMP is UTC too, and a naive UTC timestamp makes `date_trunc('day', window_end)` cut days at
 * UTC midnight in both warehouses, so analysts' queries give the same answers in both.
 */
const duckdbTypes: Record<LogicalType, string> = {
  string: 'VARCHAR',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
};

export function duckdbType(type: LogicalType): string {
  return duckdbTypes[type];
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * `CREATE TABLE IF NOT EXISTS` with NOT NULL on required columns and the primary key the sink's
 * idempotent insert relies on, followed by COMMENT statements carrying the table and column
 * descriptions (visible in `duckdb_columns()` and `driftline query`).
 */
export function duckdbCreateTable(def: TableDef): string[] {
  const columns = def.columns.map(
    (c) => `  ${quoteIdent(c.name)} ${duckdbType(c.type)}${c.nullable ? '' : ' NOT NULL'}`,
  );
  return [
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(def.name)} (\n${columns.join(',\n')},\n  PRIMARY KEY (${quoteIdent(def.primaryKey)})\n)`,
    ...duckdbComments(def),
  ];
}

export function duckdbComments(def: TableDef): string[] {
  return [
    `COMMENT ON TABLE ${quoteIdent(def.name)} IS ${quoteLiteral(def.description)}`,
    ...def.columns.map(
      (c) => `COMMENT ON COLUMN ${quoteIdent(def.name)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.description)}`,
    ),
  ];
}

/** A column as `duckdb_columns()` reports it. */
export interface DuckdbColumnInfo {
  readonly name: string;
  readonly dataType: string;
  readonly nullable: boolean;
}

/**
 * Statements that bring an existing table up to the declared schema. Only changes that keep every
 * stored row are made (new nullable columns, dropping NOT NULL); anything else throws with the
 * column and the fix, because silently dropping or retyping a column loses analysts' data.
 */
export function duckdbMigration(def: TableDef, existing: readonly DuckdbColumnInfo[], file = 'the DuckDB file'): string[] {
  const stored = new Map(existing.map((c) => [c.name, c]));
  const declared = new Set(def.columns.map((c) => c.name));
  const statements: string[] = [];
  const problems: string[] = [];
  for (const column of def.columns) {
    const have = stored.get(column.name);
    const type = duckdbType(column.type);
    if (!have) {
      if (column.nullable) {
        statements.push(`ALTER TABLE ${quoteIdent(def.name)} ADD COLUMN ${quoteIdent(column.name)} ${type}`);
      } else {
        problems.push(`new column '${column.name}' is required, but stored rows have no value for it: declare it with nullable()`);
      }
      continue;
    }
    if (have.dataType.toUpperCase() !== type) {
      problems.push(`column '${column.name}' is ${have.dataType} in ${file} but declared ${column.type} (${type}): ` +
        'add a new column instead of changing the type of an existing one');
    } else if (column.nullable && !have.nullable) {
      statements.push(`ALTER TABLE ${quoteIdent(def.name)} ALTER COLUMN ${quoteIdent(column.name)} DROP NOT NULL`);
    }
  }
  for (const have of existing) {
    if (!declared.has(have.name) && !have.nullable) {
      problems.push(`column '${have.name}' is stored NOT NULL in ${file} but no longer declared: ` +
        'declare it again (removing columns is not supported), or drop it by hand if its data is not needed');
    }
  }
  if (problems.length) {
    throw new Error(`table '${def.name}' in ${file} cannot be migrated to schemas/tables/: ${problems.join('; ')}`);
  }
  return statements.length ? [...statements, ...duckdbComments(def)] : [];
}
