import { STANDARD } from './equipment.js';

/** Seasonal + diurnal + synoptic weather of a site; temperatures °C, times in local hours / day of year. */
export interface ClimateConfig {
  readonly meanDryBulbC: number;
  /** half the difference between the warmest and coldest month means */
  readonly seasonalAmplitudeK: number;
  /** day of year of the warmest weather (≈200 north, ≈20 south) */
  readonly warmestDayOfYear: number;
  /** half the typical day–night range, scaled ±30% from winter to summer */
  readonly diurnalAmplitudeK: number;
  /** spread and memory of the multi-day weather anomaly (fronts, heat waves) */
  readonly synopticSigmaK: number;
  readonly meanDewPointC: number;
  readonly seasonalDewPointAmplitudeK: number;
  readonly dewPointSigmaK: number;
  readonly meanWindMS: number;
  readonly prevailingWindDeg: number;
}

/** Server load: fraction of design IT capacity with daily, weekly and random variation. */
export interface ItLoadConfig {
  readonly baseUtilisation: number;
  /** relative amplitude of the daily cycle (peak in the local afternoon/evening) */
  readonly diurnalAmplitude: number;
  readonly peakLocalHour: number;
  /** relative drop on Saturday and Sunday */
  readonly weekendDip: number;
  /** relative growth per year as racks are added */
  readonly growthPerYear: number;
  /** relative spread of the random load anomaly */
  readonly noiseSigma: number;
  /** campus network room, as a fraction of design IT capacity */
  readonly networkRoomFraction: number;
}

/** Operator setpoints and control policy. */
export interface ControlConfig {
  /** process-water supply temperature the chilled-water injection pumps hold, °C */
  readonly supplySetpointC: number;
  /** tower leaving-water setpoint = hourly wet bulb + this offset, rounded to 0.5 K, clamped */
  readonly towerApproachOffsetK: number;
  readonly towerSetpointMinC: number;
  readonly towerSetpointMaxC: number;
  /** below this dry bulb the hall rejects heat through drycoolers instead of towers (null: no drycoolers) */
  readonly drycoolerSwitchC: number | null;
  /** tower plume recirculation: extra wet bulb seen by the towers when the wind blows from `recirculationFromDeg` */
  readonly recirculationMaxK: number;
  readonly recirculationFromDeg: number;
}

export interface PlantConfig {
  readonly plantId: string;
  readonly description: string;
  /** design IT capacity, kW */
  readonly designItKw: number;
  /** local standard time − UTC, hours (no daylight saving: plants run on standard time) */
  readonly utcOffsetHours: number;
  readonly climate: ClimateConfig;
  readonly load: ItLoadConfig;
  readonly control: ControlConfig;
}

/** Installed equipment counts, from the design IT capacity with one spare of each kind (N+1). */
export interface InstalledEquipment {
  readonly processWaterPumps: number;
  readonly condenserWaterPumps: number;
  readonly coolingTowers: number;
  readonly chillers: number;
  readonly drycoolers: number;
}

/** heat to remove at design IT load: IT plus floor fans, UPS losses and lighting, kW */
export function designHeatKw(designItKw: number): number {
  return designItKw * (1 + STANDARD.floorFanFractionAtDesign + 0.03 + STANDARD.lightingFraction);
}

export function installedEquipment(plant: PlantConfig): InstalledEquipment {
  const heat = designHeatKw(plant.designItKw);
  // chillers carrying the whole heat at design add their own power to what the towers reject
  const reject = heat * 1.2;
  const pwFlow = heat / (4.186 * STANDARD.processWaterDeltaTK);
  const cwFlow = reject / (4.186 * STANDARD.condenserWaterDeltaTK);
  return {
    processWaterPumps: Math.ceil(pwFlow / STANDARD.processWaterPump.ratedFlowKgS) + 1,
    condenserWaterPumps: Math.ceil(cwFlow / STANDARD.condenserWaterPump.ratedFlowKgS) + 1,
    coolingTowers: Math.ceil(reject / STANDARD.coolingTowerCell.designRejectKw) + 1,
    chillers: Math.ceil(heat / STANDARD.chiller.capacityKw) + 1,
    drycoolers: plant.control.drycoolerSwitchC === null ? 0 : Math.ceil(reject / STANDARD.drycooler.designRejectKw) + 1,
  };
}
