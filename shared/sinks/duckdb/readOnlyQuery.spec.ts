import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toPlainValue } from './duckdbValues.js';
import { QueryRefusedError, readOnlyQuery, runReadOnly } from './readOnlyQuery.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;
/** what DuckDbSink.query returns for the same SQL: the reference */
async function plainQuery(sql: string) {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRows().map((row) => row.map(toPlainValue)) };
}
const count = async () => (await plainQuery('select count(*) from t')).rows[0]![0];

beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`create table t as select i::bigint as id, to_timestamp(i * 60) as at, i / 7 as x,
    {'k': i, 'tags': [i, i + 1]} as s, case when i % 3 = 0 then null else 'v' || i end as label from range(5000) r(i)`);
});
afterEach(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('runReadOnly', () => {
  it.each([
    ['SELECT', 'select * from t order by id'],
    ['WITH … SELECT', 'with w as (select id, x from t where id < 10) select sum(x), count(*) from w'],
    ['FROM-first', 'from t where id between 100 and 110'],
    ['VALUES', "values (1, 'a'), (2, 'b')"],
    ['DESCRIBE', 'describe t'],
    ['SHOW TABLES', 'show tables'],
    ['SUMMARIZE', 'summarize t'],
    ['PRAGMA table_info', "pragma table_info('t')"],
    ['EXPLAIN', 'explain select * from t'],
    ['table function', 'select * from duckdb_tables()'],
    ['several reads (the first one is the result)', 'select id from t where id < 3; select 1'],
    ['NaN and infinities', "select 'nan'::double, 'inf'::double, -'inf'::double, 170141183460469231731687303715884105727::hugeint"],
  ])('runs %s and returns what DuckDbSink.query would', async (_name, sql) => {
    const got = await runReadOnly(connection, sql);
    if (sql.startsWith('explain')) {
      expect(got.columns).toEqual((await plainQuery(sql)).columns);
      expect(got.rows.length).toBeGreaterThan(0);
    } else {
      expect(got).toEqual(await plainQuery(sql));
    }
  });

  it('streams a result of many chunks, every row in order', async () => {
    const cursor = await readOnlyQuery(connection, 'select id from t order by id');
    const chunks: number[] = [];
    const ids: unknown[] = [];
    try {
      for (let rows = await cursor.next(); rows; rows = await cursor.next()) {
        chunks.push(rows.length);
        ids.push(...rows.map((r) => r[0]));
      }
    } finally {
      await cursor.close();
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it.each([
    ['insert into t (id) values (-1)', 'INSERT'],
    ['update t set x = 0', 'UPDATE'],
    ['delete from t', 'DELETE'],
    ['create table u (a int)', 'CREATE'],
    ['create or replace table t as select 1 as id', 'CREATE'],
    ['drop table t', 'DROP'],
    ["copy t to '/tmp/driftline-readonly-spec.csv'", 'COPY'],
    ["attach '/tmp/driftline-readonly-spec.duckdb' as other", 'ATTACH'],
    ['set threads = 1', 'SET'],
    ['pragma threads = 1', 'SET'],
    ['pragma enable_profiling', 'PRAGMA'],
    ['checkpoint', 'CALL'],
    ["call pragma_table_info('t')", 'CALL'],
    ['begin transaction', 'TRANSACTION'],
    ['load json', 'LOAD'],
    ["export database '/tmp/driftline-readonly-spec'", 'EXPORT'],
    ['vacuum', 'VACUUM'],
  ])('refuses %s, naming %s, and changes nothing', async (sql, type) => {
    const before = await count();
    const err = await runReadOnly(connection, sql).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect(err!.message).toContain(`refused: the statement is ${type}, not a read`);
    expect(err!.message).toMatch(/stop driftline run \/ driftline worker/);
    expect(await count()).toBe(before);
    // no transaction left open on the connection
    expect((await runReadOnly(connection, 'select 42')).rows).toEqual([[42]]);
  });

  it('refuses a write hidden among reads before running any of them', async () => {
    const err = await runReadOnly(connection, 'select 1; delete from t; select 2').then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect(err!.message).toContain('refused: statement 2 of 3 is DELETE, not a read');
    expect(await count()).toBe(5000);
  });

  it('refuses EXPLAIN ANALYZE of a write: the read-only transaction stops it', async () => {
    const err = await runReadOnly(connection, 'explain analyze delete from t').then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect(err!.message).toMatch(/refused: the query tried to write/);
    expect(await count()).toBe(5000);
  });

  it("passes DuckDB's own errors through, and leaves the connection usable", async () => {
    await expect(runReadOnly(connection, 'select * from nowhere')).rejects.toThrow(/Catalog Error.*nowhere/);
    await expect(runReadOnly(connection, 'selec 1')).rejects.toThrow(/Parser Error/);
    // an error at run time, after the statement prepared fine
    await expect(runReadOnly(connection, "select cast('x' || id as integer) from t")).rejects.toThrow(/Conversion Error/);
    // a later statement's error fails the whole query, as it does in DuckDbSink.query
    await expect(runReadOnly(connection, 'select 1; select * from nowhere')).rejects.toThrow(/Catalog Error.*nowhere/);
    await expect(runReadOnly(connection, "select 1; select cast('x' || id as integer) from t")).rejects.toThrow(/Conversion Error/);
    await expect(runReadOnly(connection, ' ; ')).rejects.toThrow('no SQL statement in the query');
    expect((await runReadOnly(connection, 'select count(*) from t')).rows).toEqual([[5000]]);
  });
});
