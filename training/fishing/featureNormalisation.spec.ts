import { describe, expect, it } from 'vitest';
import { fitNormalisation, normaliseRows } from './featureNormalisation.js';

describe('featureNormalisation', () => {
  it('fits mean/std on the rows given and maps them to zero mean, unit std', () => {
    const rows = [Float32Array.of(1, 10, 5), Float32Array.of(3, 30, 5)];
    const n = fitNormalisation(rows);
    expect(n.mean).toEqual([2, 20, 5]);
    expect(n.std).toEqual([1, 10, 1]); // the constant feature gets std 1, not a division by zero
    expect(Array.from(normaliseRows(rows, n))).toEqual([-1, -1, 0, 1, 1, 0]);
  });
  it('applies training statistics to other rows unchanged (no refit on held-out data)', () => {
    const n = fitNormalisation([Float32Array.of(0), Float32Array.of(2)]);
    expect(Array.from(normaliseRows([Float32Array.of(100)], n))).toEqual([99]);
  });
  it('names the problem for empty or mis-sized input', () => {
    expect(() => fitNormalisation([])).toThrow(/no training rows/);
    expect(() => normaliseRows([Float32Array.of(1, 2)], { mean: [0], std: [1] })).toThrow(/row 0 has 2 features/);
  });
});
