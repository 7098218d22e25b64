/**
 * Fleet-standard equipment ratings. Every hall is built from the same modules (as large operators do),
 * so a hall differs from another in how many modules it has, its climate and its setpoints, not in
 * the kind of pump or chiller. Values and their sources are tabulated in this folder's README.
 */

/** specific heat of water, kJ/(kg·K) */
export const WATER_CP_KJ_KG_K = 4.186;

export const STANDARD = {
  processWaterPump: { ratedFlowKgS: 100, ratedPowerKw: 37, minSpeed: 0.3 },
  condenserWaterPump: { ratedFlowKgS: 130, ratedPowerKw: 45, minSpeed: 0.3 },
  /** design temperature rise across the floor coils (process water) and the condenser loop, K */
  processWaterDeltaTK: 7,
  condenserWaterDeltaTK: 5.5,
  coolingTowerCell: {
    designRejectKw: 3000,
    /** leaving water − entering wet bulb at design load, full fan, design wet bulb */
    designApproachK: 3.5,
    designWetBulbC: 24,
    /** approach grows this much per K of wet bulb below design (less enthalpy driving force) */
    wetBulbSlopePerK: 0.03,
    /** approach ∝ (cell load fraction)^loadExponent · (air flow fraction)^−airflowExponent */
    loadExponent: 0.7,
    airflowExponent: 0.8,
    fanRatedKw: 30,
    minFanSpeed: 0.2,
  },
  drycooler: {
    designRejectKw: 1200,
    /** leaving fluid − dry bulb at design load and full fan, K */
    designApproachK: 8,
    airflowExponent: 0.6,
    /** wind speeds air flow over the coil: approach ÷ (1 + windGain · wind m/s) */
    windGain: 0.02,
    fanRatedKw: 18,
    minFanSpeed: 0.2,
  },
  chiller: {
    capacityKw: 2500,
    /** fraction of the Carnot COP reached at the best part-load ratio */
    carnotEfficiencyPeak: 0.68,
    bestPartLoad: 0.7,
    partLoadCurvature: 0.9,
    /** below this part-load ratio the chiller false-loads (hot-gas bypass) */
    minPartLoad: 0.15,
    /** evaporating below chilled-water leaving, condensing above condenser-water entering + range, K */
    evaporatorApproachK: 1.5,
    condenserApproachK: 1.5,
    /** head-pressure control keeps at least this lift, K */
    minLiftK: 10,
    maxCop: 12,
    /** chilled water leaves the chiller this far below the process-water supply setpoint it injects into */
    chilledWaterBelowSupplyK: 8,
  },
  chwInjectionPump: { ratedPowerKw: 11 },
  plateHeatExchanger: {
    /** NTU at the rated flow of one process-water pump train (one exchanger per running train) */
    designNtu: 4.5,
    /** UA ∝ flow^0.7 ⇒ NTU = UA/(ṁ·cp) ∝ flow^−0.3 */
    ntuFlowExponent: -0.3,
  },
  /** hot-aisle fan coils: power at full design air flow as a fraction of design IT */
  floorFanFractionAtDesign: 0.022,
  floorFanMinSpeed: 0.3,
  ups: { moduleKw: 500, noLoadLossKw: 2.0, linearLoss: 0.012, quadraticLossAtFull: 0.008 },
  transformer: { noLoadLossFraction: 0.004, loadLossAtFullFraction: 0.012 },
  lightingFraction: 0.004,
} as const;

/**
 * Pump and fan affinity laws: flow ∝ speed, head ∝ speed², power ∝ speed³. Exact for a system whose
 * head is all friction; real loops with static head deviate at low speed, which the minimum speed limits.
 */
export function affinityPowerKw(ratedPowerKw: number, running: number, speed: number): number {
  return running * ratedPowerKw * speed * speed * speed;
}

export interface StagingRule {
  /** add a unit when the running ones would each carry more than this fraction of capacity */
  readonly upAt: number;
  /** drop a unit only when the remaining ones would each carry at most this fraction */
  readonly downAt: number;
  readonly min: number;
  readonly max: number;
}

/**
 * How many identical units run for a demand, with a hysteresis band so that a demand hovering near a
 * threshold does not cycle equipment every sample (what a real plant controller does too).
 */
export function stageCount(previous: number, demand: number, unitCapacity: number, rule: StagingRule): number {
  const fewest = Math.ceil(demand / (unitCapacity * rule.upAt));
  const comfortable = Math.ceil(demand / (unitCapacity * rule.downAt));
  let n = previous;
  if (n < fewest) n = fewest;
  else if (n > comfortable) n = comfortable;
  return Math.min(rule.max, Math.max(rule.min, n));
}
