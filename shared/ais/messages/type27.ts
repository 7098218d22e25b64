import type { PayloadBits } from '../sixBit.js';
import type { LongRangePositionReport } from './aisMessage.js';
import { degreesFromTenthMinutes } from './scaling.js';

/** 96 bits on the air; the last one is spare. */
export const TYPE_27_BITS = 95;

/** Type 27: long-range (satellite) position report with coarse position, speed and course. */
export function decodeType27(bits: PayloadBits): LongRangePositionReport {
  return {
    class: 'AIS',
    type: 27,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    status: bits.uint(40, 4),
    accuracy: bits.bool(38),
    lon: degreesFromTenthMinutes(bits.int(44, 18)),
    lat: degreesFromTenthMinutes(bits.int(62, 17)),
    speed: bits.uint(79, 6),
    course: bits.uint(85, 9),
    raim: bits.bool(39),
    gnss: bits.bool(94),
  };
}
