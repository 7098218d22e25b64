import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByVessel } from './vesselSplit.js';
import { windowRows } from './windowedDataset.js';
import { planFleet, spanOf } from '../../shared/simulation/vessels/fleet.js';

describe('splitByVessel', () => {
  it('puts every vessel on exactly one side, stratified by label, the same way every time', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 300 }), fc.integer(), (labels, seed) => {
      const vessels = labels.map((label, id) => ({ id, label }));
      const s = splitByVessel(vessels, { validation: 0.1, test: 0.2 }, seed);
      for (const id of s.test) expect(s.train.has(id) || s.validation.has(id)).toBe(false);
      for (const id of s.validation) expect(s.train.has(id)).toBe(false);
      expect(s.train.size + s.validation.size + s.test.size).toBe(vessels.length);
      for (const label of new Set(labels)) {
        const n = labels.filter((l) => l === label).length;
        const inTest = vessels.filter((v) => v.label === label && s.test.has(v.id)).length;
        expect(inTest).toBe(Math.round(n * 0.2));
      }
      expect(splitByVessel(vessels, { validation: 0.1, test: 0.2 }, seed)).toEqual(s);
    }), { numRuns: 100 });
  });

  it('keeps all windows of a held-out vessel out of training', () => {
    const vessels = planFleet({ seed: 'split-spec', vessels: 12, reporting: 'sparse' });
    const rows = windowRows(vessels, spanOf({ hours: 72 }), 24 * 3_600_000);
    const s = splitByVessel(vessels.map((v, id) => ({ id, label: v.gear })), { validation: 0, test: 0.25 }, 1);
    const trainMmsi = new Set(rows.filter((r) => s.train.has(r.vessel)).map((r) => r.mmsi));
    const testMmsi = new Set(rows.filter((r) => s.test.has(r.vessel)).map((r) => r.mmsi));
    expect(testMmsi.size).toBe(4);
    expect(rows.filter((r) => s.test.has(r.vessel)).length).toBeGreaterThanOrEqual(8); // several windows per held-out vessel
    for (const m of testMmsi) expect(trainMmsi.has(m)).toBe(false);
  });

  it('rejects fractions that leave nothing to train on', () => {
    expect(() => splitByVessel([{ id: 0, label: 'a' }], { validation: 0.5, test: 0.5 }, 1)).toThrow(/sum below 1/);
  });
});
