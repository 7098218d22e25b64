/**
 * AIS payload armouring (ITU-R M.1371 / IEC 61162): each payload character carries 6 bits.
 * Characters '0'..'W' (48..87) map to 0..39 and '`'..'w' (96..119) to 40..63.
 *
 * The reader works over the armoured string itself: no bit string or byte array is built, because
 * decoding is on the ingest hot path and most messages are read once, field by field.
 */
const ARMOUR = new Int8Array(128).fill(-1);
for (let c = 48; c <= 87; c++) ARMOUR[c] = c - 48;
for (let c = 96; c <= 119; c++) ARMOUR[c] = c - 56;

/** 6-bit value of an armoured character code, or -1 if the character is not valid armour. */
export function armourValue(charCode: number): number {
  return charCode < 128 ? ARMOUR[charCode] : -1;
}

/** Index of the first character that is not valid armour, or -1 when the whole payload is valid. */
export function firstInvalidArmour(payload: string): number {
  for (let i = 0; i < payload.length; i++) {
    const c = payload.charCodeAt(i);
    if (c >= 128 || ARMOUR[c] < 0) return i;
  }
  return -1;
}

/** The AIS 6-bit text alphabet: value 0 is '@' (padding), 32 is space. */
const SIXBIT_TEXT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/**
 * Random access to the bits of an armoured payload (already checked with firstInvalidArmour).
 * `bitLength` excludes the fill bits of the last sentence.
 */
export class PayloadBits {
  readonly bitLength: number;

  constructor(
    readonly payload: string,
    fillBits: number,
  ) {
    this.bitLength = payload.length * 6 - fillBits;
  }

  /** Unsigned integer of `width` bits (at most 32) starting at bit `start`, most significant bit first. */
  uint(start: number, width: number): number {
    let value = 0;
    let pos = start;
    let remaining = width;
    const payload = this.payload;
    while (remaining > 0) {
      const charIndex = (pos / 6) | 0;
      const offset = pos - charIndex * 6;
      const available = 6 - offset;
      const take = available < remaining ? available : remaining;
      const sixBits = ARMOUR[payload.charCodeAt(charIndex)];
      const bits = (sixBits >> (available - take)) & ((1 << take) - 1);
      // multiply rather than shift so a 32-bit field cannot turn negative
      value = value * (1 << take) + bits;
      pos += take;
      remaining -= take;
    }
    return value;
  }

  /** Two's-complement signed integer of `width` bits. */
  int(start: number, width: number): number {
    const value = this.uint(start, width);
    const sign = 2 ** (width - 1);
    return value >= sign ? value - 2 * sign : value;
  }

  bool(start: number): boolean {
    return this.uint(start, 1) === 1;
  }

  /**
   * Text of `chars` 6-bit characters, cut at the first '@' (AIS padding) and, unless `keepTrailingSpaces`,
   * with trailing spaces removed, as gpsd reports it. Characters past the end of the payload count as padding.
   */
  text(start: number, chars: number, keepTrailingSpaces = false): string {
    let out = '';
    const available = Math.floor((this.bitLength - start) / 6);
    const n = chars < available ? chars : available;
    for (let i = 0; i < n; i++) {
      const v = this.uint(start + i * 6, 6);
      if (v === 0) break;
      out += SIXBIT_TEXT[v];
    }
    return keepTrailingSpaces ? out : trimTrailingSpaces(out);
  }
}

export function trimTrailingSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return end === text.length ? text : text.slice(0, end);
}
