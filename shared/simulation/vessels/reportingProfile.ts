import type { Random } from '../random.js';

/**
 * How a vessel's AIS positions reach us. Every figure here is a default that `simulateFleet` accepts
 * overrides for; the README lists where each comes from.
 */
export const REPORTING_REGIMES = ['terrestrial', 'mixed', 'satellite', 'sparse'] as const;
/**
 * - `terrestrial`: in range of shore stations: nearly every transmission received
 * - `satellite`: only satellite AIS: a few fixes per satellite pass, passes minutes to hours apart
 * - `mixed`: alternates between the two (a vessel moving in and out of shore-station range)
 * - `sparse`: about one fix an hour, as in down-sampled archives or low-rate commercial feeds
 */
export type ReportingRegime = (typeof REPORTING_REGIMES)[number];
export type AisClass = 'A' | 'B';
export type TimestampFormat = 'iso' | 'unix';

export interface ReportingOptions {
  /** weights of the regimes across the fleet (normalised); default terrestrial .25, mixed .4, satellite .25, sparse .1 */
  readonly regimes?: Partial<Record<ReportingRegime, number>>;
  /** share of vessels with class B transponders (30 s reports), default 0.25 */
  readonly classBShare?: number;
  /** per-vessel GPS noise standard deviation is drawn in this range, metres; default [3, 12] */
  readonly gpsNoiseM?: readonly [number, number];
  /** probability a fix is a position outlier (a jump of 0.5–20 km), default 0.0005 */
  readonly outlierRate?: number;
  /** per-vessel probability a terrestrial fix is delivered twice (two shore stations), drawn in this range; default [0.02, 0.15] */
  readonly duplicateRate?: readonly [number, number];
  /** probability a terrestrial fix is held back 10 s – 10 min (network buffering), default 0.01 */
  readonly lateRate?: number;
  /** share of vessels whose transponder often sends "not available" speed/course, default 0.1 */
  readonly faultyVesselShare?: number;
  /** timestamp form devices publish: ISO 8601 text, unix seconds, or a per-vessel mix; default `iso` */
  readonly timestampFormat?: TimestampFormat | 'mixed';
}

export interface ReportingProfile {
  readonly regime: ReportingRegime;
  readonly aisClass: AisClass;
  readonly timestampFormat: TimestampFormat;
  /** probability a transmission is received while in shore-station range */
  readonly terrestrialRx: number;
  /** mean gap between satellite passes, minutes */
  readonly satelliteGapMeanMin: number;
  /** probability a transmission is detected while a satellite is overhead */
  readonly satelliteDetect: number;
  readonly gpsNoiseM: number;
  readonly outlierRate: number;
  readonly duplicateRate: number;
  readonly lateRate: number;
  /** probability a fix has speed / course / heading "not available" */
  readonly speedNaRate: number;
  readonly courseNaRate: number;
  readonly headingNaRate: number;
}

export const DEFAULT_REGIME_WEIGHTS: Readonly<Record<ReportingRegime, number>> = {
  terrestrial: 0.25,
  mixed: 0.4,
  satellite: 0.25,
  sparse: 0.1,
};

/** options → fully specified defaults */
export function reportingDefaults(opts: ReportingRegime | ReportingOptions | undefined): Required<ReportingOptions> {
  const o: ReportingOptions = typeof opts === 'string' ? { regimes: { [opts]: 1 } } : (opts ?? {});
  return {
    regimes: o.regimes ?? DEFAULT_REGIME_WEIGHTS,
    classBShare: o.classBShare ?? 0.25,
    gpsNoiseM: o.gpsNoiseM ?? [3, 12],
    outlierRate: o.outlierRate ?? 0.0005,
    duplicateRate: o.duplicateRate ?? [0.02, 0.15],
    lateRate: o.lateRate ?? 0.01,
    faultyVesselShare: o.faultyVesselShare ?? 0.1,
    timestampFormat: o.timestampFormat ?? 'iso',
  };
}

export function drawReportingProfile(rng: Random, o: Required<ReportingOptions>): ReportingProfile {
  const regime = pickWeighted(rng, o.regimes);
  const aisClass: AisClass = rng.chance(o.classBShare) ? 'B' : 'A';
  const faulty = rng.chance(o.faultyVesselShare);
  const timestampFormat: TimestampFormat = o.timestampFormat === 'mixed' ? rng.pick(['iso', 'unix'] as const) : o.timestampFormat;
  return {
    regime,
    aisClass,
    timestampFormat,
    terrestrialRx: rng.uniform(0.6, 0.98),
    satelliteGapMeanMin: rng.uniform(30, 180),
    // class B transmits at lower power and is detected less often from orbit
    satelliteDetect: rng.uniform(0.03, 0.2) * (aisClass === 'B' ? 0.5 : 1),
    gpsNoiseM: rng.uniform(o.gpsNoiseM[0], o.gpsNoiseM[1]),
    outlierRate: o.outlierRate,
    duplicateRate: rng.uniform(o.duplicateRate[0], o.duplicateRate[1]),
    lateRate: o.lateRate,
    speedNaRate: faulty ? rng.uniform(0.05, 0.5) : 0.001,
    courseNaRate: faulty ? rng.uniform(0.05, 0.5) : 0.002,
    headingNaRate: aisClass === 'B' || rng.chance(0.3) ? 1 : 0.01,
  };
}

function pickWeighted<K extends string>(rng: Random, weights: Partial<Record<K, number>>): K {
  const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0);
  if (entries.length === 0) throw new RangeError('reporting.regimes: give at least one regime a positive weight, e.g. { mixed: 1 }');
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let u = rng.next() * total;
  for (const [k, w] of entries) {
    u -= w;
    if (u < 0) return k;
  }
  return entries[entries.length - 1]![0];
}
