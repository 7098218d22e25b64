import type { Random } from '../../random.js';
import { HOUR_MS, equatorwardCourse, localHourIn, nextLocalHour, type Phase, type PlanContext, type Planner } from '../phase.js';

/**
 * Bottom/otter trawlers: tows of a few hours at 2.5–4.5 kn with gentle turns, a short slow haul, the next
 * tow usually back across the same ground, a transit at 8–12 kn to a new ground every few tows.
 * Ranges: research notes §2 (fisheries literature); per-vessel values are drawn uniformly inside them.
 */
export interface TrawlerParams {
  readonly towSpeed: number;
  readonly transitSpeed: number;
  readonly towHoursMean: number;
  readonly towTurnSdDegPerMin: number;
  /** day trawlers stop towing at night (local 20:00–05:00) and drift or steam slowly */
  readonly dayOnly: boolean;
}

export const TRAWLER_RANGES = {
  towSpeed: [2.5, 4.5],
  transitSpeed: [8, 12],
  towHoursMean: [2, 5],
  towTurnSdDegPerMin: [1, 3],
  dayOnlyShare: 0.3,
  haulHours: [0.3, 0.8],
  haulSpeed: [0.3, 1.5],
  towsPerGround: [2, 6],
  groundTransitHours: [1, 4],
  towReturnTurnDeg: [100, 180],
} as const;

export function drawTrawlerParams(rng: Random): TrawlerParams {
  const r = TRAWLER_RANGES;
  return {
    towSpeed: rng.uniform(...r.towSpeed),
    transitSpeed: rng.uniform(...r.transitSpeed),
    towHoursMean: rng.uniform(...r.towHoursMean),
    towTurnSdDegPerMin: rng.uniform(...r.towTurnSdDegPerMin),
    dayOnly: rng.chance(r.dayOnlyShare),
  };
}

export function trawlerPlanner(p: TrawlerParams): Planner {
  const r = TRAWLER_RANGES;
  let towsLeft = 0;
  let last = 'transit';
  return {
    next(ctx: PlanContext): Phase {
      const { rng, t } = ctx;
      if (p.dayOnly && localHourIn(ctx.localHour, 20, 5)) {
        last = 'rest';
        const end = nextLocalHour(ctx, 5);
        return rng.chance(0.6)
          ? { name: 'rest', end, speed: 0, speedSd: 0, steer: { kind: 'drift' } }
          : { name: 'rest', end, speed: rng.uniform(1, 2.5), speedSd: 0.3, steer: { kind: 'meander', turnSdDegPerMin: 4, tauMin: 15 } };
      }
      if (last === 'tow') {
        last = 'haul';
        return {
          name: 'haul', end: t + rng.uniform(...r.haulHours) * HOUR_MS, speed: rng.uniform(...r.haulSpeed), speedSd: 0.2,
          steer: { kind: 'meander', turnSdDegPerMin: 10, tauMin: 3 },
        };
      }
      if (towsLeft <= 0) {
        // move to a new ground
        towsLeft = rng.int(...r.towsPerGround);
        last = 'transit';
        const course = equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-90, 90));
        return {
          name: 'transit', end: t + rng.uniform(...r.groundTransitHours) * HOUR_MS, speed: p.transitSpeed, speedSd: 0.4,
          steer: { kind: 'course', course, wanderDegPerMin: 0.5, maxTurnDegPerMin: 60 },
        };
      }
      const prev = last;
      if (prev !== 'turn') {
        // the next tow usually runs back across the ground the last one covered: turn onto it first
        last = 'turn';
        const turn = prev === 'transit' ? rng.uniform(-60, 60) : rng.pick([-1, 1]) * rng.uniform(...r.towReturnTurnDeg);
        return {
          name: 'turn', end: t + rng.uniform(5, 12) * 60_000, speed: p.towSpeed, speedSd: 0.2,
          steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + turn), wanderDegPerMin: 1, maxTurnDegPerMin: 30 },
        };
      }
      towsLeft--;
      last = 'tow';
      const hours = Math.min(8, Math.max(1, rng.normal(p.towHoursMean, 0.25 * p.towHoursMean)));
      return {
        name: 'tow', end: t + hours * HOUR_MS, speed: p.towSpeed, speedSd: 0.25,
        steer: { kind: 'meander', turnSdDegPerMin: p.towTurnSdDegPerMin, tauMin: 10 },
      };
    },
  };
}
