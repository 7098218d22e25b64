import type { Random } from '../random.js';

/**
 * A vessel's behaviour is a sequence of phases (tow, haul, set, transit, …). Each phase fixes a target
 * speed through the water and a steering mode until its end time; the kinematics integrate it.
 */
export type Steering =
  /** steer toward `course`, turning at most `maxTurnDegPerMin`, with a random wander of the turn rate */
  | { readonly kind: 'course'; readonly course: number; readonly wanderDegPerMin: number; readonly maxTurnDegPerMin: number }
  /** no fixed course: the turn rate follows an Ornstein–Uhlenbeck process (sd in °/min, correlation time in min) */
  | { readonly kind: 'meander'; readonly turnSdDegPerMin: number; readonly tauMin: number }
  /** a constant turn rate, e.g. a purse-seine set around a school */
  | { readonly kind: 'circle'; readonly turnDegPerS: number }
  /** engine off: zero speed through the water, the vessel moves with the current */
  | { readonly kind: 'drift' }
  /** at anchor: no movement over ground at all */
  | { readonly kind: 'anchored' };

export interface Phase {
  /** what the vessel is doing, e.g. `tow`; recorded for tests and the README, never sent over AIS */
  readonly name: string;
  /** event time the phase ends, epoch ms */
  readonly end: number;
  /** target speed through the water, knots (ignored for `drift`/`anchored`) */
  readonly speed: number;
  /** standard deviation of the slow random variation of speed around the target, knots */
  readonly speedSd: number;
  readonly steer: Steering;
  /** AIS navigational status "at anchor": class A then reports every 3 minutes */
  readonly atAnchor?: boolean;
}

/** What a planner may look at to choose the next phase. */
export interface PlanContext {
  /** event time the new phase starts, epoch ms */
  readonly t: number;
  /** local mean solar time, hours in [0, 24) (from longitude, as GFW's features do) */
  readonly localHour: number;
  /** current heading through the water, degrees */
  readonly heading: number;
  /** latitude, degrees: planners steer away from polar waters */
  readonly lat: number;
  readonly rng: Random;
}

/** One vessel's behaviour: keeps its own memory (tows left on this ground, today's set times, …). */
export interface Planner {
  next(ctx: PlanContext): Phase;
}

export const HOUR_MS = 3_600_000;

/** event time at which local solar time next reads `hour` (strictly after `ctx.t` when `strict`) */
export function nextLocalHour(ctx: Pick<PlanContext, 't' | 'localHour'>, hour: number, strict = true): number {
  let dh = (hour - ctx.localHour) % 24;
  if (dh < 0) dh += 24;
  if (strict && dh === 0) dh = 24;
  return ctx.t + dh * HOUR_MS;
}

/** true when local solar time is in [from, to), wrapping midnight */
export function localHourIn(localHour: number, from: number, to: number): boolean {
  return from <= to ? localHour >= from && localHour < to : localHour >= from || localHour < to;
}

/** keep a new course away from polar waters: above 70° the planner turns equatorward */
export function equatorwardCourse(lat: number, course: number): number {
  const c = ((course % 360) + 360) % 360;
  if (lat > 70 && (c < 90 || c > 270)) return (540 - c) % 360;
  if (lat < -70 && c > 90 && c < 270) return (540 - c) % 360;
  return c;
}
