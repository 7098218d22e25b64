import type { PayloadBits } from '../sixBit.js';
import type { StaticDataReportA, StaticDataReportB } from './aisMessage.js';

export const TYPE_24A_BITS = 160;
/** 168 bits on the air; the last 6 are spare. */
export const TYPE_24B_BITS = 162;

/** Type 24 part A: the vessel name. */
export function decodeType24A(bits: PayloadBits): StaticDataReportA {
  return {
    class: 'AIS',
    type: 24,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    part: 'A',
    shipname: bits.text(40, 20),
  };
}

/** Auxiliary craft of a mother ship have MMSIs 98MIDxxxx and send the mother ship's MMSI instead of dimensions. */
function isAuxiliaryCraft(mmsi: number): boolean {
  return mmsi >= 980_000_000 && mmsi <= 989_999_999;
}

/** Type 24 part B: ship type, vendor, call sign, dimensions. */
export function decodeType24B(bits: PayloadBits): StaticDataReportB {
  const mmsi = bits.uint(8, 30);
  const common = {
    class: 'AIS' as const,
    type: 24 as const,
    repeat: bits.uint(6, 2),
    mmsi,
    scaled: true as const,
    part: 'B' as const,
    shiptype: bits.uint(40, 8),
    vendorid: bits.text(48, 3),
    model: bits.uint(66, 4),
    serial: bits.uint(70, 20),
    callsign: bits.text(90, 7),
  };
  if (isAuxiliaryCraft(mmsi)) return { ...common, mothership_mmsi: bits.uint(132, 30) };
  return {
    ...common,
    to_bow: bits.uint(132, 9),
    to_stern: bits.uint(141, 9),
    to_port: bits.uint(150, 6),
    to_starboard: bits.uint(156, 6),
  };
}
