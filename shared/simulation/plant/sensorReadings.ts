import type { z } from 'zod';
import type { plantTelemetrySchema } from '../../../schemas/messages/plantTelemetry.js';
import type { Random } from '../random.js';
import type { OperatingPoint } from './plantModel.js';
import { moistAirEnthalpyKjKg, wetBulbStullC } from './psychrometrics.js';
import type { OutsideAir } from './weather.js';

/** A plant telemetry message as devices publish it (event time as ISO text, measured PUE present). */
export type PlantTelemetryMessage = z.input<typeof plantTelemetrySchema>;

/** Sensor and meter errors (1σ); the README gives the reasoning for each. */
export const SENSOR_NOISE = {
  itMeterRelative: 0.001,
  dryBulbK: 0.15,
  relativeHumidityPct: 1.5,
  hxApproachK: 0.05,
  pue: 0.001,
} as const;

/** round to `decimals` places; dividing by a power of ten keeps the printed value short (12.3, not 12.300000000000001) */
const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export interface Reading {
  readonly plantId: string;
  readonly tMs: number;
  readonly serverKw: number;
  readonly networkRoomKw: number;
  readonly air: OutsideAir;
  readonly supplySetpointC: number;
  readonly towerSetpointC: number;
  readonly point: OperatingPoint;
}

/** Outside air as the BMS measures it: noisy dry bulb and RH, wet bulb and enthalpy derived from them. */
export function measureAir(air: OutsideAir, random: Random): OutsideAir {
  const dryBulbC = air.dryBulbC + random.normal(0, SENSOR_NOISE.dryBulbK);
  const rh = clamp(air.relativeHumidityPct + random.normal(0, SENSOR_NOISE.relativeHumidityPct), 1, 100);
  return {
    dryBulbC,
    relativeHumidityPct: rh,
    wetBulbC: wetBulbStullC(dryBulbC, rh),
    enthalpyKjKg: moistAirEnthalpyKjKg(dryBulbC, rh),
    windSpeedMS: air.windSpeedMS,
    windDirectionDeg: air.windDirectionDeg,
  };
}

/** The telemetry message for one sample: the 19 Gao inputs as sensors report them, and the metered PUE. */
export function telemetryMessage(r: Reading, measuredAir: OutsideAir, random: Random): PlantTelemetryMessage {
  const p = r.point;
  const s = p.state;
  return {
    plant_id: r.plantId,
    timestamp: new Date(r.tMs).toISOString(),
    it_load_kw: round(r.serverKw * (1 + random.normal(0, SENSOR_NOISE.itMeterRelative)), 1),
    network_room_it_load_kw: round(r.networkRoomKw * (1 + random.normal(0, SENSOR_NOISE.itMeterRelative)), 1),
    process_water_pumps_running: s.processWaterPumps,
    process_water_pump_vfd_pct: round(100 * p.processWaterPumpSpeed, 1),
    condenser_water_pumps_running: s.condenserWaterPumps,
    condenser_water_pump_vfd_pct: round(100 * p.condenserWaterPumpSpeed, 1),
    cooling_towers_running: s.coolingTowers,
    cooling_tower_lwt_setpoint_c: r.towerSetpointC,
    chillers_running: s.chillers,
    drycoolers_running: s.drycoolers,
    chw_injection_pumps_running: s.chillers,
    chw_injection_pump_setpoint_c: r.supplySetpointC,
    hx_approach_temp_c: round(clamp(p.hxApproachK + (p.hxApproachK > 0 ? random.normal(0, SENSOR_NOISE.hxApproachK) : 0), -10, 30), 2),
    outside_wet_bulb_c: round(clamp(measuredAir.wetBulbC, -60, 45), 2),
    outside_dry_bulb_c: round(clamp(measuredAir.dryBulbC, -60, 60), 2),
    outside_enthalpy_kj_kg: round(clamp(measuredAir.enthalpyKjKg, -100, 300), 2),
    outside_relative_humidity_pct: round(measuredAir.relativeHumidityPct, 1),
    wind_speed_m_s: round(clamp(measuredAir.windSpeedMS, 0, 120), 1),
    // 359.96 would round to 360, which the schema allows but a compass shows as 0
    wind_direction_deg: round(measuredAir.windDirectionDeg, 1) % 360,
    pue: round(clamp(p.pue + random.normal(0, SENSOR_NOISE.pue), 1, 5), 5),
  };
}
