import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import { deadLetterReasons } from '../../shared/deadLetters/deadLetter.js';
import { decodeMessage } from './payloadDecoder.js';
import { TopicRouter } from './topicRouter.js';
import { plantPayload, vesselPayload } from './testStreams.js';

const router = new TopicRouter(driftlineConfigSchema.parse({}).streams);
const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const vt = (id: string) => `driftline/vessels/${id}/position`;

describe('decodeMessage', () => {
  it('accepts a valid vessel position, normalising event time to epoch ms', () => {
    const d = decodeMessage(router, vt('244660000'), enc(vesselPayload('244660000', 0)));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.route).toMatchObject({ stream: 'vessels', key: '244660000' });
    expect(d.event.timestamp).toBe(1_700_000_000_000);
  });

  it('accepts plant telemetry with an ISO timestamp and defaults pue to null', () => {
    const d = decodeMessage(router, 'driftline/plants/p1/telemetry', enc(plantPayload('p1', 1)));
    expect(d.ok && d.event).toMatchObject({ timestamp: Date.UTC(2024, 0, 1, 0, 5), pue: null });
  });

  const reasons: [string, string, Uint8Array, string, RegExp][] = [
    ['unknown topic', 'driftline/ships/1/position', enc(vesselPayload('1', 0)), 'unknown_topic', /driftline\/ships\/1\/position/],
    ['empty key level', 'driftline/vessels//position', enc(vesselPayload('1', 0)), 'unknown_topic', /no stream/],
    ['truncated JSON', vt('1'), enc('{"mmsi":'), 'bad_json', /JSON/],
    ['empty payload', vt('1'), Buffer.alloc(0), 'bad_json', /JSON/],
    ['invalid UTF-8', vt('1'), Buffer.from([0xc3, 0x28]), 'bad_json', /UTF-8/],
    ['JSON null', vt('1'), enc('null'), 'schema_violation', /\(payload\)/],
    ['missing field', vt('1'), enc({ mmsi: '1', timestamp: 1, lon: 0 }), 'schema_violation', /^lat: /],
    ['string for number', vt('1'), enc({ ...vesselPayload('1', 0), speed: 'fast' }), 'schema_violation', /^speed: /],
    ['unknown field', vt('1'), enc({ ...vesselPayload('1', 0), color: 'red' }), 'schema_violation', /color/],
    ['bad timestamp text', vt('1'), enc({ ...vesselPayload('1', 0), timestamp: 'yesterday' }), 'schema_violation', /^timestamp: /],
    ['lat 95', vt('1'), enc({ ...vesselPayload('1', 0), lat: 95 }), 'impossible_value', /^lat: .*90/],
    ['lon -181', vt('1'), enc({ ...vesselPayload('1', 0), lon: -181 }), 'impossible_value', /^lon: /],
    ['speed 102.3 (AIS not-available sentinel sent as a number)', vt('1'), enc({ ...vesselPayload('1', 0), speed: 102.3 }), 'impossible_value', /^speed: /],
    ['range and type together', vt('1'), enc({ ...vesselPayload('1', 0), lat: 95, lon: 'x' }), 'schema_violation', /lat: .*; lon: /],
    ['identity mismatch', vt('2'), enc(vesselPayload('1', 0)), 'identity_mismatch', /topic carries mmsi "2" but the payload says "1"/],
  ];
  for (const [name, topic, payload, reason, detail] of reasons) {
    it(`${name} → ${reason}`, () => {
      const d = decodeMessage(router, topic, payload);
      expect(d.ok).toBe(false);
      if (d.ok) return;
      expect(d.reason).toBe(reason);
      expect(d.detail).toMatch(detail);
    });
  }

  it('never throws, whatever the topic and bytes', () => {
    fc.assert(fc.property(
      fc.oneof(fc.constant(vt('1')), fc.constant('driftline/plants/1/telemetry'), fc.string()),
      fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map((v) => enc(JSON.stringify(v))), fc.record({
        mmsi: fc.oneof(fc.constant('1'), fc.string()), timestamp: fc.oneof(fc.double(), fc.string()),
        lat: fc.double(), lon: fc.double(), speed: fc.option(fc.double()),
      }).map(enc)),
      (topic, payload) => {
        const d = decodeMessage(router, topic, payload);
        if (!d.ok) expect(deadLetterReasons).toContain(d.reason);
        else expect(String(d.event[d.route.config.key_field])).toBe(d.route.key);
      },
    ), { numRuns: 2000 });
  });
});
