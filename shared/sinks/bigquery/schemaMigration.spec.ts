import type { TableMetadata } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { bigqueryTableMetadata } from '../../../schemas/tables/bigquerySchema.js';
import { nullable, required, type Column } from '../../../schemas/tables/column.js';
import { defineTable, type TableDef } from '../../../schemas/tables/tableDef.js';
import { tableNames, warehouseTables } from '../../../schemas/tables/tables.js';
import { planTableMigration, SchemaChangeRefusedError } from './schemaMigration.js';

const base = defineTable({
  name: 'readings',
  description: 'test table',
  columns: [
    required('id', 'string', 'id'),
    required('at', 'timestamp', 'time'),
    nullable('value', 'float64', 'value'),
  ],
  primaryKey: 'id',
  onConflict: { kind: 'ignore' },
  partitioning: { column: 'at', granularity: 'DAY' },
  clustering: ['id'],
});

/** The test table with other columns (the same key, partitioning and clustering). */
function withColumns(columns: readonly Column[]): TableDef {
  return defineTable({ ...(base as TableDef), columns });
}

/** What tables.get answers for a table created from `def` (types in their legacy spelling). */
const stored = (def: TableDef = base): TableMetadata => bigqueryTableMetadata(def);

function refusal(fn: () => unknown): SchemaChangeRefusedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SchemaChangeRefusedError) return err;
    throw err;
  }
  throw new Error('expected a SchemaChangeRefusedError');
}

describe('planTableMigration', () => {
  it.each(tableNames)('%s as created: nothing to do', (name) => {
    const def = warehouseTables[name];
    expect(planTableMigration(def, bigqueryTableMetadata(def))).toEqual({ action: 'unchanged' });
  });

  it('tolerates the standard-SQL spellings and an emulator that keeps no descriptions', () => {
    const meta = stored();
    const fields = (meta.schema!.fields as { type: string; description?: string }[]).map((f) => ({
      ...f, type: f.type === 'FLOAT' ? 'FLOAT64' : f.type, description: undefined,
    }));
    expect(planTableMigration(base, { ...meta, schema: { fields }, description: undefined })).toEqual({ action: 'unchanged' });
  });

  it('adds a new NULLABLE column at the end, keeping every stored field in its order', () => {
    const grown = withColumns([...base.columns, nullable('unit', 'string', 'unit of value')]);
    const plan = planTableMigration(grown, stored(), 'p.d');
    expect(plan.action).toBe('update');
    if (plan.action !== 'update') return;
    expect(plan.changes).toEqual(["add column 'unit' STRING NULLABLE"]);
    expect((plan.metadata.schema!.fields as { name: string; mode: string }[]).map((f) => [f.name, f.mode])).toEqual([
      ['id', 'REQUIRED'], ['at', 'REQUIRED'], ['value', 'NULLABLE'], ['unit', 'NULLABLE'],
    ]);
    expect(plan.metadata.timePartitioning).toBeUndefined();
  });

  it('relaxes REQUIRED to NULLABLE in place', () => {
    const relaxed = withColumns([base.columns[0], nullable('at', 'timestamp', 'time'), base.columns[2]]);
    const plan = planTableMigration(relaxed, stored());
    expect(plan).toMatchObject({ action: 'update', changes: ["relax column 'at' to NULLABLE"] });
  });

  it('refuses a type change, naming table, column, both types and the fix', () => {
    const retyped = withColumns([base.columns[0], base.columns[1], nullable('value', 'string', 'value')]);
    const err = refusal(() => planTableMigration(retyped, stored(), 'test.ds'));
    expect(err.table).toBe('readings');
    expect(err.message).toContain("column 'value' is FLOAT NULLABLE in test.ds.readings but declared STRING NULLABLE");
    expect(err.message).toContain('cannot change a column\'s type in place. Fix: add a new column');
  });

  it('refuses a new REQUIRED column and a NULLABLE column made REQUIRED', () => {
    const err = refusal(() => planTableMigration(
      withColumns([base.columns[0], base.columns[1], required('value', 'float64', 'v'), required('unit', 'string', 'u')]), stored()));
    expect(err.problems).toHaveLength(2);
    expect(err.message).toContain("column 'value' is FLOAT NULLABLE");
    expect(err.message).toContain('declared FLOAT REQUIRED');
    expect(err.message).toContain("column 'unit' (STRING REQUIRED) is new");
    expect(err.message).toContain('Fix: declare it with nullable()');
  });

  it('refuses a column no longer declared instead of dropping it, with the DROP COLUMN the user may run', () => {
    const err = refusal(() => planTableMigration(withColumns([base.columns[0], base.columns[1]]), stored(), 'test.ds'));
    expect(err.message).toContain("column 'value' (FLOAT NULLABLE) is in test.ds.readings but no longer declared");
    expect(err.message).toContain('never drops a column');
    expect(err.message).toContain('ALTER TABLE `test.ds.readings` DROP COLUMN value');
  });

  it('refuses other partitioning, and re-clusters in place', () => {
    const { timePartitioning: _omit, ...unpartitioned } = stored();
    expect(refusal(() => planTableMigration(base, unpartitioned)).message).toContain('partitioning of');
    const plan = planTableMigration(base, { ...stored(), clustering: { fields: ['at'] } });
    expect(plan).toMatchObject({ action: 'update', changes: ['cluster by id'], metadata: { clustering: { fields: ['id'] } } });
  });
});
