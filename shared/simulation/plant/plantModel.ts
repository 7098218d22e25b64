import { chillerPowerKw } from './chiller.js';
import { STANDARD, WATER_CP_KJ_KG_K, affinityPowerKw, stageCount } from './equipment.js';
import { coolingTowers, drycoolers } from './heatRejection.js';
import type { InstalledEquipment, PlantConfig } from './plantConfig.js';
import type { OutsideAir } from './weather.js';

/** What the plant controller remembers between samples: running counts (for hysteresis) and the mode. */
export interface PlantState {
  readonly processWaterPumps: number;
  readonly condenserWaterPumps: number;
  readonly coolingTowers: number;
  readonly chillers: number;
  readonly drycoolers: number;
  readonly upsModules: number;
  readonly drycoolerMode: boolean;
}

export const INITIAL_PLANT_STATE: PlantState = {
  processWaterPumps: 0, condenserWaterPumps: 0, coolingTowers: 0, chillers: 0, drycoolers: 0, upsModules: 0, drycoolerMode: false,
};

export interface OperatingConditions {
  readonly serverKw: number;
  readonly networkRoomKw: number;
  /** true outside air (sensors report it with noise) */
  readonly air: OutsideAir;
  readonly supplySetpointC: number;
  readonly towerSetpointC: number;
}

/** Electric power by consumer, kW. */
export interface PowerBreakdown {
  readonly it: number;
  readonly processWaterPumps: number;
  readonly condenserWaterPumps: number;
  readonly towerFans: number;
  readonly drycoolerFans: number;
  readonly chillers: number;
  readonly injectionPumps: number;
  readonly floorFans: number;
  readonly ups: number;
  readonly transformers: number;
  readonly lighting: number;
}

export interface OperatingPoint {
  readonly state: PlantState;
  readonly processWaterPumpSpeed: number;
  readonly condenserWaterPumpSpeed: number;
  readonly towerFanSpeed: number;
  readonly drycoolerFanSpeed: number;
  /** heat carried by the process water (IT + floor fans + UPS losses + lighting + pump work), kW */
  readonly heatKw: number;
  /** part of it removed by the economiser heat exchangers, kW */
  readonly economiserKw: number;
  readonly chillerLoadKw: number;
  /** process water leaving the exchanger − condenser water entering it, K; 0 when the exchanger is isolated */
  readonly hxApproachK: number;
  readonly condenserWaterC: number;
  readonly power: PowerBreakdown;
  /** cooling = pumps + fans + chillers + injection pumps + floor fans */
  readonly coolingKw: number;
  readonly pue: number;
}

const FIXED_POINT_ITERATIONS = 8;

/**
 * Steady state of the plant for one sample. Heat flows: IT → floor coils → process water → plate heat
 * exchangers (free cooling from condenser water) and/or chillers (which inject chilled water into the
 * process loop) → condenser water → towers or drycoolers → outside air. The condenser temperature
 * sets chiller power and chiller power adds to the heat the towers reject, so the two are solved by
 * fixed-point iteration (it converges in a few steps because chiller power is a small share).
 */
