import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column } from './column.js';
import { rowCheck } from './rowCheck.js';
import { maxTimestampMs, minTimestampMs, rowSchema } from './rowSchema.js';
import { tableNames, warehouseTables } from './tables.js';
import { classifierPrediction, deadLetter, lateEvent, regressorPrediction, vessel } from './testRows.js';

/** The value of a declared type the column holds (nullable ones sometimes null or left out). */
function goodValue(column: Column): fc.Arbitrary<unknown> {
  if (column.values) return fc.constantFrom(...column.values);
  switch (column.type) {
    case 'string': return fc.string();
    case 'int64': return fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
    case 'float64': return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, Number.MAX_VALUE, Number.MIN_VALUE));
    case 'bool': return fc.boolean();
    case 'timestamp': return fc.oneof(fc.integer({ min: minTimestampMs, max: maxTimestampMs }), fc.constantFrom(minTimestampMs, maxTimestampMs, 0, -0));
    case 'json': return fc.jsonValue().filter((v) => v !== null);
  }
}

/** Anything a buggy writer might put in a column: other types, edge numbers, objects that are not JSON. */
const oddValues: readonly unknown[] = [undefined, null, '', -0, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  2 ** 53, -(2 ** 53), minTimestampMs - 1, maxTimestampMs + 1, 10n, true, 'EARLY', 'champion', [], {},
  new Date(0), Object.create(null) as object, { a: undefined }, { a: Number.NaN }, [1, () => 1], Symbol('s')];
const oddValue: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...oddValues), fc.string(), fc.integer(), fc.double(), fc.jsonValue());

/** Rows mostly of declared types, some columns odd, sometimes one left out. */
function rows(columns: readonly Column[]): fc.Arbitrary<Record<string, unknown>> {
  const values = fc.record(Object.fromEntries(columns.map((c) => [c.name, fc.oneof(
    { weight: 40, arbitrary: c.nullable ? fc.option(goodValue(c), { nil: null }) : goodValue(c) },
    { weight: 1, arbitrary: oddValue },
  )])));
  return fc.tuple(values, fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat({ max: columns.length - 1 }) })).map(([row, drop]) => {
    if (drop !== undefined) delete row[columns[drop]!.name];
    return row;
  });
}

/** zod's output and the compiled check's must be the same object shape, key order and values. */
function expectSameRow(got: Record<string, unknown>, want: Record<string, unknown>): void {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const k of Object.keys(want)) expect(Object.is(got[k], want[k]), k).toBe(true);
}

describe('rowCheck', () => {
  for (const name of tableNames) {
    const def = warehouseTables[name];
    const check = rowCheck(def);

    it(`${name}: accepts only rows zod accepts, returning exactly zod's row`, () => {
      const extra = fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('confidence', '__proto__', 'constructor', 'toString') });
      let accepted = 0;
      let refused = 0;
      fc.assert(fc.property(rows(def.columns), extra, (row, key) => {
        if (key !== undefined) Object.defineProperty(row, key, { value: 1, enumerable: true, configurable: true, writable: true });
        const fast = check(row);
        const zod = rowSchema(def).safeParse(row);
        if (fast !== undefined) {
          accepted++;
          expect(zod.success).toBe(true);
          if (zod.success) expectSameRow(fast, zod.data as Record<string, unknown>);
        } else if (!zod.success) refused++;
      }), { numRuns: 2000 });
      // both sides of the property were exercised
      expect(accepted).toBeGreaterThan(200);
      expect(refused).toBeGreaterThan(200);
    });

    it(`${name}: takes every well-typed row itself (zod is only asked about bad ones)`, () => {
      const good = fc.record(Object.fromEntries(def.columns.map((c) => [c.name, c.nullable ? fc.option(goodValue(c), { nil: null }) : goodValue(c)])));
      fc.assert(fc.property(good, (row) => {
        const fast = check(row);
        expect(fast).toBeDefined();
        expectSameRow(fast!, rowSchema(def).parse(row) as Record<string, unknown>);
      }), { numRuns: 300 });
    });
  }

  it('agrees with zod on every odd value in every column of a valid row', () => {
    const samples = [classifierPrediction(), regressorPrediction(), deadLetter(), lateEvent(), vessel()];
    for (const name of tableNames) {
      const def = warehouseTables[name];
      const base = samples.find((r) => rowSchema(def).safeParse(r).success)!;
      for (const column of def.columns) {
        for (const value of oddValues) {
          const row = { ...base, [column.name]: value };
          const fast = rowCheck(def)(row);
          const zod = rowSchema(def).safeParse(row);
          if (fast === undefined) continue;
          expect(zod.success, `${name}.${column.name} = ${typeof value === 'object' || typeof value === 'symbol' || typeof value === 'function' ? typeof value : String(value)}`).toBe(true);
          if (zod.success) expectSameRow(fast, zod.data as Record<string, unknown>);
        }
      }
    }
  });

  it('takes the sample rows, fills left-out nullable columns with null, and leaves class instances and extra columns to zod', () => {
    const { predictions, vessels } = warehouseTables;
    for (const [def, row] of [[predictions, classifierPrediction()], [predictions, regressorPrediction()], [warehouseTables.dead_letters, deadLetter()],
      [warehouseTables.late_events, lateEvent()], [vessels, vessel()]] as const) {
      expect(rowCheck(def)(row)).toEqual(rowSchema(def).parse(row));
    }
    expect(rowCheck(vessels)({ mmsi: '1', updated_at: 0 })).toMatchObject({ mmsi: '1', shipname: null, imo: null });
    expect(rowCheck(predictions)({ ...classifierPrediction(), confidence: 0.9 })).toBeUndefined();
    class Row { constructor(readonly row_id: string) {} }
    expect(rowCheck(predictions)(Object.assign(new Row('x'), classifierPrediction()))).toBeUndefined();
    expect(rowCheck(predictions)({ ...classifierPrediction(), probabilities: { a: Number.NaN } })).toBeUndefined();
  });
});
