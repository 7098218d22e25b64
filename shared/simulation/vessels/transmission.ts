import type { AisClass } from './reportingProfile.js';

/**
 * Nominal AIS position-report intervals, ITU-R M.1371-5 Annex 1 Table 1 (class A) and class B "CS"
 * (SOTDMA/CSTDMA): what the transponder sends, before any reception loss.
 */
const TURNING_DEG_PER_S = 10 / 60; // "changing course": we take a rate of turn above 10°/min

export function transmissionIntervalS(aisClass: AisClass, sogKn: number, turnDegPerS: number, atAnchor: boolean): number {
  if (aisClass === 'B') return sogKn > 2 ? 30 : 180;
  if (atAnchor && sogKn <= 3) return 180;
  const turning = Math.abs(turnDegPerS) > TURNING_DEG_PER_S;
  if (sogKn > 23) return 2;
  if (sogKn > 14) return turning ? 2 : 6;
  return turning ? 10 / 3 : 10;
}
