import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTime, parseIsoDateTime } from './eventTime.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('eventTime', () => {
  it('reads toISOString-shaped date-times as Date.parse does, for every valid date and time', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (d) => {
      const iso = d.toISOString();
      expect(parseIsoDateTime(iso)).toBe(Date.parse(iso));
      expect(parseIsoDateTime(iso)).toBe(d.getTime());
    }), { numRuns: 2000 });
  });

  it('agrees with Date.parse on near-misses: other offsets and precisions, impossible fields, non-digits', () => {
    const field = (w: number) => fc.oneof(fc.nat({ max: 10 ** w - 1 }).map((n) => pad(n, w)), fc.constantFrom('x'.repeat(w), ' '.repeat(w), '-'.repeat(w)));
    fc.assert(fc.property(field(4), field(2), field(2), field(2), field(2), field(2), field(3), fc.constantFrom('Z', 'z', '+00:00', ''), (y, mo, d, h, mi, s, ms, zone) => {
      const text = `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone}`;
      expect(Object.is(parseIsoDateTime(text), Date.parse(text))).toBe(true);
    }), { numRuns: 3000 });
    for (const text of ['2024-02-29T12:00:00.000Z', '2023-02-29T12:00:00.000Z', '1900-02-29T00:00:00.000Z', '2000-02-29T00:00:00.000Z',
      '2024-04-31T00:00:00.000Z', '0099-01-01T00:00:00.000Z', '2024-01-01T24:00:00.000Z', '2024-01-01T00:00:60.000Z', '2024-01-01T00:00:00Z']) {
      expect(Object.is(parseIsoDateTime(text), Date.parse(text)), text).toBe(true);
    }
  });

  it('normalises ISO text and unix seconds to epoch ms through the schema', () => {
    expect(eventTime.parse('2024-01-01T00:00:00.050Z')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 50));
    expect(eventTime.parse('2024-01-01T01:00:00+01:00')).toBe(Date.UTC(2024, 0, 1));
    expect(eventTime.parse(1_700_000_000.5)).toBe(1_700_000_000_500);
  });
});
