import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNmeaLine, type VdmSentence } from '../../shared/ais/nmeaSentence.js';
import { decodePayload } from '../../shared/ais/messages/messageDecoder.js';
import { comparableToGpsd, expectedFromGpsd } from './gpsdComparison.js';

/**
 * Differential test against gpsd: tests/fixtures/ais/gpsd/gpsd-oracle.jsonl holds random messages of
 * every decoded type (sentinels and odd text included) with gpsd 3.22's own decoding of each.
 */
interface OracleRow {
  nmea: string[];
  scaled: Record<string, unknown> | null;
  unscaled: Record<string, unknown> | null;
}

const fixture = new URL('../fixtures/ais/gpsd/gpsd-oracle.jsonl', import.meta.url);
const rows: OracleRow[] = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => JSON.parse(l) as OracleRow);

function decodeRow(nmea: string[]) {
  const sentences = nmea.map((l) => parseNmeaLine(l) as VdmSentence);
  for (const s of sentences) expect(s.kind).toBe('vdm');
  return decodePayload(sentences.map((s) => s.payload).join(''), sentences[sentences.length - 1].fillBits);
}

describe('decoder vs gpsd 3.22 (random messages of every decoded type)', () => {
  it('has the fixture', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500);
  });
  it.each(rows.map((r, i) => [i, r] as const))('row %i', (_i, row) => {
    const result = decodeRow(row.nmea);
    expect(row.scaled).not.toBeNull();
    expect(result.kind).toBe('decoded');
    if (result.kind !== 'decoded') return;
    const expected = expectedFromGpsd(row.scaled!, row.unscaled!);
    const actual = comparableToGpsd(result.message, expected);
    if (result.message.type === 18 || result.message.type === 21) expect(typeof result.message.assigned).toBe('boolean');
    expect(actual).toEqual(expected);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
  });
});
