import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column } from './column.js';
import { describeRowIssues, rowSchema } from './rowSchema.js';
import { tableNames, warehouseTables } from './tables.js';
import { classifierPrediction, deadLetter, lateEvent, regressorPrediction, vessel } from './testRows.js';

const { predictions, vessels, late_events } = warehouseTables;

describe('rowSchema', () => {
  it('accepts a classifier row and a regressor row in the same predictions table', () => {
    const classifier = rowSchema(predictions).parse(classifierPrediction());
    expect(classifier.label).toBe('trawlers');
    expect(classifier.value).toBeNull();
    const regressor = rowSchema(predictions).parse(regressorPrediction());
    expect(regressor.value).toBe(1.1234);
    expect(regressor.label).toBeNull();
    expect(regressor.probabilities).toBeNull();
  });

  it('accepts the sample row of every other table', () => {
    expect(rowSchema(warehouseTables.dead_letters).safeParse(deadLetter()).success).toBe(true);
    expect(rowSchema(late_events).safeParse(lateEvent()).success).toBe(true);
    expect(rowSchema(vessels).safeParse(vessel()).success).toBe(true);
    expect(rowSchema(vessels).parse({ mmsi: '1', updated_at: 0 })).toMatchObject({ mmsi: '1', shipname: null, imo: null });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a missing required column', { event_count: undefined }, /event_count/],
    ['a string where an int64 belongs', { event_count: '57' }, /event_count/],
    ['a fractional int64', { pane_index: 1.5 }, /pane_index/],
    ['an int64 beyond 2^53', { event_count: 2 ** 60 }, /event_count/],
    ['NaN in a float64', { value: Number.NaN }, /value/],
    ['Infinity in a float64', { value: Number.POSITIVE_INFINITY }, /value/],
    ['a Date object as a timestamp', { window_start: new Date() }, /window_start/],
    ['a timestamp beyond year 9999', { window_end: Date.UTC(10000, 0, 1) }, /window_end/],
    ['a fractional epoch-ms timestamp', { processed_at: 1.5 }, /processed_at/],
    ['an unknown pane timing', { pane_timing: 'on_time' }, /pane_timing/],
    ['an unknown model role', { model_role: 'canary' }, /model_role/],
    ['a non-JSON value in a json column', { probabilities: { a: () => 1 } }, /probabilities/],
    ['null in a required column', { model: null }, /model/],
    ['an undeclared column', { confidence: 0.9 }, /confidence|Unrecognized/],
  ];
  it.each(bad)('rejects %s and names the column', (_what, change, column) => {
    const row: Record<string, unknown> = { ...classifierPrediction(), ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete row[k];
    const result = rowSchema(predictions).safeParse(row);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeRowIssues(result.error)).toMatch(column);
  });

  const valueOf = (column: Column): fc.Arbitrary<unknown> => {
    if (column.values) return fc.constantFrom(...column.values);
    switch (column.type) {
      case 'string': return fc.string();
      case 'int64': return fc.maxSafeInteger();
      case 'float64': return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'bool': return fc.boolean();
      case 'timestamp': return fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });
      case 'json': return fc.jsonValue().filter((v) => v !== null);
    }
  };
  // a value of another logical type that the column must refuse
  const wrongValueOf = (column: Column): fc.Arbitrary<unknown> => {
    switch (column.type) {
      case 'string': return fc.oneof(fc.integer(), fc.boolean(), fc.constant({}));
      case 'int64': case 'timestamp': return fc.oneof(fc.string(), fc.double({ min: 0.1, max: 0.9 }), fc.boolean());
      case 'float64': return fc.oneof(fc.string(), fc.constant(Number.NaN), fc.boolean());
      case 'bool': return fc.oneof(fc.string(), fc.integer());
      case 'json': return fc.oneof(fc.constant({ y: Symbol('s') }), fc.constant(Number.NaN), fc.constant(() => 1));
    }
  };

  for (const name of tableNames) {
    const def = warehouseTables[name];
    const rowArb = fc.record(Object.fromEntries(def.columns.map((c) => [c.name, c.nullable ? fc.option(valueOf(c), { nil: null }) : valueOf(c)])));

    it(`${name}: every row of declared types parses, and the parse keeps every value`, () => {
      fc.assert(fc.property(rowArb, (row) => {
        const parsed = rowSchema(def).parse(row);
        expect(parsed).toEqual(row);
      }), { numRuns: 200 });
    });

    it(`${name}: a row with one column of the wrong type is refused, naming that column`, () => {
      fc.assert(fc.property(rowArb, fc.nat({ max: def.columns.length - 1 }).chain((i) =>
        wrongValueOf(def.columns[i]).map((v) => [def.columns[i].name, v] as const)), (row, [column, value]) => {
        const result = rowSchema(def).safeParse({ ...row, [column]: value });
        expect(result.success).toBe(false);
        if (!result.success) expect(result.error.issues.some((i) => i.path[0] === column)).toBe(true);
      }), { numRuns: 200 });
    });
  }
});
