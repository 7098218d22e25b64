import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleetPlant } from '../../shared/simulation/plant/fleet.js';
import { buildCoolingDataset } from './coolingDataset.js';
import { splitDays, utcDay, type SplitPart } from './daySplit.js';
import { standardisationOf } from './featureStandardisation.js';

describe('split by day', () => {
  it('puts every day in exactly one part, reproducibly, in the asked proportions', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 19000, max: 21000 }), { minLength: 10, maxLength: 400 }), fc.integer(), (days, seed) => {
      const parts = splitDays(days, { seed, testFraction: 0.2, validationFraction: 0.1 });
      const unique = new Set(days);
      expect(parts.size).toBe(unique.size);
      for (const d of unique) expect(['train', 'validation', 'test']).toContain(parts.get(d));
      const nTest = [...parts.values()].filter((p) => p === 'test').length;
      expect(nTest).toBe(Math.max(1, Math.round(unique.size * 0.2)));
      expect(splitDays([...days].reverse(), { seed, testFraction: 0.2, validationFraction: 0.1 })).toEqual(parts);
    }));
  });

  it('keeps whole days together: no day has rows in two parts (simulated fleet rows)', () => {
    const data = buildCoolingDataset([fleetPlant('hall-nordic'), fleetPlant('hall-tropical')], { seed: 5, days: 20 });
    const parts = splitDays(data.day, { seed: 5, testFraction: 0.25, validationFraction: 0.1 });
    const daysByPart = new Map<SplitPart, Set<number>>([['train', new Set()], ['validation', new Set()], ['test', new Set()]]);
    for (let i = 0; i < data.rows; i++) daysByPart.get(parts.get(data.day[i]) as SplitPart)?.add(data.day[i]);
    const [train, validation, test] = [...daysByPart.values()];
    for (const d of test) {
      expect(train.has(d)).toBe(false);
      expect(validation.has(d)).toBe(false);
    }
    for (const d of validation) expect(train.has(d)).toBe(false);
    expect(test.size).toBe(5);
    // a day holds 288 five-minute samples per hall, all in one part
    const rowsPerDay = new Map<number, number>();
    for (let i = 0; i < data.rows; i++) rowsPerDay.set(data.day[i], (rowsPerDay.get(data.day[i]) ?? 0) + 1);
    expect([...rowsPerDay.values()].every((n) => n === 2 * 288)).toBe(true);
    expect(utcDay(Date.parse('2025-01-01T23:59:59Z'))).toBe(utcDay(Date.parse('2025-01-01T00:00:00Z')));
  });

  it('computes normalisation statistics from the training rows only', () => {
    const x = Float32Array.from([1, 10, 3, 10, 100, 10, 200, 10]); // 4 rows × 2 features
    const s = standardisationOf(x, 2, [0, 1]);
    expect(s.mean).toEqual([2, 10]);
    expect(s.std[0]).toBeCloseTo(1, 9);
    // a constant feature is centred, not divided by zero
    expect(s.std[1]).toBe(1);
    // changing held-out rows changes nothing
    x[4] = -5e6;
    expect(standardisationOf(x, 2, [0, 1])).toEqual(s);
  });
});
