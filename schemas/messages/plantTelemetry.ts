import { z } from 'zod';
import { eventTime } from './eventTime.js';

const count = z.number().int().min(0).max(100);
const pct = z.number().min(0).max(100);

/**
 * One 5-minute sample of a data-center cooling plant, published on `driftline/plants/<plant_id>/telemetry`.
 * The 19 inputs follow Gao 2014 ("Machine Learning Applications for Data Center Optimization").
 */
export const plantTelemetrySchema = z.strictObject({
  plant_id: z.string().min(1).max(64).describe('plant or hall id'),
  timestamp: eventTime.describe('event time of the sample'),
  it_load_kw: z.number().min(0).describe('server IT load, kW'),
  network_room_it_load_kw: z.number().min(0).describe('campus network-room IT load, kW'),
  process_water_pumps_running: count,
  process_water_pump_vfd_pct: pct.describe('mean VFD speed of running process-water pumps, %'),
  condenser_water_pumps_running: count,
  condenser_water_pump_vfd_pct: pct.describe('mean VFD speed of running condenser-water pumps, %'),
  cooling_towers_running: count,
  cooling_tower_lwt_setpoint_c: z.number().min(-10).max(50).describe('mean cooling-tower leaving-water-temperature setpoint, °C'),
  chillers_running: count,
  drycoolers_running: count,
  chw_injection_pumps_running: count,
  chw_injection_pump_setpoint_c: z.number().min(-10).max(40).describe('mean chilled-water injection pump setpoint, °C'),
  hx_approach_temp_c: z.number().min(-10).max(30).describe('mean heat-exchanger approach temperature, °C'),
  outside_wet_bulb_c: z.number().min(-60).max(45),
  outside_dry_bulb_c: z.number().min(-60).max(60),
  outside_enthalpy_kj_kg: z.number().min(-100).max(300),
  outside_relative_humidity_pct: pct,
  wind_speed_m_s: z.number().min(0).max(120),
  wind_direction_deg: z.number().min(0).max(360),
  pue: z.number().min(1).max(5).nullable().default(null).describe('measured PUE, when the plant meters it'),
});

export type PlantTelemetry = z.output<typeof plantTelemetrySchema>;

/** The 19 model inputs, in the order models see them. */
export const plantInputFields = [
  'it_load_kw', 'network_room_it_load_kw',
  'process_water_pumps_running', 'process_water_pump_vfd_pct',
  'condenser_water_pumps_running', 'condenser_water_pump_vfd_pct',
  'cooling_towers_running', 'cooling_tower_lwt_setpoint_c',
  'chillers_running', 'drycoolers_running',
  'chw_injection_pumps_running', 'chw_injection_pump_setpoint_c',
  'hx_approach_temp_c',
  'outside_wet_bulb_c', 'outside_dry_bulb_c', 'outside_enthalpy_kj_kg',
  'outside_relative_humidity_pct', 'wind_speed_m_s', 'wind_direction_deg',
] as const satisfies readonly (keyof PlantTelemetry)[];
