import { describe, expect, expectTypeOf, it } from 'vitest';
import type { JsonValue } from './column.js';
import type { PredictionRow } from './predictions.js';
import type { VesselRow } from './vessels.js';
import { nullable, required } from './column.js';
import { defineTable, type TableDef } from './tableDef.js';
import { tableDef, tableNames, warehouseTables } from './tables.js';

describe('warehouse tables', () => {
  it('registers each table under its own name', () => {
    expect(tableNames).toEqual(['predictions', 'dead_letters', 'late_events', 'vessels']);
    for (const name of tableNames) expect(warehouseTables[name].name).toBe(name);
    expect(() => tableDef('prediction')).toThrow(/unknown warehouse table 'prediction'.*predictions, dead_letters/);
  });

  it('predictions holds both a classifier result and a regression result', () => {
    const columns = new Map(warehouseTables.predictions.columns.map((c) => [c.name, c]));
    expect(columns.get('label')).toMatchObject({ type: 'string', nullable: true });
    expect(columns.get('probabilities')).toMatchObject({ type: 'json', nullable: true });
    expect(columns.get('value')).toMatchObject({ type: 'float64', nullable: true });
  });
});

describe('row types derived from the declarations', () => {
  it('type each column as its JS representation; nullable columns optional', () => {
    expectTypeOf<PredictionRow['pane_timing']>().toEqualTypeOf<'EARLY' | 'ON_TIME' | 'LATE'>();
    expectTypeOf<PredictionRow['window_end']>().toEqualTypeOf<number>();
    expectTypeOf<PredictionRow['is_final']>().toEqualTypeOf<boolean>();
    expectTypeOf<PredictionRow['label']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<PredictionRow['probabilities']>().toEqualTypeOf<JsonValue | null | undefined>();
    expectTypeOf<VesselRow>().toMatchTypeOf<{ mmsi: string; updated_at: number }>();
    // a row missing a required column does not type-check
    expectTypeOf<{ mmsi: string }>().not.toMatchTypeOf<VesselRow>();
  });
});

describe('defineTable', () => {
  const base: TableDef = {
    name: 't', description: 'a table', primaryKey: 'id', onConflict: { kind: 'ignore' },
    columns: [required('id', 'string', 'the id'), nullable('n', 'int64', 'a number')],
  };

  it('accepts a sound declaration', () => {
    expect(defineTable(base).columns).toHaveLength(2);
  });

  it.each([
    ['a duplicate column', { columns: [...base.columns, required('id', 'string', 'again')] }, /'id' is declared twice/],
    ['a nullable primary key', { primaryKey: 'n' }, /primary key 'n' is nullable/],
    ['a missing primary key', { primaryKey: 'nope' }, /primary key 'nope' is not a column/],
    ['an undescribed column', { columns: [required('id', 'string', ' ')] }, /'id' has no description/],
    ['a camelCase column', { columns: [required('id', 'string', 'x'), required('eventTime', 'timestamp', 'x')] }, /'eventTime' is not lower snake case/],
    ['partitioning on a non-timestamp', { partitioning: { column: 'n', granularity: 'DAY' } }, /partitioning column 'n'/],
    ['five clustering columns', { clustering: ['id', 'n', 'id', 'n', 'id'] }, /at most 4/],
    ['values on a number column', { columns: [required('id', 'string', 'x'), required('n', 'int64', 'x', { values: ['1'] })] }, /lists values but is int64/],
    ['an unknown version column', { onConflict: { kind: 'latest', versionColumn: 'ts' } }, /versionColumn 'ts'/],
  ])('refuses %s, naming the table and the fix', (_what, change, message) => {
    expect(() => defineTable({ ...base, ...change } as TableDef)).toThrow(message);
    expect(() => defineTable({ ...base, ...change } as TableDef)).toThrow(/table 't' \(schemas\/tables\)/);
  });
});
