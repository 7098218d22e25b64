import type { PayloadBits } from '../sixBit.js';
import type { ExtendedPositionReportClassB } from './aisMessage.js';
import { degreesFromTenThousandthMinutes, tenths } from './scaling.js';

/** 312 bits on the air; the last 4 are spare. */
export const TYPE_19_BITS = 308;

/** Type 19: extended class B position report, position plus name, type and dimensions. */
export function decodeType19(bits: PayloadBits): ExtendedPositionReportClassB {
  return {
    class: 'AIS',
    type: 19,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    reserved: bits.uint(38, 8),
    speed: tenths(bits.uint(46, 10)),
    accuracy: bits.bool(56),
    lon: degreesFromTenThousandthMinutes(bits.int(57, 28)),
    lat: degreesFromTenThousandthMinutes(bits.int(85, 27)),
    course: tenths(bits.uint(112, 12)),
    heading: bits.uint(124, 9),
    second: bits.uint(133, 6),
    regional: bits.uint(139, 4),
    shipname: bits.text(143, 20),
    shiptype: bits.uint(263, 8),
    to_bow: bits.uint(271, 9),
    to_stern: bits.uint(280, 9),
    to_port: bits.uint(289, 6),
    to_starboard: bits.uint(295, 6),
    epfd: bits.uint(301, 4),
    raim: bits.bool(305),
    dte: bits.uint(306, 1),
    assigned: bits.bool(307),
  };
}
