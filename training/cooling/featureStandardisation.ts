/** Per-feature mean and standard deviation of a row-major matrix, for the manifest's `normalisation`. */
export interface Standardisation {
  readonly mean: number[];
  readonly std: number[];
}

/**
 * Statistics over the given rows only: the training rows, so nothing about held-out days leaks into
 * the inputs the network sees. A constant feature gets std 1 (centred, not divided by zero).
 */
export function standardisationOf(x: Float32Array, width: number, rows: readonly number[]): Standardisation {
  if (rows.length === 0) throw new RangeError('standardisationOf: no rows; the training split is empty');
  const sum = new Float64Array(width);
  const sq = new Float64Array(width);
  for (const r of rows) {
    const o = r * width;
    for (let j = 0; j < width; j++) sum[j] += x[o + j];
  }
  const mean = Array.from(sum, (s) => s / rows.length);
  for (const r of rows) {
    const o = r * width;
    for (let j = 0; j < width; j++) {
      const d = x[o + j] - mean[j];
      sq[j] += d * d;
    }
  }
  const std = Array.from(sq, (s) => {
    const sd = Math.sqrt(s / rows.length);
    return sd > 1e-9 ? sd : 1;
  });
  return { mean, std };
}

/** Standardised copy of the chosen rows, row-major. */
export function standardiseRows(x: Float32Array, width: number, rows: readonly number[], s: Standardisation): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = (x[r * width + j] - s.mean[j]) / s.std[j];
  });
  return out;
}
