import { COOLING_MODES, type CoolingDataset } from './coolingDataset.js';

export interface ErrorSummary {
  readonly rows: number;
  readonly mae: number;
  readonly rmse: number;
}

/** IT load as a share of design capacity: the regimes Gao's paper discusses separately are low/high load */
export const LOAD_REGIMES = [
  { name: 'it_load_lt_60pct', lo: 0, hi: 0.6 },
  { name: 'it_load_60_75pct', lo: 0.6, hi: 0.75 },
  { name: 'it_load_ge_75pct', lo: 0.75, hi: Number.POSITIVE_INFINITY },
] as const;

function summarise(errors: readonly number[]): ErrorSummary {
  const n = errors.length;
  if (n === 0) return { rows: 0, mae: 0, rmse: 0 };
  let a = 0;
  let s = 0;
  for (const e of errors) {
    a += Math.abs(e);
    s += e * e;
  }
  return { rows: n, mae: a / n, rmse: Math.sqrt(s / n) };
}

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * The metrics written to the manifest: MAE and RMSE of PUE against the metered value on the held-out
 * rows, sliced by hall, IT-load regime and cooling mode, plus two reference points measured on the same
 * rows: a constant predictor (training mean) and the meter-noise floor (metered vs true PUE).
 */
export function evaluatePue(data: CoolingDataset, rows: readonly number[], predicted: Float32Array, trainMeanPue: number): Record<string, unknown> {
  const errors = rows.map((r, i) => predicted[i] - data.pue[r]);
  const all = summarise(errors);
  const absSorted = errors.map(Math.abs).sort((a, b) => a - b);
  const byPlant: Record<string, ErrorSummary> = {};
  data.plants.forEach((p, k) => {
    const e = summarise(errors.filter((_, i) => data.plantIndex[rows[i]] === k));
    byPlant[p] = { rows: e.rows, mae: r6(e.mae), rmse: r6(e.rmse) };
  });
  const byLoad: Record<string, ErrorSummary> = {};
  for (const g of LOAD_REGIMES) {
    const e = summarise(errors.filter((_, i) => data.itFraction[rows[i]] >= g.lo && data.itFraction[rows[i]] < g.hi));
    byLoad[g.name] = { rows: e.rows, mae: r6(e.mae), rmse: r6(e.rmse) };
  }
  const byMode: Record<string, ErrorSummary> = {};
  COOLING_MODES.forEach((m, k) => {
    const e = summarise(errors.filter((_, i) => data.mode[rows[i]] === k));
    byMode[m] = { rows: e.rows, mae: r6(e.mae), rmse: r6(e.rmse) };
  });
  const constant = summarise(rows.map((r) => trainMeanPue - data.pue[r]));
  const noise = summarise(rows.map((r) => data.pue[r] - data.truePue[r]));
  const vsTrue = summarise(rows.map((r, i) => predicted[i] - data.truePue[r]));
  return {
    mae_pue: r6(all.mae),
    rmse_pue: r6(all.rmse),
    p95_abs_error_pue: r6(quantile(absSorted, 0.95)),
    max_abs_error_pue: r6(absSorted[absSorted.length - 1] ?? 0),
    mae_pue_vs_true: r6(vsTrue.mae),
    baseline_constant_mae_pue: r6(constant.mae),
    meter_noise_mae_pue: r6(noise.mae),
    test_rows: rows.length,
    mae_pue_by_plant: byPlant,
    mae_pue_by_it_load: byLoad,
    mae_pue_by_cooling_mode: byMode,
  };
}
