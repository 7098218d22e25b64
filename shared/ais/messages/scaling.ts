import type { TurnRate } from './aisMessage.js';

/**
 * Unit conversions from AIS raw integers to gpsd's scaled JSON values. Results are the doubles
 * that JSON.parse gives for gpsd's printed text, so decoded values compare exactly with gpsd's.
 */

/** 1/10000 minute -> degrees, at gpsd's 6 decimals. raw*5/3 micro-degrees is never a rounding tie. */
export function degreesFromTenThousandthMinutes(raw: number): number {
  return Math.round((raw * 5) / 3) / 1e6;
}

/** 1/10 minute (type 27) -> degrees, kept at 6 decimals rather than gpsd's 1. */
export function degreesFromTenthMinutes(raw: number): number {
  return Math.round((raw * 5000) / 3) / 1e6;
}

/** Tenths (speed in 0.1 knot, course in 0.1 degree, draught in 0.1 m). */
export function tenths(raw: number): number {
  return raw / 10;
}

/** ROT_AIS -> degrees per minute: ROT = (ROT_AIS / 4.733)^2 with its sign, whole degrees as gpsd prints. */
export function turnRate(raw: number): TurnRate {
  if (raw === -128) return 'nan';
  if (raw === 127) return 'fastright';
  if (raw === -127) return 'fastleft';
  const magnitude = Math.round((raw / 4.733) ** 2);
  return raw < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
