import { STANDARD } from './equipment.js';

const C = STANDARD.chiller;

/**
 * Chiller coefficient of performance: a fraction of the Carnot COP between evaporating and condensing
 * temperatures, the fraction peaking at a part-load ratio (variable-speed centrifugal behaviour).
 * Lower condenser water ⇒ lower lift ⇒ higher COP: the reason cooler towers save chiller energy.
 */
export function chillerCop(chilledWaterLeavingC: number, condenserWaterEnteringC: number, partLoad: number): number {
  const plr = Math.min(1, Math.max(C.minPartLoad, partLoad));
  const evapK = chilledWaterLeavingC - C.evaporatorApproachK + 273.15;
  // the condenser range grows with load; refrigerant condenses above the leaving condenser water
  const condK = condenserWaterEnteringC + STANDARD.condenserWaterDeltaTK * plr + C.condenserApproachK + 273.15;
  const lift = Math.max(C.minLiftK, condK - evapK);
  const eta = C.carnotEfficiencyPeak * (1 - C.partLoadCurvature * (plr - C.bestPartLoad) ** 2);
  return Math.min(C.maxCop, (eta * evapK) / lift);
}

/** Electric power of `running` chillers sharing `loadKw` equally, kW (false-loaded below the minimum part load). */
export function chillerPowerKw(loadKw: number, running: number, chilledWaterLeavingC: number, condenserWaterEnteringC: number): number {
  if (running <= 0 || loadKw <= 0) return 0;
  const plr = loadKw / (running * C.capacityKw);
  const servedKw = running * C.capacityKw * Math.max(plr, C.minPartLoad);
  return servedKw / chillerCop(chilledWaterLeavingC, condenserWaterEnteringC, plr);
}
