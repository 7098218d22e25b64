import { type PayloadBits, trimTrailingSpaces } from '../sixBit.js';
import type { AidToNavigationReport } from './aisMessage.js';
import { degreesFromTenThousandthMinutes } from './scaling.js';

/** 272 bits without the optional name extension; bit 271 is spare. */
export const TYPE_21_BITS = 271;

/** Type 21: aid-to-navigation report; up to 14 more name characters may follow bit 272. */
export function decodeType21(bits: PayloadBits): AidToNavigationReport {
  const extensionChars = Math.floor((bits.bitLength - 272) / 6);
  const name = bits.text(43, 20, true);
  // the extension continues the name only when the name fills all 20 characters (no '@' padding)
  const fullName = name.length === 20 && extensionChars > 0 ? name + bits.text(272, extensionChars, true) : name;
  return {
    class: 'AIS',
    type: 21,
    repeat: bits.uint(6, 2),
    mmsi: bits.uint(8, 30),
    scaled: true,
    aid_type: bits.uint(38, 5),
    name: trimTrailingSpaces(fullName),
    lon: degreesFromTenThousandthMinutes(bits.int(164, 28)),
    lat: degreesFromTenThousandthMinutes(bits.int(192, 27)),
    accuracy: bits.bool(163),
    to_bow: bits.uint(219, 9),
    to_stern: bits.uint(228, 9),
    to_port: bits.uint(237, 6),
    to_starboard: bits.uint(243, 6),
    epfd: bits.uint(249, 4),
    second: bits.uint(253, 6),
    regional: bits.uint(260, 8),
    off_position: bits.bool(259),
    raim: bits.bool(268),
    virtual_aid: bits.bool(269),
    assigned: bits.bool(270),
  };
}
