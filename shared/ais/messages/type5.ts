import type { PayloadBits } from '../sixBit.js';
import type { StaticVoyageData } from './aisMessage.js';
import { pad2, tenths } from './scaling.js';

/** 424 bits on the air; the last one is spare, so 423 carry data. */
export const TYPE_5_BITS = 423;

/** Type 5: static and voyage related data (two sentences on most feeds). */
export function decodeType5(bits: PayloadBits): StaticVoyageData {
  return {
    class: 'AIS',
    type: 5,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    imo: bits.uint(40, 30),
    ais_version: bits.uint(38, 2),
    callsign: bits.text(70, 7),
    shipname: bits.text(112, 20),
    shiptype: bits.uint(232, 8),
    to_bow: bits.uint(240, 9),
    to_stern: bits.uint(249, 9),
    to_port: bits.uint(258, 6),
    to_starboard: bits.uint(264, 6),
    epfd: bits.uint(270, 4),
    eta: `${pad2(bits.uint(274, 4))}-${pad2(bits.uint(278, 5))}T${pad2(bits.uint(283, 5))}:${pad2(bits.uint(288, 6))}Z`,
    draught: tenths(bits.uint(294, 8)),
    destination: bits.text(302, 20),
    dte: bits.uint(422, 1),
  };
}
