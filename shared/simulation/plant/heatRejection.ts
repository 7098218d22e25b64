import { STANDARD, affinityPowerKw } from './equipment.js';

export interface HeatRejectionResult {
  /** water leaving the towers or drycoolers, °C */
  readonly leavingWaterC: number;
  readonly fanSpeed: number;
  readonly fanPowerKw: number;
}

/**
 * Fan speed that brings the leaving water to `setpointC` when approach ∝ airflow^−exponent; at full
 * speed and still short the water leaves warmer, at minimum speed a bypass holds the setpoint.
 */
function modulateFan(
  ambientC: number,
  approachAtFullFanK: number,
  setpointC: number,
  airflowExponent: number,
  minFanSpeed: number,
): { leavingWaterC: number; fanSpeed: number } {
  const required = setpointC - ambientC;
  if (required <= approachAtFullFanK) return { leavingWaterC: ambientC + approachAtFullFanK, fanSpeed: 1 };
  const speed = (approachAtFullFanK / required) ** (1 / airflowExponent);
  return { leavingWaterC: setpointC, fanSpeed: Math.max(minFanSpeed, speed) };
}

/**
 * Open cooling towers: approach to the (recirculation-adjusted) wet bulb at full fan, from a simplified
 * empirical model calibrated to the design point (see README), then fan speed by the setpoint.
 */
export function coolingTowers(rejectKw: number, running: number, wetBulbC: number, setpointC: number): HeatRejectionResult {
  const T = STANDARD.coolingTowerCell;
  const load = Math.max(0, rejectKw) / (running * T.designRejectKw);
  const wetBulbFactor = Math.min(2.2, Math.max(0.8, 1 + T.wetBulbSlopePerK * (T.designWetBulbC - wetBulbC)));
  const approachFull = T.designApproachK * load ** T.loadExponent * wetBulbFactor;
  const { leavingWaterC, fanSpeed } = modulateFan(wetBulbC, approachFull, setpointC, T.airflowExponent, T.minFanSpeed);
  return { leavingWaterC, fanSpeed, fanPowerKw: affinityPowerKw(T.fanRatedKw, running, fanSpeed) };
}

/** Dry coolers (sensible only): approach to the dry bulb grows linearly with load and shrinks with wind. */
export function drycoolers(rejectKw: number, running: number, dryBulbC: number, windMS: number, setpointC: number): HeatRejectionResult {
  const D = STANDARD.drycooler;
  const load = Math.max(0, rejectKw) / (running * D.designRejectKw);
  const approachFull = (D.designApproachK * load) / (1 + D.windGain * windMS);
  const { leavingWaterC, fanSpeed } = modulateFan(dryBulbC, approachFull, setpointC, D.airflowExponent, D.minFanSpeed);
  return { leavingWaterC, fanSpeed, fanPowerKw: affinityPowerKw(D.fanRatedKw, running, fanSpeed) };
}
