import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import { AisDecoder, type AisReception } from '../../shared/ais/aisDecoder.js';
import { AisIngest } from '../../shared/ais/aisIngest.js';
import { decodePayload } from '../../shared/ais/messages/messageDecoder.js';
import { parseAisCatcherJson } from '../../shared/ais/sources/aisCatcherMessage.js';
import { toVesselPosition } from '../../shared/ais/vesselPositionMapping.js';
import { vesselRecordSchema } from '../../shared/ais/vesselRecord.js';

/**
 * Property tests: whatever arrives — random text, real sentences with random edits, edits with the
 * checksum recomputed so they reach the payload decoder, random payloads of every type — the
 * decoder neither throws nor hangs, every line ends in exactly one outcome, and whatever reaches
 * the features passes the vessel position schema (no "not available" sentinel as a number).
 */
const corpus = [
  ...readFileSync(new URL('../fixtures/ais/pyais/nmea_data_sample.txt', import.meta.url), 'utf8').split('\n'),
  ...readFileSync(new URL('../fixtures/ais/pyais/sample.ais', import.meta.url), 'utf8').split('\n'),
  ...readFileSync(new URL('../fixtures/ais/gpsd/gpsd-oracle.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((l) => (JSON.parse(l) as { nmea: string[] }).nmea),
].filter((l) => l.trim() !== '');

const ARMOUR = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';

function withFreshChecksum(line: string): string {
  const bang = line.indexOf('!');
  const star = line.lastIndexOf('*');
  if (bang < 0 || star < bang) return line;
  let x = 0;
  for (let i = bang + 1; i < star; i++) x ^= line.charCodeAt(i);
  return `${line.slice(0, star + 1)}${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('field' as const), field: fc.integer({ min: 0, max: 7 }), text: fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 12 }).map(String)) }),
  fc.record({ kind: fc.constant('payload' as const), text: fc.string({ unit: fc.constantFrom(...ARMOUR), maxLength: 80 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(line: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (line.length + 1) : 0;
  switch (m.kind) {
    case 'replace':
      return line.slice(0, at) + m.char + line.slice(at + 1);
    case 'delete':
      return line.slice(0, at) + line.slice(at + m.count);
    case 'insert':
      return line.slice(0, at) + m.text + line.slice(at);
    case 'truncate':
      return line.slice(0, at);
    case 'field': {
      const fields = line.split(',');
      fields[m.field % fields.length] = m.text;
      return fields.join(',');
    }
    case 'payload': {
      const fields = line.split(',');
      if (fields.length > 5) fields[5] = m.text;
      return fields.join(',');
    }
  }
}

/** Outcomes summed over all runs of a property, to check the fuzzing reaches every path. */
const totals = { positions: 0, vessels: 0, messages: 0, rejects: 0 };

/** Feeds lines through the full ingest; checks each line has one outcome and everything emitted is valid. */
function feed(lines: string[]): void {
  const outcomes = { positions: 0, vessels: 0, messages: 0, rejects: 0 };
  const ingest = new AisIngest(
    {
      onMessage: () => outcomes.messages++,
      onPosition: (e) => {
        outcomes.positions++;
        const parsed = vesselPositionSchema.safeParse(e.position);
        expect(parsed.success, JSON.stringify(e.position)).toBe(true);
      },
      onVessel: (e) => {
        outcomes.vessels++;
        expect(vesselRecordSchema.safeParse(e.vessel).success, JSON.stringify(e.vessel)).toBe(true);
      },
      onReject: (r) => {
        outcomes.rejects++;
        expect(typeof r.reason).toBe('string');
        expect(r.reason.length).toBeGreaterThan(0);
      },
    },
    { source: 'fuzz', clock: () => 1_800_000_000_000 },
  );
  const start = performance.now();
  for (const line of lines) ingest.pushLine(line);
  ingest.flush();
  for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += outcomes[k];
  // 1 ms per line is orders of magnitude above the decoder's cost: anything slower is a hang in the making
  expect(performance.now() - start).toBeLessThan(200 + lines.length);
  const { stats } = ingest.decoder;
  expect(ingest.decoder.pendingMessages).toBe(0);
  expect(stats.lines).toBe(lines.length);
  // every sentence that parsed was decoded, counted as an unsupported type, or rejected (as part of a message)
  expect(outcomes.messages).toBe(Object.values(stats.decoded).reduce((a, b) => a + b, 0));
}

describe('decoder fuzzing', () => {
  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 120, unit: 'binary' }), { maxLength: 30 }), (lines) => feed(lines)),
      { numRuns: 300 },
    );
  });

  it('random NMEA-looking lines never throw', () => {
    const nmeaish = fc
      .tuple(
        fc.constantFrom('!AIVDM', '!AIVDO', '!BSVDM', '$GPRMC', '!AIVDM'),
        fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: fc.constantFrom(...ARMOUR), maxLength: 70 })), { minLength: 0, maxLength: 8 }),
        fc.boolean(),
      )
      .map(([id, fields, fix]) => {
        const line = `${id},${fields.join(',')}*00`;
        return fix ? withFreshChecksum(line) : line;
      });
    fc.assert(fc.property(fc.array(nmeaish, { maxLength: 30 }), (lines) => feed(lines)), { numRuns: 300 });
  });

  it('real sentences with random edits (checksum kept or recomputed) never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 0, maxLength: 3 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (cases) => feed(cases.map(([line, ms, fix]) => {
          const mutated = ms.reduce(mutate, line);
          return fix ? withFreshChecksum(mutated) : mutated;
        })),
      ),
      { numRuns: 400 },
    );
    // the edits must reach every outcome, not only the checksum check
    expect(totals.positions).toBeGreaterThan(200);
    expect(totals.vessels).toBeGreaterThan(0);
    expect(totals.rejects).toBeGreaterThan(100);
  });

  it('random payloads of every message type decode or are rejected, and mapped positions are always valid', () => {
    const payload = fc
      .tuple(
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 0, max: 90 }).chain((n) => fc.string({ unit: fc.constantFrom(...ARMOUR), minLength: n, maxLength: n })),
        fc.integer({ min: 0, max: 5 }),
      )
      .map(([type, rest, fill]) => ({ payload: ARMOUR[type] + rest, fill }));
    const kinds: Record<string, number> = {};
    fc.assert(
      fc.property(payload, ({ payload, fill }) => {
        const result = decodePayload(payload, fill);
        expect(['decoded', 'unsupported', 'error']).toContain(result.kind);
        kinds[result.kind] = (kinds[result.kind] ?? 0) + 1;
        if (result.kind !== 'decoded') return;
        kinds[`position:${toVesselPosition({ message: result.message } as AisReception).kind}`] = 1;
        const reception: AisReception = { message: result.message, nmea: [payload], channel: 'A', source: 'fuzz', station: null, receivedAt: 1_800_000_000_000, receivedAtFrom: 'arrival', line: 0 };
        const mapped = toVesselPosition(reception);
        if (mapped.kind === 'position') expect(vesselPositionSchema.safeParse(mapped.value).success, JSON.stringify(mapped.value)).toBe(true);
        // JSON output round-trips: no NaN, no Infinity, no undefined values in gpsd JSON
        expect(JSON.parse(JSON.stringify(result.message))).toEqual(result.message);
      }),
      { numRuns: 3000 },
    );
    expect(kinds.decoded).toBeGreaterThan(100);
    expect(kinds.unsupported).toBeGreaterThan(100);
    expect(kinds.error).toBeGreaterThan(100);
    expect(kinds['position:position']).toBe(1);
  });

  it('AIS-catcher payloads of any shape are parsed or rejected, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.record({ nmea: fc.anything(), rxuxtime: fc.anything(), rxtime: fc.anything(), station_id: fc.anything() }).map((o) => JSON.stringify(o) ?? '')), (text) => {
        const parsed = parseAisCatcherJson(text);
        expect('envelope' in parsed || 'error' in parsed).toBe(true);
        if ('envelope' in parsed && parsed.envelope.receivedAt !== null) expect(Number.isFinite(parsed.envelope.receivedAt)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a decoder fed the whole corpus twice, interleaved, stays consistent', () => {
    const decoded: AisReception[] = [];
    const decoder = new AisDecoder({ onMessage: (m) => decoded.push(m), onReject: () => undefined, clock: () => 0 });
    for (let i = 0; i < corpus.length; i++) {
      decoder.pushLine(corpus[i]);
      decoder.pushLine(corpus[corpus.length - 1 - i]);
    }
    decoder.flush();
    expect(decoded.length).toBeGreaterThan(1000);
    expect(decoder.pendingMessages).toBe(0);
  });
});
