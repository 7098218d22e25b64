import { MS_PER_KNOT, EARTH_RADIUS_M, normaliseDeg, normaliseLon, signedAngleDiffDeg } from '../../geo/greatCircle.js';
import type { Random } from '../random.js';
import type { Phase } from './phase.js';

/**
 * The true motion of one vessel, integrated on a fixed event-time grid. The grid does not depend on
 * when AIS reports are sent, so the same vessel seen under another reporting regime follows exactly
 * the same track; reports interpolate between grid states.
 */
export const GRID_STEP_S = 10;

/** correlation time of the random speed variation, s */
const SPEED_TAU_S = 300;
/** time constant of the speed response to a new target (acceleration/deceleration), s */
const SPEED_RESPONSE_S = 60;
/** gain of the course controller: fraction of the course error corrected per second */
const COURSE_GAIN_PER_S = 1 / 30;
/** correlation time of the turn-rate wander while holding a course, s */
const WANDER_TAU_S = 600;
const RAD = Math.PI / 180;

export interface KinematicState {
  /** event time, epoch ms */
  t: number;
  lat: number;
  lon: number;
  /** heading through the water, degrees */
  heading: number;
  /** speed through the water, knots */
  waterSpeed: number;
  /** over ground (what GPS measures and AIS reports as SOG/COG) */
  sog: number;
  cog: number;
  /** turn rate, °/s (signed); AIS class A reports faster while |rate| is high */
  turnRate: number;
  /** random parts of speed and turn rate (Ornstein–Uhlenbeck states) */
  speedNoise: number;
  turnNoise: number;
}

/** A sea current, constant per vessel (north and east components, knots). */
export interface Current {
  readonly north: number;
  readonly east: number;
}

/** OU update keeping a stationary standard deviation `sd` with correlation time `tau` */
function ou(x: number, sd: number, tau: number, dt: number, rng: Random): number {
  if (sd === 0) return x * decay(tau, dt);
  const a = decay(tau, dt);
  return a * x + sd * Math.sqrt(1 - a * a) * rng.normal();
}

// exp(−dt/τ) is asked for with a handful of (τ, dt) pairs millions of times: remember the last few
const decayCache = new Map<number, number>();
function decay(tau: number, dt: number): number {
  const key = tau * 1e4 + dt;
  let a = decayCache.get(key);
  if (a === undefined) {
    a = Math.exp(-dt / tau);
    if (decayCache.size > 256) decayCache.clear();
    decayCache.set(key, a);
  }
  return a;
}

/** advance `s` by one grid step under `phase` (mutates `s`) */
export function step(s: KinematicState, phase: Phase, current: Current, rng: Random, dt = GRID_STEP_S): void {
  const steer = phase.steer;
  s.speedNoise = ou(s.speedNoise, phase.speedSd, SPEED_TAU_S, dt, rng);

  if (steer.kind === 'anchored') {
    s.waterSpeed = 0;
    s.turnRate = ou(s.turnRate, 0.05, 120, dt, rng); // swinging round the anchor
    s.heading = normaliseDeg(s.heading + s.turnRate * dt);
    s.sog = 0;
    s.t += dt * 1000;
    return;
  }

  const target = steer.kind === 'drift' ? 0 : Math.max(0, phase.speed + s.speedNoise);
  s.waterSpeed += (target - s.waterSpeed) * (1 - decay(SPEED_RESPONSE_S, dt));
  if (s.waterSpeed < 0) s.waterSpeed = 0;

  switch (steer.kind) {
    case 'course': {
      s.turnNoise = ou(s.turnNoise, steer.wanderDegPerMin / 60, WANDER_TAU_S, dt, rng);
      const max = steer.maxTurnDegPerMin / 60;
      const wanted = signedAngleDiffDeg(s.heading, steer.course) * COURSE_GAIN_PER_S;
      s.turnRate = Math.max(-max, Math.min(max, wanted)) + s.turnNoise;
      break;
    }
    case 'meander':
      s.turnNoise = ou(s.turnNoise, steer.turnSdDegPerMin / 60, steer.tauMin * 60, dt, rng);
      s.turnRate = s.turnNoise;
      break;
    case 'circle':
      s.turnRate = steer.turnDegPerS;
      break;
    case 'drift':
      s.turnRate = ou(s.turnRate, 0.02, 300, dt, rng); // a drifting hull yaws slowly
      break;
  }
  s.heading = normaliseDeg(s.heading + s.turnRate * dt);

  const hn = Math.cos(s.heading * RAD);
  const he = Math.sin(s.heading * RAD);
  const vn = s.waterSpeed * hn + current.north;
  const ve = s.waterSpeed * he + current.east;
  s.sog = Math.hypot(vn, ve);
  if (s.sog > 1e-9) s.cog = normaliseDeg(Math.atan2(ve, vn) / RAD);

  // equirectangular step: exact enough for a 10 s hop (≤ 120 m)
  const dn = vn * MS_PER_KNOT * dt;
  const de = ve * MS_PER_KNOT * dt;
  s.lat += (dn / EARTH_RADIUS_M) / RAD;
  if (s.lat > 89) s.lat = 89;
  if (s.lat < -89) s.lat = -89;
  s.lon = normaliseLon(s.lon + (de / (EARTH_RADIUS_M * Math.cos(s.lat * RAD))) / RAD);
  s.t += dt * 1000;
}

/** the state at time `t` between grid states `a` (before) and `b` (after), linearly interpolated */
export function interpolate(a: KinematicState, b: KinematicState, t: number): KinematicState {
  const span = b.t - a.t;
  const f = span > 0 ? Math.min(1, Math.max(0, (t - a.t) / span)) : 1;
  const dLon = signedAngleDiffDeg(a.lon + 180, b.lon + 180);
  return {
    t,
    lat: a.lat + (b.lat - a.lat) * f,
    lon: normaliseLon(a.lon + dLon * f),
    heading: normaliseDeg(a.heading + signedAngleDiffDeg(a.heading, b.heading) * f),
    waterSpeed: a.waterSpeed + (b.waterSpeed - a.waterSpeed) * f,
    sog: a.sog + (b.sog - a.sog) * f,
    cog: normaliseDeg(a.cog + signedAngleDiffDeg(a.cog, b.cog) * f),
    turnRate: b.turnRate,
    speedNoise: b.speedNoise,
    turnNoise: b.turnNoise,
  };
}
