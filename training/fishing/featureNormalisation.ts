/** Per-feature (x − mean) / std, fitted on training rows only so held-out rows leak nothing into it. */
export interface Normalisation {
  readonly mean: number[];
  readonly std: number[];
}

/** a feature that never varies in training gets std 1: it then passes through centred, not blown up */
const MIN_STD = 1e-6;

export function fitNormalisation(rows: readonly Float32Array[]): Normalisation {
  if (rows.length === 0) throw new RangeError('fitNormalisation: no training rows; simulate more vessels or hours');
  const d = rows[0]!.length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) sq[j]! += (r[j]! - mean[j]!) ** 2;
  const std = sq.map((s) => {
    const v = Math.sqrt(s / rows.length);
    return v < MIN_STD ? 1 : v;
  });
  return { mean, std };
}

/** rows → one row-major Float32Array, normalised */
export function normaliseRows(rows: readonly Float32Array[], n: Normalisation): Float32Array {
  const d = n.mean.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new RangeError(`normaliseRows: row ${i} has ${r.length} features, the normalisation ${d}`);
    for (let j = 0; j < d; j++) out[i * d + j] = (r[j]! - n.mean[j]!) / n.std[j]!;
  });
  return out;
}
