import type { Random } from '../../random.js';
import { HOUR_MS, equatorwardCourse, localHourIn, nextLocalHour, type Phase, type PlanContext, type Planner } from '../phase.js';

/**
 * Tropical tuna purse seiners: search by day at 10–13 kn on zig-zag legs, set the net in a circle of
 * 1–2 km at about 10 kn round a school or a FAD (often at dawn), then purse and brail while nearly
 * stopped (0–2 kn) for a couple of hours; at night they mostly drift. Ranges: research notes §2; the
 * number and timing of sets per day and the night behaviour are assumptions documented in the README.
 */
export interface PurseSeinerParams {
  readonly searchSpeed: number;
  readonly setSpeed: number;
  readonly circleKm: number;
  readonly pursingHours: number;
  /** share of nights spent drifting (the rest steaming slowly) */
  readonly nightDriftShare: number;
}

export const PURSE_SEINER_RANGES = {
  searchSpeed: [10, 13],
  setSpeed: [9, 11],
  circleKm: [1, 2],
  pursingHours: [1.5, 3],
  pursingSpeed: [0, 2],
  nightDriftShare: [0.5, 0.9],
  /** probabilities of 0, 1, 2, 3 sets on a given day */
  setsPerDay: [0.2, 0.4, 0.3, 0.1],
  dawnSetShare: 0.6,
  dawnSetHour: [5, 7],
  daySetHour: [7, 16],
  searchLegHours: [0.3, 2],
  searchTurnDeg: [20, 120],
  dawnHour: 5,
  duskHour: 19,
  steamingDayShare: 0.1,
} as const;

export function drawPurseSeinerParams(rng: Random): PurseSeinerParams {
  const r = PURSE_SEINER_RANGES;
  return {
    searchSpeed: rng.uniform(...r.searchSpeed),
    setSpeed: rng.uniform(...r.setSpeed),
    circleKm: rng.uniform(...r.circleKm),
    pursingHours: rng.uniform(...r.pursingHours),
    nightDriftShare: rng.uniform(...r.nightDriftShare),
  };
}

export function purseSeinerPlanner(p: PurseSeinerParams): Planner {
  const r = PURSE_SEINER_RANGES;
  let setTimes: number[] = [];
  let plannedFor = -Infinity; // dawn (event time) the current day's plan belongs to
  let steamingDay = false;
  let justSet = false;
  return {
    next(ctx: PlanContext): Phase {
      const { rng, t } = ctx;
      if (justSet) {
        justSet = false;
        const speed = rng.uniform(...r.pursingSpeed);
        return {
          name: 'purse', end: t + p.pursingHours * rng.uniform(0.85, 1.15) * HOUR_MS, speed, speedSd: 0.2,
          steer: speed < 0.5 ? { kind: 'drift' } : { kind: 'meander', turnSdDegPerMin: 8, tauMin: 5 },
        };
      }
      if (localHourIn(ctx.localHour, r.duskHour, r.dawnHour)) {
        const end = nextLocalHour(ctx, r.dawnHour);
        return rng.chance(p.nightDriftShare)
          ? { name: 'night', end, speed: 0, speedSd: 0, steer: { kind: 'drift' } }
          : { name: 'night', end, speed: rng.uniform(2, 5), speedSd: 0.3, steer: { kind: 'meander', turnSdDegPerMin: 3, tauMin: 20 } };
      }
      // plan today's sets at the first decision after dawn
      const dawn = t - ((ctx.localHour - r.dawnHour + 24) % 24) * HOUR_MS;
      if (dawn > plannedFor + HOUR_MS) {
        plannedFor = dawn;
        steamingDay = rng.chance(r.steamingDayShare);
        const sets = drawCategory(rng, r.setsPerDay);
        setTimes = [];
        for (let i = 0; i < sets; i++) {
          const hour = i === 0 && rng.chance(r.dawnSetShare) ? rng.uniform(...r.dawnSetHour) : rng.uniform(...r.daySetHour);
          setTimes.push(dawn + (hour - r.dawnHour) * HOUR_MS);
        }
        setTimes.sort((a, b) => a - b);
      }
      const dusk = nextLocalHour(ctx, r.duskHour);
      if (steamingDay) {
        return {
          name: 'steam', end: dusk, speed: p.searchSpeed, speedSd: 0.4,
          steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-30, 30)), wanderDegPerMin: 0.3, maxTurnDegPerMin: 40 },
        };
      }
      while (setTimes.length > 0 && setTimes[0]! < t - 2 * HOUR_MS) setTimes.shift(); // missed while pursing
      if (setTimes.length > 0 && setTimes[0]! <= t + 60_000) {
        setTimes.shift();
        justSet = true;
        const minutes = (p.circleKm * 1000) / (p.setSpeed * 1852 / 60); // one full turn round the school
        const sign = rng.pick([-1, 1]);
        return {
          name: 'set', end: t + minutes * 60_000, speed: p.setSpeed, speedSd: 0.1,
          steer: { kind: 'circle', turnDegPerS: (sign * 360) / (minutes * 60) },
        };
      }
      const legEnd = t + rng.uniform(...r.searchLegHours) * HOUR_MS;
      const end = Math.min(legEnd, dusk, setTimes[0] ?? Infinity);
      const turn = rng.pick([-1, 1]) * rng.uniform(...r.searchTurnDeg);
      return {
        name: 'search', end: Math.max(end, t + 60_000), speed: p.searchSpeed, speedSd: 0.4,
        steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + turn), wanderDegPerMin: 0.5, maxTurnDegPerMin: 60 },
      };
    },
  };
}

/** index drawn with the given probabilities (which sum to 1) */
function drawCategory(rng: Random, probabilities: readonly number[]): number {
  const u = rng.next();
  let acc = 0;
  for (let i = 0; i < probabilities.length; i++) {
    acc += probabilities[i]!;
    if (u < acc) return i;
  }
  return probabilities.length - 1;
}
