import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Column } from '../../../schemas/tables/column.js';
import { rowSchema } from '../../../schemas/tables/rowSchema.js';
import { tableNames, warehouseTables, type Row, type TableName } from '../../../schemas/tables/tables.js';
import { classifierPrediction, deadLetter, lateEvent, regressorPrediction, vessel } from '../../../schemas/tables/testRows.js';
import { duckdbCreateTable } from '../../../schemas/tables/duckdbDdl.js';
import { DuckDbSink } from './duckdbSink.js';
import { TableWriter } from './tableWriter.js';

let dir: string;
const sinks: DuckDbSink[] = [];
async function open(path = ':memory:'): Promise<DuckDbSink> {
  const sink = await DuckDbSink.open({ path });
  sinks.push(sink);
  return sink;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-duckdb-'));
});
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function count(sink: DuckDbSink, table: string): Promise<number> {
  return (await sink.query(`SELECT count(*) FROM ${table}`)).rows[0][0] as number;
}

/** The row as the warehouse gives it back: nullable columns present as null. */
function normalised<T extends TableName>(table: T, row: Row<T>): Row<T> {
  return rowSchema(warehouseTables[table]).parse(row) as Row<T>;
}

describe('DuckDbSink', () => {
  it('lands a row in each of the four tables and reads it back unchanged', async () => {
    const sink = await open(join(dir, 'w.duckdb'));
    const samples: { [T in TableName]: Row<T>[] } = {
      predictions: [classifierPrediction(), regressorPrediction()],
      dead_letters: [deadLetter()],
      late_events: [lateEvent(), lateEvent({ id: 'le-2', watermark: null, reason: 'future', detail: null })],
      vessels: [vessel(), vessel({ mmsi: '1', shipname: null, imo: null, to_bow: null })],
    };
    for (const table of tableNames) {
      expect(await sink.write(table, samples[table] as never)).toEqual({ written: samples[table].length, deadLettered: 0 });
    }
    for (const table of tableNames) {
      const pk = warehouseTables[table].primaryKey;
      const expected = samples[table].map((r) => normalised(table, r as never) as Record<string, unknown>)
        .sort((a, b) => Buffer.compare(Buffer.from(String(a[pk])), Buffer.from(String(b[pk]))));
      expect(await sink.readTable(table)).toEqual(expected);
    }
  });

  it('is idempotent by row id: a replayed batch, overlapping or repeated within itself, adds nothing', async () => {
    const sink = await open();
    const batch = Array.from({ length: 50 }, (_, i) => classifierPrediction({ key: `v${i}` }));
    await sink.write('predictions', batch);
    const before = await sink.readTable('predictions');
    // a replay after a crash: same ids, a later processed_at, plus rows repeated within the batch
    const replay = [...batch.slice(25), ...batch.slice(40), ...Array.from({ length: 10 }, (_, i) => classifierPrediction({ key: `w${i}` }))]
      .map((r) => ({ ...r, processed_at: r.processed_at + 60_000 }));
    expect(await sink.write('predictions', replay)).toEqual({ written: replay.length, deadLettered: 0 });
    expect(await count(sink, 'predictions')).toBe(60);
    // the first batch took the straight append, the replay the ON CONFLICT merge
    expect(sink.stats).toEqual({ appended: 1, merged: 1 });
    // a batch repeating a row within itself, none of it stored yet
    const twice = classifierPrediction({ key: 'x' });
    await sink.write('predictions', [twice, classifierPrediction({ key: 'y' }), twice]);
    expect(await count(sink, 'predictions')).toBe(62);
    expect(sink.stats).toEqual({ appended: 1, merged: 2 });
    // and new rows go the fast way again
    await sink.write('predictions', [classifierPrediction({ key: 'z' })]);
    expect(sink.stats).toEqual({ appended: 2, merged: 2 });
    const after = await sink.readTable('predictions', { where: "key LIKE 'v%'" });
    expect(after).toEqual(before); // the stored rows were not touched
  });

  it('stays idempotent for batches spanning several appender chunks, duplicates across chunk boundaries', async () => {
    const sink = await open();
    const rows = Array.from({ length: 5000 }, (_, i) => classifierPrediction({ key: `v${i}` }));
    await sink.write('predictions', rows.slice(0, 3000));
    // overlaps the stored rows, and repeats row 10 in the third chunk of this batch
    await sink.write('predictions', [...rows.slice(2000), ...rows.slice(0, 100), rows[10]]);
    expect(await count(sink, 'predictions')).toBe(5000);
    const fresh = Array.from({ length: 4500 }, (_, i) => classifierPrediction({ key: `w${i}` }));
    await sink.write('predictions', [...fresh, fresh[1]]);
    expect(await count(sink, 'predictions')).toBe(9500);
    expect(sink.stats).toEqual({ appended: 1, merged: 2 });
  });

  it('commits all of an append made outside a transaction or none of it, over several chunks', async () => {
    // The sink appends rows without BEGIN/COMMIT: the appender's one flush must be the whole write's
    // transaction. A stored key in the last chunk must leave none of the earlier chunks behind.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const sql of duckdbCreateTable(warehouseTables.predictions)) await connection.run(sql);
      const writer = await TableWriter.create(connection, warehouseTables.predictions);
      const stored = async () => (await connection.runAndReadAll('SELECT count(*)::INTEGER FROM predictions')).getRows();
      const parsed = (rows: Row<'predictions'>[]) => rows.map((r) => normalised('predictions', r) as Record<string, unknown>);
      await writer.append(connection, parsed([classifierPrediction({ key: 'kept' })]));
      const batch = parsed([...Array.from({ length: 5000 }, (_, i) => classifierPrediction({ key: `v${i}` })), classifierPrediction({ key: 'kept' })]);
      await expect(writer.append(connection, batch)).rejects.toThrow(/[Dd]uplicate|constraint/);
      expect(await stored()).toEqual([[1]]);
      await writer.append(connection, batch.slice(0, 5000));
      expect(await stored()).toEqual([[5001]]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('gives the event loop a turn on every write, so back-to-back writes starve no timer, socket or query', async () => {
    const sink = await open();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      for (let b = 0; b < 20; b++) await sink.write('predictions', Array.from({ length: 100 }, (_, i) => classifierPrediction({ key: `v${b}`, pane_index: i })));
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('leaves nothing of a failed fast-path append for a garbage collection to flush into a later transaction', async () => {
    // An appender whose flush failed still buffers its rows, and its finalizer flushes them into
    // whatever transaction the connection has open when it is collected. Collect all the time:
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const sink = await open();
    const rows = Array.from({ length: 6000 }, (_, i) => classifierPrediction({ key: `v${i}` }));
    const collector = setInterval(gc, 1);
    try {
      for (let b = 0; b < 6; b++) {
        // every batch after the first repeats 100 rows of the previous one: the fast path fails, the merge lands it
        await sink.write('predictions', rows.slice(Math.max(0, b * 1000 - 100), (b + 1) * 1000));
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      clearInterval(collector);
    }
    expect(sink.stats).toEqual({ appended: 1, merged: 5 });
    expect(await count(sink, 'predictions')).toBe(6000);
  });

  it('keeps the newest vessel report whatever order reports and replays arrive in', async () => {
    const sink = await open();
    const t = Date.UTC(2024, 4, 1);
    await sink.write('vessels', [vessel({ shipname: 'B', updated_at: t + 2 }), vessel({ shipname: 'A', updated_at: t + 1 })]);
    expect((await sink.readTable('vessels'))[0].shipname).toBe('B');
    await sink.write('vessels', [vessel({ shipname: 'OLD', updated_at: t })]);
    expect((await sink.readTable('vessels'))[0].shipname).toBe('B');
    await sink.write('vessels', [vessel({ shipname: 'C', callsign: null, updated_at: t + 3 })]);
    expect(await sink.readTable('vessels')).toEqual([normalised('vessels', vessel({ shipname: 'C', callsign: null, updated_at: t + 3 }))]);
  });

  it('sends rows that fail the row schema to dead_letters with the column at fault, once, and lands the rest', async () => {
    const sink = await open();
    const bad = { ...classifierPrediction({ key: 'bad' }), pane_timing: 'on time', event_count: -1.5 } as unknown as Row<'predictions'>;
    const good = classifierPrediction({ key: 'good' });
    expect(await sink.write('predictions', [good, bad])).toEqual({ written: 1, deadLettered: 1 });
    expect(await sink.write('predictions', [bad])).toEqual({ written: 0, deadLettered: 1 });
    expect(await count(sink, 'predictions')).toBe(1);
    const dead = await sink.readTable('dead_letters');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ source: 'duckdb', topic: 'predictions', stream: 'vessels', reason: 'invalid_row', payload_encoding: 'utf8' });
    expect(dead[0].detail).toMatch(/pane_timing/);
    expect(dead[0].detail).toMatch(/event_count/);
    expect(JSON.parse(dead[0].payload).key).toBe('bad');
  });

  it('two sinks on one file in one process share the database instead of corrupting it', async () => {
    const file = join(dir, 'shared.duckdb');
    const a = await open(file);
    const b = await open(file);
    await a.write('predictions', [classifierPrediction({ key: 'a' })]);
    await b.write('predictions', [classifierPrediction({ key: 'b' })]);
    expect(await count(a, 'predictions')).toBe(2);
    await a.close();
    expect(await count(b, 'predictions')).toBe(2);
    await b.close();
    sinks.splice(0);
    expect(await count(await open(file), 'predictions')).toBe(2);
  });

  it('refuses a table it does not hold, naming the ones it does', async () => {
    const sink = await open();
    await expect(sink.write('prediction' as TableName, [])).rejects.toThrow(/no table 'prediction'.*predictions, dead_letters/);
  });

  it('keeps resolved writes across close and reopen, and across kill -9 of the writing process', async () => {
    const file = join(dir, 'durable.duckdb');
    const sink = await open(file);
    await sink.write('predictions', [classifierPrediction()]);
    await sink.close();
    sinks.splice(0);
    const reopened = await open(file);
    expect(await count(reopened, 'predictions')).toBe(1);
    await reopened.close();
    sinks.splice(0);

    const killed = join(dir, 'killed.duckdb');
    const child = spawnSinkChild(['write', killed, '0']);
    await child.waitFor((lines) => lines.filter((l) => l.startsWith('written ')).length >= 5);
    child.process.kill('SIGKILL');
    await child.closed;
    const acknowledged = child.lines.filter((l) => l.startsWith('written ')).length;
    const after = await open(killed);
    const landed = await count(after, 'predictions');
    // every acknowledged batch is there, and batches are whole (100 rows each)
    expect(landed).toBeGreaterThanOrEqual(acknowledged * 100);
    expect(landed % 100).toBe(0);
  });

  it('lets a reader query while writes go on, seeing only whole committed batches', async () => {
    const sink = await open(join(dir, 'concurrent.duckdb'));
    const seen: number[] = [];
    let writing = true;
    const reading = (async () => {
      while (writing) seen.push(await count(sink, 'predictions'));
    })();
    for (let b = 0; b < 30; b++) {
      await sink.write('predictions', Array.from({ length: 500 }, (_, i) => classifierPrediction({ key: `v${b}`, pane_index: i })));
      // once a write resolved, a reader sees it
      expect(await count(sink, 'predictions')).toBeGreaterThanOrEqual((b + 1) * 500);
    }
    writing = false;
    await reading;
    expect(seen.length).toBeGreaterThan(5);
    for (const n of seen) expect(n % 500).toBe(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('names the process holding the file when another process has it open', async () => {
    const file = join(dir, 'held.duckdb');
    const child = spawnSinkChild(['hold', file]);
    await child.waitFor((lines) => lines.includes('ready'));
    await expect(DuckDbSink.open({ path: file })).rejects.toThrow(new RegExp(`open for writing in another process \\(PID ${child.process.pid}\\)`));
    child.process.kill('SIGKILL');
    await child.closed;
  });

  it('adds a column the schema gained to a warehouse file from an older release, keeping its rows', async () => {
    const file = join(dir, 'old.duckdb');
    const old = await DuckDBInstance.create(file);
    const c = await old.connect();
    // vessels as an earlier release might have created it: without `imo` and the dimension columns
    await c.run(`CREATE TABLE vessels (mmsi VARCHAR NOT NULL, shipname VARCHAR, shiptype BIGINT, callsign VARCHAR,
      updated_at TIMESTAMP NOT NULL, PRIMARY KEY (mmsi))`);
    await c.run(`INSERT INTO vessels VALUES ('9', 'OLD TIMER', 30, 'X', TIMESTAMP '2020-01-01 00:00:00')`);
    c.closeSync();
    old.closeSync();
    const sink = await open(file);
    await sink.write('vessels', [vessel()]);
    const rows = await sink.readTable('vessels');
    expect(rows.find((r) => r.mmsi === '9')).toMatchObject({ shipname: 'OLD TIMER', imo: null, to_bow: null, updated_at: Date.UTC(2020, 0, 1) });
    expect(rows.find((r) => r.mmsi === vessel().mmsi)).toEqual(normalised('vessels', vessel()));
  });

  it('refuses to open a warehouse whose column types conflict with the schema', async () => {
    const file = join(dir, 'conflict.duckdb');
    const old = await DuckDBInstance.create(file);
    const c = await old.connect();
    await c.run('CREATE TABLE vessels (mmsi BIGINT NOT NULL PRIMARY KEY, updated_at TIMESTAMP NOT NULL)');
    c.closeSync();
    old.closeSync();
    await expect(DuckDbSink.open({ path: file })).rejects.toThrow(/'mmsi' is BIGINT .*declared string/);
  });

  it('query returns plain values: numbers, ISO timestamps, JSON text', async () => {
    const sink = await open();
    await sink.write('predictions', [classifierPrediction()]);
    const result = await sink.query(`SELECT window_end, event_count, probabilities->>'$.trawlers' AS p, value FROM predictions`);
    expect(result.columns).toEqual(['window_end', 'event_count', 'p', 'value']);
    expect(result.rows).toEqual([['2024-05-01T11:00:00.000Z', 57, '0.81', null]]);
  });

  describe('types round-trip (property)', () => {
    const valueOf = (column: Column): fc.Arbitrary<unknown> => {
      if (column.values) return fc.constantFrom(...column.values);
      switch (column.type) {
        case 'string': return fc.string({ unit: 'grapheme', maxLength: 30 });
        case 'int64': return fc.maxSafeInteger();
        case 'float64': return fc.double({ noNaN: true, noDefaultInfinity: true });
        case 'bool': return fc.boolean();
        case 'timestamp': return fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });
        // JSON text cannot tell -0 from 0: compare with what JSON itself round-trips to
        case 'json': return fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
      }
    };
    for (const table of tableNames) {
      it(`${table}: any valid rows come back exactly as written`, async () => {
        const sink = await open();
        const def = warehouseTables[table];
        const rowArb = fc.record(Object.fromEntries(def.columns.map((c) => [c.name, c.nullable ? fc.option(valueOf(c), { nil: null }) : valueOf(c)])));
        let n = 0;
        await fc.assert(fc.asyncProperty(fc.uniqueArray(rowArb, { selector: (r) => r[def.primaryKey], minLength: 1, maxLength: 20 }), async (rows) => {
          const scope = `p${n++}-`;
          const written = rows.map((r) => ({ ...r, [def.primaryKey]: scope + String(r[def.primaryKey]) }));
          await sink.write(table, written as never);
          const back = await sink.readTable(table, { where: `starts_with("${def.primaryKey}", '${scope}')` });
          const key = (r: Record<string, unknown>) => String(r[def.primaryKey]);
          // DuckDB orders VARCHAR by UTF-8 bytes (code points), not by JS's UTF-16 units
          const expected = [...written].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));
          expect(back.map(key)).toEqual(expected.map(key));
          expect(back).toEqual(expected);
        }), { numRuns: 40 });
      });
    }
  });
});

function spawnSinkChild(args: string[]) {
  const script = fileURLToPath(new URL('./fixtures/sinkChild.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const closed = new Promise<void>((resolve) => child.on('close', () => {
    for (const w of waiters) w();
    resolve();
  }));
  const waitFor = (done: (lines: string[]) => boolean) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sink child timed out; stderr: ${stderr}`)), 60_000);
    const check = () => {
      if (done(lines)) { clearTimeout(timer); waiters.delete(check); resolve(); }
      else if (child.exitCode !== null || child.signalCode !== null) { clearTimeout(timer); waiters.delete(check); reject(new Error(`sink child exited: ${stderr}`)); }
    };
    waiters.add(check);
    check();
  });
  return { process: child, lines, waitFor, closed };
}
