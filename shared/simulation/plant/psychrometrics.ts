/**
 * Moist-air properties from dry bulb and humidity, as a building-management system derives them from an
 * outdoor temperature/humidity sensor. Sources and validity ranges are in this folder's README.
 */

/** standard sea-level atmospheric pressure, kPa (ASHRAE Fundamentals 2017, ch. 1) */
export const SEA_LEVEL_PRESSURE_KPA = 101.325;

/**
 * Saturation vapour pressure over liquid water, kPa: Magnus form with the Sonntag (1990) / WMO-No. 8
 * coefficients: within 0.5% of the ASHRAE (Hyland–Wexler) table for −20…50 °C (0.3% at 20 °C). Over ice below 0 °C it overstates by up to
 * ~10% at −20 °C; BMS humidity sensors report RH over water too, so this matches what they publish.
 */
export function saturationVapourPressureKpa(tC: number): number {
  return 0.6112 * Math.exp((17.62 * tC) / (243.12 + tC));
}

/** Dew point, °C, from dry bulb and relative humidity (inverse of the same Magnus form). */
export function dewPointC(tC: number, rhPct: number): number {
  const rh = Math.min(100, Math.max(0.1, rhPct));
  const g = Math.log(rh / 100) + (17.62 * tC) / (243.12 + tC);
  return (243.12 * g) / (17.62 - g);
}

/** Relative humidity, %, from dry bulb and dew point. */
export function relativeHumidityPct(tC: number, dewC: number): number {
  const rh = (100 * saturationVapourPressureKpa(Math.min(dewC, tC))) / saturationVapourPressureKpa(tC);
  return Math.min(100, Math.max(0, rh));
}

/**
 * Wet-bulb temperature, °C, from dry bulb and RH at sea-level pressure: Stull (2011), "Wet-Bulb
 * Temperature from Relative Humidity and Air Temperature", J. Appl. Meteor. Climatol. 50, 2267–2269.
 * Stated validity RH 5–99%, T −20…50 °C, error −1…+0.65 K. Outside that range the inputs are clamped
 * to it (RH) and the result capped at the dry bulb, which wet bulb can never exceed.
 */
export function wetBulbStullC(tC: number, rhPct: number): number {
  const rh = Math.min(99, Math.max(5, rhPct));
  const tw =
    tC * Math.atan(0.151977 * Math.sqrt(rh + 8.313659)) +
    Math.atan(tC + rh) -
    Math.atan(rh - 1.676331) +
    0.00391838 * rh ** 1.5 * Math.atan(0.023101 * rh) -
    4.686035;
  return Math.min(tw, tC);
}

/** Humidity ratio, kg water per kg dry air (ASHRAE Fundamentals 2017, ch. 1, eq. 20). */
export function humidityRatio(tC: number, rhPct: number, pressureKpa = SEA_LEVEL_PRESSURE_KPA): number {
  const pw = (Math.min(100, Math.max(0, rhPct)) / 100) * saturationVapourPressureKpa(tC);
  return (0.621945 * pw) / (pressureKpa - pw);
}

/**
 * Specific enthalpy of moist air, kJ per kg dry air, 0 at 0 °C dry air
 * (ASHRAE Fundamentals 2017, ch. 1, eq. 30: h = 1.006 t + W (2501 + 1.86 t)).
 */
export function moistAirEnthalpyKjKg(tC: number, rhPct: number, pressureKpa = SEA_LEVEL_PRESSURE_KPA): number {
  const w = humidityRatio(tC, rhPct, pressureKpa);
  return 1.006 * tC + w * (2501 + 1.86 * tC);
}
