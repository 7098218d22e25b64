import type { PayloadBits } from '../sixBit.js';
import type { PositionReportClassB } from './aisMessage.js';
import { degreesFromTenThousandthMinutes, tenths } from './scaling.js';

export const TYPE_18_BITS = 168;

/** Type 18: standard class B position report. */
export function decodeType18(bits: PayloadBits): PositionReportClassB {
  return {
    class: 'AIS',
    type: 18,
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
    regional: bits.uint(139, 2),
    cs: bits.bool(141),
    display: bits.bool(142),
    dsc: bits.bool(143),
    band: bits.bool(144),
    msg22: bits.bool(145),
    assigned: bits.bool(146),
    raim: bits.bool(147),
    radio: bits.uint(148, 20),
  };
}
