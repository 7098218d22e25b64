import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullable, required } from './column.js';
import { duckdbCreateTable, duckdbMigration, duckdbType, type DuckdbColumnInfo } from './duckdbDdl.js';
import { defineTable, type TableDef } from './tableDef.js';
import { tableNames, warehouseTables } from './tables.js';

let instance: DuckDBInstance;
let db: DuckDBConnection;
beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});
afterEach(() => {
  db.closeSync();
  instance.closeSync();
});

async function columnsOf(table: string): Promise<(DuckdbColumnInfo & { comment: string | null })[]> {
  const reader = await db.runAndReadAll(
    `SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`);
  return reader.getRowObjects().map((r) => ({
    name: String(r.column_name), dataType: String(r.data_type), nullable: Boolean(r.is_nullable),
    comment: r.comment === null ? null : String(r.comment),
  }));
}

describe('duckdbCreateTable', () => {
  it.each(tableNames)('%s: the generated DDL runs, twice, and creates exactly the declared columns with their descriptions', async (name) => {
    const def = warehouseTables[name];
    for (let i = 0; i < 2; i++) for (const sql of duckdbCreateTable(def)) await db.run(sql);
    const columns = await columnsOf(name);
    expect(columns).toEqual(def.columns.map((c) => ({
      name: c.name, dataType: duckdbType(c.type), nullable: c.nullable, comment: c.description,
    })));
    const table = await db.runAndReadAll(`SELECT comment FROM duckdb_tables() WHERE table_name = '${name}'`);
    expect(table.getRows()[0][0]).toBe(def.description);
  });

  it('enforces the primary key and NOT NULL', async () => {
    for (const sql of duckdbCreateTable(warehouseTables.vessels)) await db.run(sql);
    await db.run(`INSERT INTO vessels (mmsi, updated_at) VALUES ('1', TIMESTAMP '2024-05-01 10:00:00')`);
    await expect(db.run(`INSERT INTO vessels (mmsi, updated_at) VALUES ('1', TIMESTAMP '2024-05-01 11:00:00')`))
      .rejects.toThrow(/duplicate key|PRIMARY KEY|constraint/i);
    await expect(db.run(`INSERT INTO vessels (mmsi) VALUES ('2')`)).rejects.toThrow(/NOT NULL/i);
  });

  it('stores JSON columns as DuckDB JSON, so json functions work on them', async () => {
    for (const sql of duckdbCreateTable(warehouseTables.late_events)) await db.run(sql);
    await db.run(`INSERT INTO late_events (id, stream, key, event_time, reason, payload, received_at)
      VALUES ('a', 's', 'k', TIMESTAMP '2024-05-01 10:00:00', 'late', '{"lat": 47.5}', TIMESTAMP '2024-05-01 10:00:00')`);
    const r = await db.runAndReadAll(`SELECT payload->>'$.lat' FROM late_events`);
    expect(r.getRows()[0][0]).toBe('47.5');
  });
});

describe('duckdbMigration', () => {
  const v1 = defineTable({
    name: 'things', description: 'things',
    columns: [required('id', 'string', 'id'), required('n', 'int64', 'n')],
    primaryKey: 'id', onConflict: { kind: 'ignore' },
  });

  it('adds a new nullable column to a table that already holds rows, keeping them', async () => {
    for (const sql of duckdbCreateTable(v1)) await db.run(sql);
    await db.run(`INSERT INTO things VALUES ('a', 1)`);
    const v2 = defineTable({ ...v1, columns: [...v1.columns, nullable('note', 'string', 'a note')] });
    const statements = duckdbMigration(v2, await columnsOf('things'));
    expect(statements[0]).toMatch(/ADD COLUMN "note" VARCHAR/);
    for (const sql of statements) await db.run(sql);
    expect(duckdbMigration(v2, await columnsOf('things'))).toEqual([]);
    const r = await db.runAndReadAll('SELECT id, n, note FROM things');
    expect(r.getRows()).toEqual([['a', 1n, null]]);
  });

  it('refuses a type change and a new required column, naming column and fix', async () => {
    for (const sql of duckdbCreateTable(v1)) await db.run(sql);
    const retyped = defineTable({ ...v1, columns: [v1.columns[0], required('n', 'float64', 'n')] });
    expect(() => duckdbMigration(retyped, [
      { name: 'id', dataType: 'VARCHAR', nullable: false }, { name: 'n', dataType: 'BIGINT', nullable: false },
    ], 'data/x.duckdb')).toThrow(/things.*data\/x\.duckdb.*'n' is BIGINT .* declared float64.*add a new column/);
    const grown = defineTable({ ...v1, columns: [...v1.columns, required('m', 'int64', 'm')] });
    const stored = await columnsOf('things');
    expect(() => duckdbMigration(grown, stored)).toThrow(/'m' is required.*nullable\(\)/);
  });

  it('relaxes NOT NULL when a column becomes nullable, and refuses to forget a stored NOT NULL column', async () => {
    for (const sql of duckdbCreateTable(v1)) await db.run(sql);
    const relaxed = defineTable({ ...v1, columns: [v1.columns[0], nullable('n', 'int64', 'n')] });
    const statements = duckdbMigration(relaxed, await columnsOf('things'));
    for (const sql of statements) await db.run(sql);
    await db.run(`INSERT INTO things (id) VALUES ('b')`);
    const forgot = defineTable({ ...v1, columns: [v1.columns[0]] } as TableDef);
    expect(() => duckdbMigration(forgot, [
      { name: 'id', dataType: 'VARCHAR', nullable: false }, { name: 'n', dataType: 'BIGINT', nullable: false },
    ])).toThrow(/'n' is stored NOT NULL.*no longer declared/);
  });
});
