import type { PayloadBits } from '../sixBit.js';
import type { BaseStationReport } from './aisMessage.js';
import { degreesFromTenThousandthMinutes, pad2, pad4 } from './scaling.js';

export const TYPE_4_BITS = 168;

/** Type 4: base station report with the station's UTC date and time. */
export function decodeType4(bits: PayloadBits): BaseStationReport {
  const timestamp =
    `${pad4(bits.uint(38, 14))}-${pad2(bits.uint(52, 4))}-${pad2(bits.uint(56, 5))}` +
    `T${pad2(bits.uint(61, 5))}:${pad2(bits.uint(66, 6))}:${pad2(bits.uint(72, 6))}Z`;
  return {
    class: 'AIS',
    type: 4,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    timestamp,
    accuracy: bits.bool(78),
    lon: degreesFromTenThousandthMinutes(bits.int(79, 28)),
    lat: degreesFromTenThousandthMinutes(bits.int(107, 27)),
    epfd: bits.uint(134, 4),
    raim: bits.bool(148),
    radio: bits.uint(149, 19),
  };
}
