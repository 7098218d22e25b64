import type { Random } from '../../random.js';
import { HOUR_MS, equatorwardCourse, nextLocalHour, type Phase, type PlanContext, type Planner } from '../phase.js';

/**
 * Drifting (pelagic) longliners: one set a day in a long straight leg at 6–10 kn, the line soaks while
 * the vessel drifts, then a long slow haul at 1–3 kn back along the line; between hauls and the next
 * set they search or steam. Ranges: research notes §2; set, soak and haul durations and the set start
 * times (tuna sets around dawn, swordfish sets at dusk) are assumptions documented in the README.
 */
export interface LonglinerParams {
  readonly setSpeed: number;
  readonly haulSpeed: number;
  readonly setHours: number;
  readonly soakHours: number;
  readonly haulHours: number;
  /** local solar hour the set usually starts */
  readonly setStartHour: number;
  readonly searchSpeed: number;
}

export const LONGLINER_RANGES = {
  setSpeed: [6, 10],
  haulSpeed: [1, 3],
  setHours: [4, 7],
  soakHours: [2, 6],
  haulHours: [8, 12],
  dawnSetShare: 0.65,
  dawnSetStartHour: [2, 6],
  duskSetStartHour: [15, 20],
  searchSpeed: [7, 10],
  searchLegHours: [1, 4],
  restShare: 0.3,
  restHours: [2, 6],
  steamingDayShare: 0.1,
} as const;

export function drawLonglinerParams(rng: Random): LonglinerParams {
  const r = LONGLINER_RANGES;
  return {
    setSpeed: rng.uniform(...r.setSpeed),
    haulSpeed: rng.uniform(...r.haulSpeed),
    setHours: rng.uniform(...r.setHours),
    soakHours: rng.uniform(...r.soakHours),
    haulHours: rng.uniform(...r.haulHours),
    setStartHour: rng.chance(r.dawnSetShare) ? rng.uniform(...r.dawnSetStartHour) : rng.uniform(...r.duskSetStartHour),
    searchSpeed: rng.uniform(...r.searchSpeed),
  };
}

export function longlinerPlanner(p: LonglinerParams): Planner {
  const r = LONGLINER_RANGES;
  let last: 'idle' | 'set' | 'soak' | 'haul' = 'idle';
  let setCourse = 0;
  let nextSetAt: number | null = null;
  return {
    next(ctx: PlanContext): Phase {
      const { rng, t } = ctx;
      const jitter = (h: number): number => h * rng.uniform(0.85, 1.15);
      if (last === 'set') {
        last = 'soak';
        return { name: 'soak', end: t + jitter(p.soakHours) * HOUR_MS, speed: 0, speedSd: 0, steer: { kind: 'drift' } };
      }
      if (last === 'soak') {
        last = 'haul';
        return {
          name: 'haul', end: t + jitter(p.haulHours) * HOUR_MS, speed: p.haulSpeed, speedSd: 0.3,
          // hauling follows the drifted line back: roughly the reverse of the set, with bends
          steer: { kind: 'course', course: equatorwardCourse(ctx.lat, setCourse + 180 + rng.uniform(-20, 20)), wanderDegPerMin: 4, maxTurnDegPerMin: 20 },
        };
      }
      // idle (searching, resting or steaming) until the next set start, then set; the start is drawn
      // once per cycle so the idle phases all end on it
      if (nextSetAt === null || nextSetAt < t - HOUR_MS) nextSetAt = nextLocalHour(ctx, p.setStartHour + rng.uniform(-0.5, 0.5), false);
      const setStart = nextSetAt;
      if (setStart - t < 0.25 * HOUR_MS) {
        nextSetAt = null;
        if (rng.chance(r.steamingDayShare)) {
          // a day spent steaming to another area
          last = 'idle';
          return {
            name: 'steam', end: t + rng.uniform(18, 26) * HOUR_MS, speed: p.searchSpeed, speedSd: 0.4,
            steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-45, 45)), wanderDegPerMin: 0.3, maxTurnDegPerMin: 40 },
          };
        }
        last = 'set';
        setCourse = equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-90, 90));
        return {
          name: 'set', end: t + jitter(p.setHours) * HOUR_MS, speed: p.setSpeed, speedSd: 0.3,
          steer: { kind: 'course', course: setCourse, wanderDegPerMin: 0.3, maxTurnDegPerMin: 40 },
        };
      }
      last = 'idle';
      if (rng.chance(r.restShare)) {
        const end = Math.min(setStart, t + rng.uniform(...r.restHours) * HOUR_MS);
        return { name: 'rest', end, speed: 0, speedSd: 0, steer: { kind: 'drift' } };
      }
      const end = Math.min(setStart, t + rng.uniform(...r.searchLegHours) * HOUR_MS);
      return {
        name: 'search', end, speed: p.searchSpeed, speedSd: 0.4,
        steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-90, 90)), wanderDegPerMin: 0.5, maxTurnDegPerMin: 40 },
      };
    },
  };
}
