import { featureHash, type FeatureSpec } from '../featureSpec.js';

/**
 * The fishing-track feature set: one vector per window of a vessel's positions. The layout follows
 * GFW's published per-point features (vessel-classification `ModelFeatures.scala`) summarised over the
 * window, plus the vessel-scoring model's speed/course statistics over 0.5–24 h horizons.
 * Change any name, order or parameter → bump `version`; the hash then refuses models trained before.
 */
export const FISHING_FEATURE_PARAMS = {
  /** points closer than this to the last kept point are dropped (GFW thins to ≤ 1 point per 5 min) */
  thin_min_interval_s: 300,
  /** sub-window horizons for speed/course statistics, hours (GFW vessel-scoring) */
  horizons_h: [0.5, 1, 3, 6, 12, 24],
  /** implied speed above this is a position outlier, not motion; capped, knots */
  implied_speed_cap_kn: 60,
  /** vessel-scoring's capped mean speed: min(speed, cap) / cap */
  speed_cap_kn: 17,
  /** bounds of the speed bands whose shares are features, knots */
  speed_bands_kn: [1, 5, 10, 14],
  /** below this a vessel counts as slow (towing, hauling, setting, drifting), knots */
  slow_speed_kn: 5,
  /** local solar hours counted as day: [from, to) */
  day_hours: [6, 18],
  /** the span the coverage features are relative to, hours */
  window_h: 24,
} as const;

const P = FISHING_FEATURE_PARAMS;
const horizonName = (h: number): string => `h${String(h).replace('.', 'p')}`;

export const HORIZON_FEATURES = ['speed_std_log', 'course_std', 'straightness', 'speed_mean_std_log', 'coverage'] as const;

export const FISHING_FEATURE_NAMES: readonly string[] = [
  'n_points_log', 'n_thinned_log', 'span_frac', 'speed_na_frac', 'course_na_frac',
  'dt_log_mean', 'dt_log_std', 'dt_log_max',
  'dist_log_mean', 'dist_log_std',
  'speed_log_mean', 'speed_log_std', 'speed_log_q10', 'speed_log_q25', 'speed_log_q50', 'speed_log_q75', 'speed_log_q90',
  'speed_capped_mean',
  'speed_frac_lt1', 'speed_frac_1_5', 'speed_frac_5_10', 'speed_frac_10_14', 'speed_frac_ge14',
  'implied_log_mean', 'implied_log_std', 'implied_log_q10', 'implied_log_q50', 'implied_log_q90',
  'course_change_mean', 'course_change_std', 'course_change_q50', 'course_change_q90',
  'turn_angle_mean', 'turn_angle_std', 'turn_angle_q50', 'turn_angle_q90',
  'course_circ_std',
  'path_km_log', 'gyration_km_log', 'straightness',
  'slow_tod_cos', 'slow_tod_sin', 'fast_tod_cos', 'fast_tod_sin',
  'day_speed_log_mean', 'night_speed_log_mean',
  ...P.horizons_h.flatMap((h) => HORIZON_FEATURES.map((f) => `${horizonName(h)}_${f}`)),
];

export const fishingFeatureSpec: FeatureSpec = {
  name: 'fishing-track',
  version: 1,
  features: FISHING_FEATURE_NAMES,
  params: FISHING_FEATURE_PARAMS,
};

export const fishingFeatureHash: string = featureHash(fishingFeatureSpec);
