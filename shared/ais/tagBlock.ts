/**
 * NMEA 4.10 tag blocks: `\s:station,c:1428621738*5F\` in front of a sentence. Receivers and
 * aggregators put the receiver time (`c:`, unix seconds) and station (`s:`) there; driftline uses
 * `c:` as the event time of the fix when present.
 */
export interface TagBlock {
  /** `s:` source station id */
  readonly station: string | null;
  /** `c:` receiver time in epoch milliseconds (seconds and milliseconds on the wire are both accepted) */
  readonly receivedAt: number | null;
  /** `g:` sentence grouping `n-m-id`, kept as text */
  readonly group: string | null;
}

export type TagBlockParse = { readonly tagBlock: TagBlock; readonly end: number } | { readonly error: string };

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Two hex digits at `at`, or -1. */
export function hexByte(text: string, at: number): number {
  const hi = hexValue(text.charCodeAt(at));
  const lo = hexValue(text.charCodeAt(at + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

export function xorChecksum(text: string, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= text.charCodeAt(i);
  return sum;
}

export function hex2(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Parses the tag block(s) at the start of `line` (which starts with a backslash). Several
 * consecutive blocks are merged, later fields winning. `end` is the index just after the last one.
 */
export function parseTagBlocks(line: string): TagBlockParse {
  let station: string | null = null;
  let receivedAt: number | null = null;
  let group: string | null = null;
  let pos = 0;
  while (line.charCodeAt(pos) === 92 /* \ */) {
    const close = line.indexOf('\\', pos + 1);
    if (close < 0) return { error: 'tag block is not closed with a backslash' };
    const star = line.lastIndexOf('*', close);
    if (star <= pos) return { error: 'tag block has no *hh checksum' };
    if (close - star !== 3) return { error: `tag block checksum must be two hex digits, found "${line.slice(star + 1, close)}"` };
    const stated = hexByte(line, star + 1);
    const computed = xorChecksum(line, pos + 1, star);
    if (stated !== computed) {
      return { error: `tag block checksum mismatch: computed ${hex2(computed)}, line says ${line.slice(star + 1, close)}` };
    }
    for (const field of line.slice(pos + 1, star).split(',')) {
      const colon = field.indexOf(':');
      if (colon !== 1) return { error: `tag block field "${field}" is not of the form k:value` };
      const value = field.slice(2);
      switch (field[0]) {
        case 's':
          station = value;
          break;
        case 'c': {
          if (!/^\d{1,13}$/.test(value)) return { error: `tag block c: "${value}" is not a unix time` };
          const n = Number(value);
          // 13-digit values are milliseconds (some aggregators), shorter ones seconds (NMEA 4.10)
          receivedAt = value.length >= 12 ? n : n * 1000;
          break;
        }
        case 'g':
          group = value;
          break;
        default:
          break; // d: destination, n: line count, r: relative time, t: text — not needed downstream
      }
    }
    pos = close + 1;
  }
  return { tagBlock: { station, receivedAt, group }, end: pos };
}
