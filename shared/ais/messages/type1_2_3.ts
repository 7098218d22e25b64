import type { PayloadBits } from '../sixBit.js';
import type { PositionReportClassA } from './aisMessage.js';
import { degreesFromTenThousandthMinutes, tenths, turnRate } from './scaling.js';

export const TYPE_1_2_3_BITS = 168;

/** Types 1, 2 and 3 share one 168-bit layout (ITU-R M.1371-5 table 45). */
export function decodeType1_2_3(bits: PayloadBits, type: 1 | 2 | 3): PositionReportClassA {
  return {
    class: 'AIS',
    type,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    status: bits.uint(38, 4),
    turn: turnRate(bits.int(42, 8)),
    speed: tenths(bits.uint(50, 10)),
    accuracy: bits.bool(60),
    lon: degreesFromTenThousandthMinutes(bits.int(61, 28)),
    lat: degreesFromTenThousandthMinutes(bits.int(89, 27)),
    course: tenths(bits.uint(116, 12)),
    heading: bits.uint(128, 9),
    second: bits.uint(137, 6),
    maneuver: bits.uint(143, 2),
    raim: bits.bool(148),
    radio: bits.uint(149, 19),
  };
}
