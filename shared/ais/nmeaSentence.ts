import { firstInvalidArmour } from './sixBit.js';
import { hex2, hexByte, parseTagBlocks, type TagBlock, xorChecksum } from './tagBlock.js';

/** One `!xxVDM` / `!xxVDO` sentence: a fragment of an AIS message. */
export interface VdmSentence {
  readonly kind: 'vdm';
  /** the line as received (tag block included, line ending removed) */
  readonly raw: string;
  /** two-letter talker: AI (mobile station), AB, BS, SA, ... */
  readonly talker: string;
  /** VDO is the receiver's own vessel; VDM another station */
  readonly ownVessel: boolean;
  readonly fragmentCount: number;
  readonly fragmentNumber: number;
  /** sequential message id tying fragments together; '' for single-sentence messages */
  readonly sequenceId: string;
  /** radio channel A/B (or 1/2); '' when the receiver does not say */
  readonly channel: string;
  readonly payload: string;
  readonly fillBits: number;
  readonly tagBlock: TagBlock | null;
}

/** A line that is not to be decoded and not an error: blank, comment, or another NMEA sentence. */
export interface SkippedLine {
  readonly kind: 'blank' | 'other';
  /** for `other`: the sentence id, e.g. `$GPRMC` */
  readonly sentenceId: string;
}

export interface SentenceError {
  readonly kind: 'error';
  readonly reason: string;
}

export type LineParse = VdmSentence | SkippedLine | SentenceError;

const BLANK: SkippedLine = { kind: 'blank', sentenceId: '' };

function fail(reason: string): SentenceError {
  return { kind: 'error', reason };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Parses one line of an NMEA 0183 feed. Never throws: every malformed line comes back as a
 * SentenceError whose reason names the field at fault.
 */
export function parseNmeaLine(input: string): LineParse {
  let line = input;
  // trim trailing CR/LF/spaces without allocating when there are none
  let last = line.length - 1;
  while (last >= 0 && line.charCodeAt(last) <= 32) last--;
  if (last < 0) return BLANK;
  if (last !== line.length - 1) line = line.slice(0, last + 1);
  let first = 0;
  while (line.charCodeAt(first) <= 32) first++;
  if (first > 0) line = line.slice(first);
  const lead = line.charCodeAt(0);
  if (lead === 35 /* # */) return BLANK;

  let tagBlock: TagBlock | null = null;
  let start = 0;
  if (lead === 92 /* \ */) {
    const parsed = parseTagBlocks(line);
    if ('error' in parsed) return fail(parsed.error);
    tagBlock = parsed.tagBlock;
    start = parsed.end;
  }

  const mark = line.charCodeAt(start);
  if (mark !== 33 /* ! */ && mark !== 36 /* $ */) {
    return fail(`not an NMEA sentence: expected "!" or "$" at column ${start + 1}`);
  }
  const star = line.length - 3;
  if (star <= start || line.charCodeAt(star) !== 42 /* * */) {
    return fail('no *hh checksum at the end of the sentence');
  }
  const stated = hexByte(line, star + 1);
  if (stated < 0) return fail(`checksum "${line.slice(star + 1)}" is not two hex digits`);
  const computed = xorChecksum(line, start + 1, star);
  if (computed !== stated) return fail(`checksum mismatch: computed ${hex2(computed)}, sentence says ${line.slice(star + 1)}`);

  // sentence id: two-letter talker + VDM/VDO
  const idEnd = line.indexOf(',', start);
  if (idEnd < 0) return fail('sentence has no fields');
  const isVdx =
    idEnd - start === 6 &&
    line.charCodeAt(start + 3) === 86 /* V */ &&
    line.charCodeAt(start + 4) === 68 /* D */ &&
    (line.charCodeAt(start + 5) === 77 /* M */ || line.charCodeAt(start + 5) === 79) /* O */;
  if (!isVdx) return { kind: 'other', sentenceId: line.slice(start, idEnd) };
  if (mark !== 33) return fail('AIS sentences start with "!", not "$"');

  // fields: count, number, sequence id, channel, payload, fill bits
  const c1 = idEnd + 1;
  const c2 = line.indexOf(',', c1);
  const c3 = c2 < 0 ? -1 : line.indexOf(',', c2 + 1);
  const c4 = c3 < 0 ? -1 : line.indexOf(',', c3 + 1);
  const c5 = c4 < 0 ? -1 : line.indexOf(',', c4 + 1);
  const c6 = c5 < 0 ? -1 : line.indexOf(',', c5 + 1);
  if (c6 < 0 || c6 > star) return fail('expected 7 comma-separated fields (id, count, number, sequence id, channel, payload, fill bits)');
  if (line.indexOf(',', c6 + 1) >= 0 && line.indexOf(',', c6 + 1) < star) return fail('more than 7 fields');

  if (c2 - c1 !== 1 || !isDigit(line.charCodeAt(c1))) return fail(`fragment count "${line.slice(c1, c2)}" is not a digit 1-9`);
  const fragmentCount = line.charCodeAt(c1) - 48;
  if (fragmentCount === 0) return fail('fragment count is 0');
  if (c3 - c2 !== 2 || !isDigit(line.charCodeAt(c2 + 1))) return fail(`fragment number "${line.slice(c2 + 1, c3)}" is not a digit 1-9`);
  const fragmentNumber = line.charCodeAt(c2 + 1) - 48;
  if (fragmentNumber === 0 || fragmentNumber > fragmentCount) {
    return fail(`fragment number ${fragmentNumber} is outside 1..${fragmentCount}`);
  }
  const sequenceId = c4 - c3 === 1 ? '' : line.slice(c3 + 1, c4);
  if (sequenceId.length > 1 || (sequenceId.length === 1 && !isDigit(sequenceId.charCodeAt(0)))) {
    return fail(`sequential message id "${sequenceId}" is not a digit 0-9`);
  }
  const channel = c5 - c4 === 1 ? '' : line.slice(c4 + 1, c5);
  if (channel.length > 2) return fail(`radio channel "${channel}" is longer than 2 characters`);
  if (c6 - c5 === 1) return fail('empty payload');
  const payload = line.slice(c5 + 1, c6);
  const bad = firstInvalidArmour(payload);
  if (bad >= 0) return fail(`payload character "${payload[bad]}" at position ${bad + 1} is not 6-bit armour`);
  if (star - c6 !== 2 || !isDigit(line.charCodeAt(c6 + 1))) return fail(`fill bits "${line.slice(c6 + 1, star)}" is not a digit 0-5`);
  const fillBits = line.charCodeAt(c6 + 1) - 48;
  if (fillBits > 5) return fail(`fill bits ${fillBits} is outside 0-5`);
  if (fillBits !== 0 && fragmentNumber < fragmentCount) {
    return fail(`fill bits ${fillBits} on fragment ${fragmentNumber} of ${fragmentCount}: only the last fragment may have fill bits`);
  }

  return {
    kind: 'vdm',
    raw: line,
    talker: line.slice(start + 1, start + 3),
    ownVessel: line.charCodeAt(start + 5) === 79,
    fragmentCount,
    fragmentNumber,
    sequenceId,
    channel,
    payload,
    fillBits,
    tagBlock,
  };
}
