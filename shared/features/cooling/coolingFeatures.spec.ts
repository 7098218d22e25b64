import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plantInputFields, plantTelemetrySchema, type PlantTelemetry } from '../../../schemas/messages/plantTelemetry.js';
import { featureHash } from '../featureSpec.js';
import { coolingFeatureHash, coolingFeatureSpec } from './coolingFeatureSpec.js';
import { COOLING_FEATURE_WIDTH, coolingFeatureRows, coolingFeatures } from './coolingFeatures.js';

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const count = fc.integer({ min: 0, max: 100 });

/** any message the schema accepts, parsed as the stream would hand it to the feature code */
const telemetry: fc.Arbitrary<PlantTelemetry> = fc
  .record({
    plant_id: fc.constantFrom('hall-a', 'hall-b'),
    timestamp: fc.integer({ min: 0, max: 4_000_000_000 }),
    it_load_kw: num(0, 1e6),
    network_room_it_load_kw: num(0, 1e5),
    process_water_pumps_running: count,
    process_water_pump_vfd_pct: num(0, 100),
    condenser_water_pumps_running: count,
    condenser_water_pump_vfd_pct: num(0, 100),
    cooling_towers_running: count,
    cooling_tower_lwt_setpoint_c: num(-10, 50),
    chillers_running: count,
    drycoolers_running: count,
    chw_injection_pumps_running: count,
    chw_injection_pump_setpoint_c: num(-10, 40),
    hx_approach_temp_c: num(-10, 30),
    outside_wet_bulb_c: num(-60, 45),
    outside_dry_bulb_c: num(-60, 60),
    outside_enthalpy_kj_kg: num(-100, 300),
    outside_relative_humidity_pct: num(0, 100),
    wind_speed_m_s: num(0, 120),
    wind_direction_deg: num(0, 360),
    pue: fc.option(num(1, 5), { nil: null }),
  })
  .map((m) => plantTelemetrySchema.parse(m));

describe('coolingFeatures', () => {
  it('is finite and of the spec width for any valid window', () => {
    fc.assert(fc.property(fc.array(telemetry, { minLength: 1, maxLength: 12 }), (window) => {
      const f = coolingFeatures(window);
      expect(f.length).toBe(COOLING_FEATURE_WIDTH);
      expect(f.length).toBe(coolingFeatureSpec.features.length);
      for (const v of f) expect(Number.isFinite(v)).toBe(true);
    }));
  });

  it('gives one sample its 19 inputs in schema order, then the pump affinity indices', () => {
    fc.assert(fc.property(telemetry, (s) => {
      const f = coolingFeatures([s]);
      // === rather than toBe: the running sum turns an input of -0 into +0, the same number
      plantInputFields.forEach((name, j) => expect(f[j] === Math.fround(s[name])).toBe(true));
      expect(f[19]).toBeCloseTo(s.process_water_pumps_running * (s.process_water_pump_vfd_pct / 100) ** 3, 3);
      expect(f[20]).toBeCloseTo(s.condenser_water_pumps_running * (s.condenser_water_pump_vfd_pct / 100) ** 3, 3);
    }));
    expect(coolingFeatureSpec.features.slice(0, 19)).toEqual([...plantInputFields]);
  });

  it('summarises a window by the mean of each feature, independent of sample order', () => {
    fc.assert(fc.property(fc.array(telemetry, { minLength: 2, maxLength: 8 }), (window) => {
      const f = coolingFeatures(window);
      const reversed = coolingFeatures([...window].reverse());
      const singles = window.map((s) => coolingFeatures([s]));
      for (let j = 0; j < COOLING_FEATURE_WIDTH; j++) {
        const col = singles.map((v) => v[j]);
        const mean = col.reduce((a, b) => a + b, 0) / col.length;
        expect(f[j]).toBeCloseTo(mean, Math.abs(mean) > 1e4 ? -1 : 3);
        expect(reversed[j]).toBeCloseTo(f[j], Math.abs(mean) > 1e4 ? -1 : 3);
      }
    }));
  });

  it('bulk rows equal the one-sample vectors', () => {
    fc.assert(fc.property(fc.array(telemetry, { minLength: 1, maxLength: 6 }), (samples) => {
      const rows = coolingFeatureRows(samples);
      samples.forEach((s, i) => expect(rows.subarray(i * COOLING_FEATURE_WIDTH, (i + 1) * COOLING_FEATURE_WIDTH)).toEqual(coolingFeatures([s])));
    }));
  });

  it('refuses an empty window and hashes the spec it publishes', () => {
    expect(() => coolingFeatures([])).toThrow(/no samples/);
    expect(coolingFeatureHash).toBe(featureHash(coolingFeatureSpec));
    expect(coolingFeatureHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
