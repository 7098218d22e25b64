import { describe, expect, it } from 'vitest';
import { parseNmeaLine, type VdmSentence } from './nmeaSentence.js';

const withChecksum = (body: string) => {
  let x = 0;
  for (const c of body) x ^= c.charCodeAt(0);
  return `!${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
};

describe('parseNmeaLine', () => {
  it('parses an AIVDM sentence into its fields', () => {
    const s = parseNmeaLine('!AIVDM,2,1,7,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1A\r\n') as VdmSentence;
    expect(s).toMatchObject({ kind: 'vdm', talker: 'AI', ownVessel: false, fragmentCount: 2, fragmentNumber: 1, sequenceId: '7', channel: 'A', fillBits: 0, tagBlock: null });
    expect(s.raw).toBe('!AIVDM,2,1,7,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1A');
  });

  it('accepts other talkers and VDO (own vessel)', () => {
    expect(parseNmeaLine(withChecksum('BSVDO,1,1,,,15M67FC000G?ufbE`FepT@3n00Sa,0'))).toMatchObject({ kind: 'vdm', talker: 'BS', ownVessel: true, channel: '' });
  });

  it('reads a tag block: station, receiver time in seconds or milliseconds, group', () => {
    const line = '\\g:1-2-27300,n:636994,s:b003669710,c:1428621738*5F\\!SAVDM,2,1,2,B,55Mw@A7J1adAL@?;7WPl58F0U<h4pB222222220t1PN5553fN4g?`4iSp5Rc,0*26';
    expect((parseNmeaLine(line) as VdmSentence).tagBlock).toEqual({ station: 'b003669710', receivedAt: 1428621738000, group: '1-2-27300' });
    const ms = `\\${'c:1428621738123'}*${(() => { let x = 0; for (const c of 'c:1428621738123') x ^= c.charCodeAt(0); return x.toString(16).toUpperCase().padStart(2, '0'); })()}\\!AIVDM,1,1,,B,15M67FC000G?ufbE\`FepT@3n00Sa,0*5C`;
    expect((parseNmeaLine(ms) as VdmSentence).tagBlock?.receivedAt).toBe(1428621738123);
  });

  it('skips blanks and comments, and passes over other NMEA sentences', () => {
    expect(parseNmeaLine('   ')).toMatchObject({ kind: 'blank' });
    expect(parseNmeaLine('# comment')).toMatchObject({ kind: 'blank' });
    expect(parseNmeaLine('$GPGLL,4916.45,N,12311.12,W,225444,A,*1D')).toEqual({ kind: 'other', sentenceId: '$GPGLL' });
  });

  it.each([
    ['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0', 'no *hh checksum at the end of the sentence'],
    ['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5D', 'checksum mismatch: computed 5C, sentence says 5D'],
    ['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*ZZ', 'checksum "ZZ" is not two hex digits'],
    [withChecksum('AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa'), 'expected 7 comma-separated fields (id, count, number, sequence id, channel, payload, fill bits)'],
    [withChecksum('AIVDM,0,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0'), 'fragment count is 0'],
    [withChecksum('AIVDM,1,2,,B,15M67FC000G?ufbE`FepT@3n00Sa,0'), 'fragment number 2 is outside 1..1'],
    [withChecksum('AIVDM,x,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0'), 'fragment count "x" is not a digit 1-9'],
    [withChecksum('AIVDM,2,1,12,B,15M67FC000G?ufbE`FepT@3n00Sa,0'), 'sequential message id "12" is not a digit 0-9'],
    [withChecksum('AIVDM,1,1,,B,,0'), 'empty payload'],
    [withChecksum('AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa~,0'), 'payload character "~" at position 29 is not 6-bit armour'],
    [withChecksum('AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,6'), 'fill bits 6 is outside 0-5'],
    [withChecksum('AIVDM,2,1,3,B,15M67FC000G?ufbE`FepT@3n00Sa,2'), 'fill bits 2 on fragment 1 of 2: only the last fragment may have fill bits'],
    [withChecksum('AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0,extra'), 'more than 7 fields'],
    ['$AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C', 'AIS sentences start with "!", not "$"'],
    ['hello', 'not an NMEA sentence: expected "!" or "$" at column 1'],
    ['\\s:x*00\\!AIVDM', 'tag block checksum mismatch: computed 31, line says 00'],
    ['\\s:x!AIVDM', 'tag block is not closed with a backslash'],
    ['\\s:x\\!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C', 'tag block has no *hh checksum'],
    ['\\c:abc*39\\!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C', 'tag block c: "abc" is not a unix time'],
  ])('rejects %s: %s', (line, reason) => {
    expect(parseNmeaLine(line)).toEqual({ kind: 'error', reason });
  });
});
