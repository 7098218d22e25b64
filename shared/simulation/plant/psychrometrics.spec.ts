import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dewPointC, moistAirEnthalpyKjKg, relativeHumidityPct, saturationVapourPressureKpa, wetBulbStullC } from './psychrometrics.js';

describe('psychrometrics', () => {
  it('matches published reference values', () => {
    // Stull (2011) worked example: 20 °C, 50% RH → 13.7 °C
    expect(wetBulbStullC(20, 50)).toBeCloseTo(13.7, 1);
    // saturation pressure at 20 °C is 2.339 kPa, at 35 °C 5.629 kPa (ASHRAE Fundamentals table 3): Magnus within 0.5%
    expect(Math.abs(saturationVapourPressureKpa(20) / 2.339 - 1)).toBeLessThan(0.005);
    expect(Math.abs(saturationVapourPressureKpa(35) / 5.629 - 1)).toBeLessThan(0.005);
    // ASHRAE psychrometric chart: 25 °C, 50% RH ≈ 50.3 kJ/kg dry air
    expect(moistAirEnthalpyKjKg(25, 50)).toBeCloseTo(50.3, 0);
    // dry air at 0 °C is the enthalpy zero
    expect(moistAirEnthalpyKjKg(0, 0)).toBe(0);
  });

  it('wet bulb never exceeds dry bulb and approaches it at saturation', () => {
    fc.assert(fc.property(fc.double({ min: -20, max: 50, noNaN: true }), fc.double({ min: 5, max: 99, noNaN: true }), (t, rh) => {
      const tw = wetBulbStullC(t, rh);
      expect(tw).toBeLessThanOrEqual(t);
      expect(Number.isFinite(tw)).toBe(true);
    }));
    for (const t of [0, 10, 25, 35]) expect(t - wetBulbStullC(t, 99)).toBeLessThan(0.7);
  });

  it('wet bulb and enthalpy rise with humidity at a fixed dry bulb', () => {
    for (const t of [5, 20, 35]) {
      expect(wetBulbStullC(t, 80)).toBeGreaterThan(wetBulbStullC(t, 30));
      expect(moistAirEnthalpyKjKg(t, 80)).toBeGreaterThan(moistAirEnthalpyKjKg(t, 30));
    }
  });

  it('dew point and relative humidity invert each other', () => {
    fc.assert(fc.property(fc.double({ min: -30, max: 45, noNaN: true }), fc.double({ min: 2, max: 100, noNaN: true }), (t, rh) => {
      expect(relativeHumidityPct(t, dewPointC(t, rh))).toBeCloseTo(rh, 6);
    }));
  });
});
