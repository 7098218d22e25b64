import { Random } from '../random.js';
import type { GearClass } from './gear.js';
import { drawTrawlerParams, trawlerPlanner, type TrawlerParams } from './gears/trawlers.js';
import { drawLonglinerParams, longlinerPlanner, type LonglinerParams } from './gears/driftingLonglines.js';
import { drawPurseSeinerParams, purseSeinerPlanner, type PurseSeinerParams } from './gears/purseSeines.js';
import { drawNonFishingParams, nonFishingPlanner, type NonFishingParams } from './gears/nonFishing.js';
import type { Planner } from './phase.js';
import type { Current } from './kinematics.js';
import { drawReportingProfile, type ReportingOptions, type ReportingProfile } from './reportingProfile.js';

export type GearParams =
  | { readonly gear: 'trawlers'; readonly params: TrawlerParams }
  | { readonly gear: 'drifting_longlines'; readonly params: LonglinerParams }
  | { readonly gear: 'purse_seines'; readonly params: PurseSeinerParams }
  | { readonly gear: 'non_fishing'; readonly params: NonFishingParams };

/** Everything that determines one simulated vessel; re-simulating it gives the same track. */
export interface SimulatedVessel {
  readonly mmsi: string;
  readonly gear: GearClass;
  /** key of this vessel's random stream (behaviour and reporting fork from it) */
  readonly key: string;
  readonly behaviour: GearParams;
  readonly reporting: ReportingProfile;
  /** position and heading at the start of the warm-up */
  readonly origin: { readonly lat: number; readonly lon: number; readonly heading: number };
  /** hours the behaviour runs before `start`, so a track does not begin at the start of a cycle */
  readonly warmupHours: number;
  /** sea current the vessel drifts with */
  readonly current: Current;
}

/** latitude band vessels start in: open water outside polar seas */
const ORIGIN_LAT: readonly [number, number] = [-50, 55];
/** surface current speed, knots (typical open-ocean currents 0.1–0.5 kn, locally more) */
const CURRENT_KN: readonly [number, number] = [0, 0.6];
const WARMUP_HOURS: readonly [number, number] = [6, 30];

export function drawGearParams(gear: GearClass, rng: Random): GearParams {
  switch (gear) {
    case 'trawlers': return { gear, params: drawTrawlerParams(rng) };
    case 'drifting_longlines': return { gear, params: drawLonglinerParams(rng) };
    case 'purse_seines': return { gear, params: drawPurseSeinerParams(rng) };
    case 'non_fishing': return { gear, params: drawNonFishingParams(rng) };
  }
}

export function plannerFor(b: GearParams): Planner {
  switch (b.gear) {
    case 'trawlers': return trawlerPlanner(b.params);
    case 'drifting_longlines': return longlinerPlanner(b.params);
    case 'purse_seines': return purseSeinerPlanner(b.params);
    case 'non_fishing': return nonFishingPlanner(b.params);
  }
}

export function drawVessel(mmsi: string, gear: GearClass, key: string, reporting: Required<ReportingOptions>): SimulatedVessel {
  const rng = new Random(key);
  const setup = rng.fork('setup');
  const currentSpeed = setup.uniform(...CURRENT_KN);
  const currentDir = setup.uniform(0, 2 * Math.PI);
  return {
    mmsi,
    gear,
    key,
    behaviour: drawGearParams(gear, rng.fork('params')),
    reporting: drawReportingProfile(rng.fork('reporting-profile'), reporting),
    origin: { lat: setup.uniform(...ORIGIN_LAT), lon: setup.uniform(-180, 180), heading: setup.uniform(0, 360) },
    warmupHours: setup.uniform(...WARMUP_HOURS),
    current: { north: currentSpeed * Math.cos(currentDir), east: currentSpeed * Math.sin(currentDir) },
  };
}

export const VESSEL_SIMULATION_RANGES = { ORIGIN_LAT, CURRENT_KN, WARMUP_HOURS } as const;
