import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AisDecoder, type AisReception, type AisReject } from '../../shared/ais/aisDecoder.js';
import { comparableToGpsd, expectedFromGpsd } from './gpsdComparison.js';

/**
 * Every sentence of the pyais test files (tests/fixtures/ais/pyais/) is decoded and checked:
 *  - against gpsd 3.22's decoding of the same file (fixtures/ais/gpsd/pyais-gpsd.json), message by message;
 *  - against the values pyais' own tests assert (expected_decodings_from_test_decode.json), exactly;
 *  - every other line is accounted for as a reject with a reason, a comment or a blank.
 */
const dir = new URL('../fixtures/ais/pyais/', import.meta.url);
const gpsd = JSON.parse(readFileSync(new URL('../fixtures/ais/gpsd/pyais-gpsd.json', import.meta.url), 'utf8')) as {
  files: Record<string, Record<string, { scaled: Record<string, unknown>; unscaled: Record<string, unknown> }>>;
};

function decodeFile(name: string) {
  const lines = readFileSync(new URL(name, dir), 'utf8').split('\n');
  const messages = new Map<number, AisReception>();
  const rejects: AisReject[] = [];
  const decoder = new AisDecoder({
    source: name,
    onMessage: (m) => messages.set(m.line, m),
    onReject: (r) => rejects.push(r),
    clock: () => 0,
  });
  lines.forEach((text, i) => decoder.pushLine(text, { line: i + 1 }));
  decoder.flush();
  return { lines, messages, rejects, stats: decoder.stats };
}

/**
 * Lines gpsd decodes and driftline rejects on purpose: their tag block checksum is one hex digit
 * ("*A"), so the tag block (and its receiver time) cannot be trusted. gpsd ignores tag blocks.
 */
const DECODED_TYPES = new Set([1, 2, 3, 4, 5, 18, 19, 21, 24, 27]);

const REJECTED_ON_PURPOSE: Record<string, number[]> = { 'sample.ais': [15, 16] };

