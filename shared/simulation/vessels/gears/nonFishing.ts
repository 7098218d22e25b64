import type { Random } from '../../random.js';
import { HOUR_MS, equatorwardCourse, type Phase, type PlanContext, type Planner } from '../phase.js';

/**
 * Non-fishing vessels. Most are merchant ships (cargo, tanker, container) holding 12–20 kn on long
 * straight legs with waypoint turns many hours apart, sometimes waiting at anchor; a minority are
 * service craft (tugs, supply, patrol) at 7–12 kn with frequent course changes and slow periods, the
 * kind GFW's `non_fishing` class also holds. Merchant speeds: research notes §2; the service share and
 * behaviour are assumptions documented in the README.
 */
export interface NonFishingParams {
  readonly subtype: 'merchant' | 'service';
  readonly serviceSpeed: number;
  readonly legHoursMean: number;
}

export const NON_FISHING_RANGES = {
  serviceShare: 0.15,
  merchantSpeed: [12, 20],
  merchantLegHours: [4, 30],
  merchantTurnDeg: [5, 60],
  merchantAnchorShare: 0.03,
  merchantAnchorHours: [2, 8],
  serviceSpeed: [7, 12],
  serviceLegHours: [1, 4],
  serviceSlowShare: 0.3,
  serviceSlowHours: [1, 4],
  serviceSlowSpeed: [0, 3],
} as const;

export function drawNonFishingParams(rng: Random): NonFishingParams {
  const r = NON_FISHING_RANGES;
  const service = rng.chance(r.serviceShare);
  return {
    subtype: service ? 'service' : 'merchant',
    serviceSpeed: service ? rng.uniform(...r.serviceSpeed) : rng.uniform(...r.merchantSpeed),
    legHoursMean: service ? rng.uniform(...r.serviceLegHours) : rng.uniform(...r.merchantLegHours),
  };
}

export function nonFishingPlanner(p: NonFishingParams): Planner {
  const r = NON_FISHING_RANGES;
  return {
    next(ctx: PlanContext): Phase {
      const { rng, t } = ctx;
      if (p.subtype === 'merchant') {
        if (rng.chance(r.merchantAnchorShare)) {
          return {
            name: 'anchor', end: t + rng.uniform(...r.merchantAnchorHours) * HOUR_MS, speed: 0, speedSd: 0,
            steer: { kind: 'anchored' }, atAnchor: true,
          };
        }
        const turn = rng.pick([-1, 1]) * rng.uniform(...r.merchantTurnDeg);
        return {
          name: 'passage', end: t + p.legHoursMean * rng.uniform(0.5, 1.5) * HOUR_MS, speed: p.serviceSpeed, speedSd: 0.3,
          steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + turn), wanderDegPerMin: 0.2, maxTurnDegPerMin: 20 },
        };
      }
      if (rng.chance(r.serviceSlowShare)) {
        const speed = rng.uniform(...r.serviceSlowSpeed);
        return {
          name: 'standby', end: t + rng.uniform(...r.serviceSlowHours) * HOUR_MS, speed, speedSd: 0.2,
          steer: speed < 0.5 ? { kind: 'drift' } : { kind: 'meander', turnSdDegPerMin: 6, tauMin: 5 },
        };
      }
      return {
        name: 'passage', end: t + p.legHoursMean * rng.uniform(0.5, 1.5) * HOUR_MS, speed: p.serviceSpeed, speedSd: 0.4,
        steer: { kind: 'course', course: equatorwardCourse(ctx.lat, ctx.heading + rng.uniform(-120, 120)), wanderDegPerMin: 0.5, maxTurnDegPerMin: 60 },
      };
    },
  };
}