export function solveOperatingPoint(
  plant: PlantConfig,
  installed: InstalledEquipment,
  previous: PlantState,
  conditions: OperatingConditions,
): OperatingPoint {
  const S = STANDARD;
  const C = plant.designItKw;
  const ctl = plant.control;
  const { air, supplySetpointC, towerSetpointC } = conditions;
  const itKw = conditions.serverKw + conditions.networkRoomKw;

  // electrical path: modular UPS with module management, transformers, lighting
  const upsModules = stageCount(previous.upsModules, itKw, S.ups.moduleKw, {
    upAt: 0.8, downAt: 0.65, min: 1, max: Math.ceil((1.1 * C) / S.ups.moduleKw) + 1,
  });
  const upsKw = upsModules * S.ups.noLoadLossKw + S.ups.linearLoss * itKw + (S.ups.quadraticLossAtFull * itKw * itKw) / (upsModules * S.ups.moduleKw);
  const itFraction = itKw / C;
  const transformersKw = C * (S.transformer.noLoadLossFraction + S.transformer.loadLossAtFullFraction * itFraction * itFraction);
  const lightingKw = C * S.lightingFraction;

  // floor fan coils move air in proportion to the heat (constant air-side ΔT): fan law on the fraction
  const floorFanSpeed = Math.min(1, Math.max(S.floorFanMinSpeed, itFraction));
  const floorFansKw = C * S.floorFanFractionAtDesign * floorFanSpeed ** 3;
  const baseHeatKw = itKw + floorFansKw + upsKw + lightingKw;

  // process water: constant-ΔT control, flow ∝ heat; pump work ends up in the water
  const pw = S.processWaterPump;
  let pwPumps = previous.processWaterPumps;
  let pwSpeed = 1;
  let pwKw = 0;
  let heatKw = baseHeatKw;
  for (let i = 0; i < 3; i++) {
    heatKw = baseHeatKw + pwKw;
    const flow = heatKw / (WATER_CP_KJ_KG_K * S.processWaterDeltaTK);
    pwPumps = stageCount(previous.processWaterPumps, flow, pw.ratedFlowKgS, { upAt: 0.9, downAt: 0.75, min: 2, max: installed.processWaterPumps });
    pwSpeed = Math.min(1, Math.max(pw.minSpeed, flow / (pwPumps * pw.ratedFlowKgS)));
    pwKw = affinityPowerKw(pw.ratedPowerKw, pwPumps, pwSpeed);
  }
  const pwFlow = pwPumps * pwSpeed * pw.ratedFlowKgS;
  const pwDeltaT = heatKw / (pwFlow * WATER_CP_KJ_KG_K);
  const returnC = supplySetpointC + pwDeltaT;
  // one exchanger per running pump train; balanced counterflow: ε = NTU / (1 + NTU)
  const ntu = S.plateHeatExchanger.designNtu * pwSpeed ** S.plateHeatExchanger.ntuFlowExponent;
  const effectiveness = ntu / (1 + ntu);

  // heat rejection mode: drycoolers below the switch temperature, with a ±1 K band
  let drycoolerMode = false;
  if (ctl.drycoolerSwitchC !== null && installed.drycoolers > 0) {
    drycoolerMode = previous.drycoolerMode ? air.dryBulbC < ctl.drycoolerSwitchC + 1 : air.dryBulbC <= ctl.drycoolerSwitchC - 1;
  }
  const towerWetBulbC = air.wetBulbC + ctl.recirculationMaxK * Math.max(0, Math.cos(((air.windDirectionDeg - ctl.recirculationFromDeg) * Math.PI) / 180)) * Math.min(1, air.windSpeedMS / 5);
  const chwLeavingC = supplySetpointC - S.chiller.chilledWaterBelowSupplyK;

  let condenserC = towerSetpointC;
  let economiserKw = 0;
  let hxApproachK = 0;
  let chillerLoadKw = 0;
  let chillers = 0;
  let chillersKw = 0;
  let cwPumps = previous.condenserWaterPumps;
  let cwSpeed = 0;
  let cwKw = 0;
  let towers = 0;
  let dcs = 0;
  let towerFanSpeed = 0;
  let dcFanSpeed = 0;
  let towerFansKw = 0;
  let dcFansKw = 0;
  for (let i = 0; i < FIXED_POINT_ITERATIONS; i++) {
    if (condenserC < returnC) {
      const hxOutC = returnC - effectiveness * (returnC - condenserC);
      economiserKw = (heatKw * (returnC - Math.max(hxOutC, supplySetpointC))) / pwDeltaT;
      hxApproachK = hxOutC - condenserC;
    } else {
      economiserKw = 0;
      hxApproachK = 0;
    }
    chillerLoadKw = heatKw - economiserKw;
    // a trim below 2% of one chiller is left to the loop's thermal mass rather than starting a chiller
    if (chillerLoadKw < 0.02 * S.chiller.capacityKw) chillerLoadKw = 0;
    chillers = chillerLoadKw > 0
      ? stageCount(previous.chillers, chillerLoadKw, S.chiller.capacityKw, { upAt: 0.95, downAt: 0.8, min: 1, max: installed.chillers })
      : 0;
    chillersKw = chillerPowerKw(chillerLoadKw, chillers, chwLeavingC, condenserC);
    const rejectKw = heatKw + chillersKw + chillers * S.chwInjectionPump.ratedPowerKw;

    const cw = S.condenserWaterPump;
    const cwFlow = rejectKw / (WATER_CP_KJ_KG_K * S.condenserWaterDeltaTK);
    cwPumps = stageCount(previous.condenserWaterPumps, cwFlow, cw.ratedFlowKgS, { upAt: 0.9, downAt: 0.75, min: 1, max: installed.condenserWaterPumps });
    cwSpeed = Math.min(1, Math.max(cw.minSpeed, cwFlow / (cwPumps * cw.ratedFlowKgS)));
    cwKw = affinityPowerKw(cw.ratedPowerKw, cwPumps, cwSpeed);

    if (drycoolerMode) {
      towers = 0;
      towerFanSpeed = 0;
      towerFansKw = 0;
      dcs = stageCount(previous.drycoolers, rejectKw, S.drycooler.designRejectKw, { upAt: 0.85, downAt: 0.6, min: 1, max: installed.drycoolers });
      const r = drycoolers(rejectKw, dcs, air.dryBulbC, air.windSpeedMS, towerSetpointC);
      condenserC = r.leavingWaterC;
      dcFanSpeed = r.fanSpeed;
      dcFansKw = r.fanPowerKw;
    } else {
      dcs = 0;
      dcFanSpeed = 0;
      dcFansKw = 0;
      // spreading the water over more cells lets each fan run slower (fan law): cells run 45–60% loaded
      towers = stageCount(previous.coolingTowers, rejectKw, S.coolingTowerCell.designRejectKw, { upAt: 0.6, downAt: 0.45, min: 1, max: installed.coolingTowers });
      const r = coolingTowers(rejectKw, towers, towerWetBulbC, towerSetpointC);
      condenserC = r.leavingWaterC;
      towerFanSpeed = r.fanSpeed;
      towerFansKw = r.fanPowerKw;
    }
  }

  const injectionKw = chillers * S.chwInjectionPump.ratedPowerKw;
  const coolingKw = pwKw + cwKw + towerFansKw + dcFansKw + chillersKw + injectionKw + floorFansKw;
  const facilityKw = itKw + coolingKw + upsKw + transformersKw + lightingKw;
  return {
    state: {
      processWaterPumps: pwPumps,
      condenserWaterPumps: cwPumps,
      coolingTowers: towers,
      chillers,
      drycoolers: dcs,
      upsModules,
      drycoolerMode,
    },
    processWaterPumpSpeed: pwSpeed,
    condenserWaterPumpSpeed: cwSpeed,
    towerFanSpeed,
    drycoolerFanSpeed: dcFanSpeed,
    heatKw,
    economiserKw,
    chillerLoadKw,
    hxApproachK,
    condenserWaterC: condenserC,
    power: {
      it: itKw,
      processWaterPumps: pwKw,
      condenserWaterPumps: cwKw,
      towerFans: towerFansKw,
      drycoolerFans: dcFansKw,
      chillers: chillersKw,
      injectionPumps: injectionKw,
      floorFans: floorFansKw,
      ups: upsKw,
      transformers: transformersKw,
      lighting: lightingKw,
    },
    coolingKw,
    pue: facilityKw / itKw,
  };
}