describe.each(Object.keys(gpsd.files))('pyais file %s', (name) => {
  const { lines, messages, rejects, stats } = decodeFile(name);
  const expectedByLine = gpsd.files[name];

  it('decodes every message gpsd decodes, with the same values', () => {
    let compared = 0;
    let onlyCounted = 0;
    for (const [line, row] of Object.entries(expectedByLine)) {
      if (REJECTED_ON_PURPOSE[name]?.includes(Number(line))) continue;
      if (!DECODED_TYPES.has(row.scaled.type as number)) {
        onlyCounted++;
        continue;
      }
      const reception = messages.get(Number(line));
      expect(reception, `${name}:${line} ${lines[Number(line) - 1]}`).toBeDefined();
      const expected = expectedFromGpsd(row.scaled, row.unscaled);
      expect(comparableToGpsd(reception!.message, expected), `${name}:${line}`).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(Object.keys(expectedByLine).length - onlyCounted - (REJECTED_ON_PURPOSE[name]?.length ?? 0));
    expect(onlyCounted).toBe(Object.values(stats.unsupported).reduce((a, b) => a + b, 0));
    expect(compared).toBeGreaterThan(0);
  });

  it('decodes nothing gpsd does not, except valid types it only counts', () => {
    for (const line of messages.keys()) expect(expectedByLine[String(line)], `${name}:${line}`).toBeDefined();
  });

  it('accounts for every line: part of a decoded message, a reject with a reason, or a blank/comment', () => {
    const rejectedLines = new Set(rejects.map((r) => r.line));
    const decodedLines = new Set<number>();
    for (const m of messages.values()) {
      // all fragments of a message sit on the lines just above the completing one in these files
      for (let i = 0; i < m.nmea.length; i++) decodedLines.add(m.line - i);
    }
    const unsupported = Object.values(stats.unsupported).reduce((a, b) => a + b, 0);
    let skipped = 0;
    lines.forEach((text, i) => {
      const t = text.trim();
      if (t === '' || t.startsWith('#')) return;
      if (decodedLines.has(i + 1) || rejectedLines.has(i + 1)) return;
      skipped++;
    });
    expect(skipped).toBe(unsupported);
    for (const r of rejects) expect(r.reason.length).toBeGreaterThan(5);
  });
});

describe('pyais file specifics', () => {
  it('nmea_data_sample.txt: 100 empty payloads and 20 first fragments that never complete are rejected, types 15 and 20 counted', () => {
    const { rejects, stats } = decodeFile('nmea_data_sample.txt');
    expect(rejects.filter((r) => r.reason === 'empty payload')).toHaveLength(100);
    const incomplete = rejects.filter((r) => r.reason.startsWith('incomplete message'));
    expect(incomplete).toHaveLength(20);
    expect(incomplete.every((r) => r.sentence.startsWith('!AIVDM,2,1,'))).toBe(true);
    expect(rejects).toHaveLength(120);
    expect(stats.unsupported).toEqual({ 15: 7, 20: 1 });
  });

  it('sample.ais: rejects non-NMEA text, bad tag blocks, a zero fragment count and a bad checksum with reasons', () => {
    const { rejects, messages } = decodeFile('sample.ais');
    const byLine = Object.fromEntries(rejects.map((r) => [r.line, r.reason]));
    expect(byLine[10]).toMatch(/not an NMEA sentence/);
    expect(byLine[12]).toMatch(/tag block checksum/);
    expect(byLine[15]).toMatch(/tag block checksum must be two hex digits/);
    expect(byLine[17]).toMatch(/tag block checksum mismatch: computed 38/);
    expect(byLine[21]).toMatch(/checksum mismatch: computed 16, sentence says 17/);
    // the two-sentence type 5 with valid NMEA 4.10 tag blocks: station and receiver time from fragment 1
    const type5 = messages.get(14)!;
    expect(type5.message).toMatchObject({ type: 5, mmsi: 366989380, shipname: 'MARE ISLAND', callsign: 'WDC2198' });
    expect(type5.station).toBe('b003669710');
    expect(type5.receivedAt).toBe(1428621738_000);
    expect(type5.receivedAtFrom).toBe('receiver');
    expect(type5.nmea).toHaveLength(2);
  });
});

/** pyais' expected values (its field names) mapped onto gpsd's names and types. */
const PYAIS_TO_GPSD: Record<string, string> = { msg_type: 'type', ship_type: 'shiptype', reserved_2: 'regional' };
const BOOLEAN_FIELDS = new Set(['accuracy', 'raim', 'cs', 'display', 'dsc', 'band', 'msg22', 'assigned']);

function gpsdExpectation(pyais: Record<string, unknown>): { exact: Record<string, unknown>; rounded: [string, number, number][] } {
  const exact: Record<string, unknown> = {};
  const rounded: [string, number, number][] = [];
  for (const [key, value] of Object.entries(pyais)) {
    const round = /^(lat|lon)_round(\d)$/.exec(key);
    if (round) {
      rounded.push([round[1], Number(round[2]), value as number]);
      continue;
    }
    const name = PYAIS_TO_GPSD[key] ?? key;
    if (name === 'turn' && typeof value === 'string') {
      // pyais' TurnRate.NO_TI_DEFAULT is raw -128, gpsd's "nan"
      expect(value).toMatch(/NO_TI_DEFAULT/);
      exact.turn = 'nan';
    } else exact[name] = BOOLEAN_FIELDS.has(name) ? Boolean(value) : value;
  }
  return { exact, rounded };
}

describe('pyais test_decode.py expectations', () => {
  const vectors = (
    JSON.parse(readFileSync(new URL('expected_decodings_from_test_decode.json', dir), 'utf8')) as {
      vectors: { test: string; nmea: string[]; expected_exact?: Record<string, unknown>; expected_partial?: Record<string, unknown> }[];
    }
  ).vectors;

  it.each(vectors.map((v) => [v.test, v] as const))('%s', (_name, vector) => {
    const decoded: AisReception[] = [];
    const rejects: AisReject[] = [];
    const decoder = new AisDecoder({ onMessage: (m) => decoded.push(m), onReject: (r) => rejects.push(r), clock: () => 0 });
    for (const line of vector.nmea) decoder.pushLine(line);
    expect(rejects).toEqual([]);
    expect(decoded).toHaveLength(1);
    const message = decoded[0].message as unknown as Record<string, unknown>;
    const { exact, rounded } = gpsdExpectation(vector.expected_exact ?? vector.expected_partial!);
    expect(message).toMatchObject(exact);
    for (const [field, digits, value] of rounded) expect(Number((message[field] as number).toFixed(digits))).toBe(value);
    if (vector.expected_exact) {
      // exact vectors list every field pyais decodes: gpsd's names add only class and scaled
      const { class: _c, scaled: _s, ...rest } = message;
      expect(Object.keys(rest).sort()).toEqual(Object.keys(exact).sort());
    }
  });
});
