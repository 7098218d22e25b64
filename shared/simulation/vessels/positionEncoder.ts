import { EARTH_RADIUS_M, normaliseDeg, normaliseLon } from '../../geo/greatCircle.js';
import type { Random } from '../random.js';
import type { KinematicState } from './kinematics.js';
import type { ReportingProfile } from './reportingProfile.js';

/**
 * A position as devices publish it on `driftline/vessels/<mmsi>/position`: the *input* form of
 * `schemas/messages/vesselPosition.ts` (timestamp ISO 8601 text or unix seconds; "not available" as null).
 */
export interface SimulatedPosition {
  mmsi: string;
  timestamp: string | number;
  lat: number;
  lon: number;
  speed: number | null;
  course: number | null;
  heading: number | null;
}

const RAD = Math.PI / 180;
/** AIS encodes lat/lon in 1/10000 minute */
const AIS_POS_RESOLUTION = 600_000;

/** Turn the true state into what the transponder reports: GPS noise, rounding, "not available" values. */
export function encodePosition(mmsi: string, s: KinematicState, p: ReportingProfile, rng: Random): SimulatedPosition {
  let north = rng.normal(0, p.gpsNoiseM);
  let east = rng.normal(0, p.gpsNoiseM);
  if (rng.chance(p.outlierRate)) {
    // a multipath/ spoofing-style jump; real feeds have them and features must survive them
    const d = rng.uniform(500, 20_000);
    const b = rng.uniform(0, 2 * Math.PI);
    north += d * Math.cos(b);
    east += d * Math.sin(b);
  }
  const lat = Math.max(-90, Math.min(90, s.lat + north / EARTH_RADIUS_M / RAD));
  const lon = normaliseLon(s.lon + east / (EARTH_RADIUS_M * Math.cos(s.lat * RAD)) / RAD);

  // GNSS speed noise ~0.1 kn; course over ground gets noisy as the vessel slows down
  const sog = Math.max(0, s.sog + rng.normal(0, 0.1));
  const speed = rng.chance(p.speedNaRate) ? null : Math.min(102.2, Math.round(sog * 10) / 10);
  const stopped = s.sog < 0.2;
  let course: number | null = null;
  if (!rng.chance(p.courseNaRate) && !(stopped && rng.chance(0.5))) {
    const cog = normaliseDeg(s.cog + rng.normal(0, 1 + 15 / (s.sog + 0.3)));
    course = normaliseDeg(Math.round(cog * 10) / 10);
  }
  const heading = rng.chance(p.headingNaRate) ? null : Math.round(normaliseDeg(s.heading + rng.normal(0, 2))) % 360;

  const t = Math.round(s.t);
  return {
    mmsi,
    timestamp: p.timestampFormat === 'iso' ? new Date(t).toISOString() : t / 1000,
    lat: Math.round(lat * AIS_POS_RESOLUTION) / AIS_POS_RESOLUTION,
    lon: Math.round(lon * AIS_POS_RESOLUTION) / AIS_POS_RESOLUTION,
    speed,
    course,
    heading,
  };
}
