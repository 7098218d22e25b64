import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plantPayload, testSetup, vesselPayload } from '../ingest-mqtt/testStreams.js';
import { PubSubMessageDecoder } from './pubsubMessageDecoder.js';

const { streams } = testSetup();
const vessels = new PubSubMessageDecoder('vessels', streams.vessels!, 'deviceId');
const plants = new PubSubMessageDecoder('plants', streams.plants!, 'deviceId');
const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('PubSubMessageDecoder', () => {
  it('keys a valid message by the payload\'s key field, with or without a matching deviceId attribute', () => {
    const payload = vesselPayload('235000001', 1);
    const plain = vessels.decode(bytes(payload), {});
    expect(plain).toMatchObject({ ok: true, key: '235000001' });
    expect(plain.ok && plain.event.lat).toBe(payload.lat);
    expect(vessels.decode(bytes(payload), { deviceId: '235000001', deviceRegistryId: 'fleet' })).toMatchObject({ ok: true, key: '235000001' });
    expect(plants.decode(bytes(plantPayload('hall-7', 2)), { deviceId: 'hall-7' })).toMatchObject({ ok: true, key: 'hall-7' });
  });

  it('makes a deviceId that differs from the payload an identity_mismatch naming both', () => {
    const got = vessels.decode(bytes(vesselPayload('235000001', 1)), { deviceId: '999' });
    expect(got).toEqual({ ok: false, reason: 'identity_mismatch', detail: 'attribute deviceId is "999" but the payload\'s mmsi is "235000001"' });
  });

  it('uses the configured identity attribute only', () => {
    const custom = new PubSubMessageDecoder('vessels', streams.vessels!, 'device');
    expect(custom.decode(bytes(vesselPayload('1', 1)), { deviceId: '2' })).toMatchObject({ ok: true, key: '1' });
    expect(custom.decode(bytes(vesselPayload('1', 1)), { device: '2' })).toMatchObject({ ok: false, reason: 'identity_mismatch' });
  });

  it('gives the MQTT ingest\'s reasons for bad bodies: bad_json, schema_violation, impossible_value', () => {
    expect(vessels.decode(bytes('{"mmsi": "1", "lat":'), {})).toMatchObject({ ok: false, reason: 'bad_json' });
    expect(vessels.decode(Uint8Array.from([0xff, 0xfe, 0x00]), { deviceId: '1' })).toMatchObject({ ok: false, reason: 'bad_json', detail: 'payload is not valid UTF-8' });
    expect(vessels.decode(bytes({ ...vesselPayload('1', 1), lat: 'north' }), {})).toMatchObject({ ok: false, reason: 'schema_violation' });
    expect(vessels.decode(bytes({ ...vesselPayload('1', 1), lat: 95 }), { deviceId: '1' })).toMatchObject({ ok: false, reason: 'impossible_value' });
    // a schema problem wins over the identity claim, as on MQTT
    expect(vessels.decode(bytes({ lat: 1 }), { deviceId: '1' })).toMatchObject({ ok: false, reason: 'schema_violation' });
    expect(vessels.decode(bytes([1, 2]), {})).toMatchObject({ ok: false, reason: 'schema_violation' });
  });

  it('never throws and never accepts a message whose key differs from its claim', () => {
    fc.assert(fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.json().map((j) => new Uint8Array(Buffer.from(j))),
        fc.record({ mmsi: fc.string({ maxLength: 4 }) }).map((r) => new Uint8Array(bytes({ ...vesselPayload('x', 1), ...r })))),
      fc.dictionary(fc.constantFrom('deviceId', 'other'), fc.string({ maxLength: 4 })),
      (payload, attributes) => {
        const got = vessels.decode(payload, attributes);
        if (got.ok) {
          expect(got.key).toBe(String(got.event.mmsi));
          if ('deviceId' in attributes) expect(got.key).toBe(attributes.deviceId);
        }
      },
    ), { numRuns: 300 });
  });
});
