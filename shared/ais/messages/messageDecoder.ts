import { PayloadBits } from '../sixBit.js';
import type { AisMessage } from './aisMessage.js';
import { decodeType1_2_3, TYPE_1_2_3_BITS } from './type1_2_3.js';
import { decodeType4, TYPE_4_BITS } from './type4.js';
import { decodeType5, TYPE_5_BITS } from './type5.js';
import { decodeType18, TYPE_18_BITS } from './type18.js';
import { decodeType19, TYPE_19_BITS } from './type19.js';
import { decodeType21, TYPE_21_BITS } from './type21.js';
import { decodeType24A, decodeType24B, TYPE_24A_BITS, TYPE_24B_BITS } from './type24.js';
import { decodeType27, TYPE_27_BITS } from './type27.js';

export type PayloadDecode =
  | { readonly kind: 'decoded'; readonly message: AisMessage }
  /** a valid AIS message of a type driftline does not decode: counted, not an error */
  | { readonly kind: 'unsupported'; readonly type: number }
  | { readonly kind: 'error'; readonly reason: string };

function tooShort(type: string, bits: number, needed: number): PayloadDecode {
  return { kind: 'error', reason: `type ${type} message has ${bits} bits, needs at least ${needed}` };
}

/** Decodes a complete (reassembled) armoured payload. Never throws. */
export function decodePayload(payload: string, fillBits: number): PayloadDecode {
  const bits = new PayloadBits(payload, fillBits);
  const n = bits.bitLength;
  if (n < 38) return { kind: 'error', reason: `payload has ${n} bits, too short for a message type and MMSI (38)` };
  const type = bits.uint(0, 6);
  switch (type) {
    case 1:
    case 2:
    case 3:
      return n < TYPE_1_2_3_BITS ? tooShort(String(type), n, TYPE_1_2_3_BITS) : { kind: 'decoded', message: decodeType1_2_3(bits, type) };
    case 4:
      return n < TYPE_4_BITS ? tooShort('4', n, TYPE_4_BITS) : { kind: 'decoded', message: decodeType4(bits) };
    case 5:
      return n < TYPE_5_BITS ? tooShort('5', n, TYPE_5_BITS) : { kind: 'decoded', message: decodeType5(bits) };
    case 18:
      return n < TYPE_18_BITS ? tooShort('18', n, TYPE_18_BITS) : { kind: 'decoded', message: decodeType18(bits) };
    case 19:
      return n < TYPE_19_BITS ? tooShort('19', n, TYPE_19_BITS) : { kind: 'decoded', message: decodeType19(bits) };
    case 21:
      return n < TYPE_21_BITS ? tooShort('21', n, TYPE_21_BITS) : { kind: 'decoded', message: decodeType21(bits) };
    case 24: {
      if (n < 40) return tooShort('24', n, 40);
      const part = bits.uint(38, 2);
      if (part === 0) return n < TYPE_24A_BITS ? tooShort('24 part A', n, TYPE_24A_BITS) : { kind: 'decoded', message: decodeType24A(bits) };
      if (part === 1) return n < TYPE_24B_BITS ? tooShort('24 part B', n, TYPE_24B_BITS) : { kind: 'decoded', message: decodeType24B(bits) };
      return { kind: 'error', reason: `type 24 part number ${part} is neither A (0) nor B (1)` };
    }
    case 27:
      return n < TYPE_27_BITS ? tooShort('27', n, TYPE_27_BITS) : { kind: 'decoded', message: decodeType27(bits) };
    default:
      if (type >= 1 && type <= 27) return { kind: 'unsupported', type };
      return { kind: 'error', reason: `message type ${type} does not exist (AIS defines 1-27)` };
  }
}
