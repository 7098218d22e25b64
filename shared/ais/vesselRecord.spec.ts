import { describe, expect, it } from 'vitest';
import { AisDecoder, type AisReception } from './aisDecoder.js';
import { mergeVesselRecord, toVesselUpdate, vesselRecordSchema, VesselRegistry } from './vesselRecord.js';

function decode(lines: string[], receivedAt = 1_000): AisReception {
  const out: AisReception[] = [];
  const decoder = new AisDecoder({ onMessage: (m) => out.push(m), onReject: (r) => expect.fail(r.reason), clock: () => receivedAt });
  for (const l of lines) decoder.pushLine(l);
  expect(out).toHaveLength(1);
  return out[0];
}

const TYPE5 = [
  '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
  '!AIVDM,2,2,1,A,88888888880,2*25',
];

describe('vessel records from static reports', () => {
  it('type 5 fills name, call sign, IMO, type, dimensions, draught and destination', () => {
    const record = mergeVesselRecord(undefined, toVesselUpdate(decode(TYPE5))!);
    expect(record).toEqual({
      mmsi: '351759000', shipname: 'EVER DIADEM', callsign: '3FOF8', imo: 9134270, shiptype: 70,
      to_bow: 225, to_stern: 70, to_port: 1, to_starboard: 31, length: 295, beam: 32, draught: 12.2, destination: 'NEW YORK', updated_at: 1_000,
    });
    expect(vesselRecordSchema.parse(record)).toEqual(record);
  });

  it('merges class B parts A (name) and B (type, call sign, dimensions) in either order', () => {
    const partB = decode(['!AIVDM,1,1,,B,H3`u5VDT47I4dcD@8olnh01P0030,0*2A'], 2_000);
    const registry = new VesselRegistry();
    const afterB = registry.apply(partB)!;
    expect(afterB).toMatchObject({ mmsi: '244270489', shipname: null, shiptype: 36, callsign: 'PH7460', to_bow: 12, to_stern: null, length: null });
    const partA = { ...partB, message: { class: 'AIS', type: 24, repeat: 0, mmsi: 244270489, scaled: true, part: 'A', shipname: 'SY-LUNDE' } } as AisReception;
    const merged = registry.apply({ ...partA, receivedAt: 3_000 })!;
    expect(merged).toMatchObject({ shipname: 'SY-LUNDE', shiptype: 36, callsign: 'PH7460', to_bow: 12, to_starboard: 3, updated_at: 3_000 });
    expect(registry.size).toBe(1);
  });

  it('never lets an older report overwrite a newer one', () => {
    const registry = new VesselRegistry();
    const newer = registry.apply(decode(TYPE5, 5_000))!;
    const older = { ...decode(TYPE5, 1_000) };
    expect(registry.apply(older)).toBe(newer);
  });

  it('ignores messages without static data, and keeps the registry bounded', () => {
    expect(toVesselUpdate(decode(['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C']))).toBeNull();
    const registry = new VesselRegistry(2);
    const base = decode(TYPE5);
    for (const mmsi of [1, 2, 3]) registry.apply({ ...base, message: { ...base.message, mmsi } as AisReception['message'] });
    expect(registry.size).toBe(2);
    expect(registry.get('000000001')).toBeUndefined();
    expect(registry.get('000000003')).toBeDefined();
  });
});
