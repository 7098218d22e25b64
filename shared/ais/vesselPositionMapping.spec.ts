import { describe, expect, it } from 'vitest';
import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import type { AisReception } from './aisDecoder.js';
import type { AisMessage, LongRangePositionReport, PositionReportClassA } from './messages/aisMessage.js';
import { toVesselPosition } from './vesselPositionMapping.js';

const classA: PositionReportClassA = {
  class: 'AIS', type: 1, repeat: 0, mmsi: 366053209, scaled: true, status: 3, turn: 0, speed: 12.3, accuracy: false,
  lon: -122.341618, lat: 37.802118, course: 219.3, heading: 1, second: 59, maneuver: 0, raim: false, radio: 2281,
};
const longRange: LongRangePositionReport = {
  class: 'AIS', type: 27, repeat: 0, mmsi: 12345, scaled: true, status: 0, accuracy: true, lon: 10.5, lat: -3.25, speed: 12, course: 270, raim: false, gnss: false,
};
const RX = Date.UTC(2026, 10, 29, 12, 0, 3);

function reception(message: AisMessage): AisReception {
  return { message, nmea: ['!AIVDM...'], channel: 'A', source: 'test', station: null, receivedAt: RX, receivedAtFrom: 'receiver', line: 1 };
}

describe('toVesselPosition', () => {
  it('maps a class A report to a vessel position keyed by MMSI, fix time from its UTC second', () => {
    const mapped = toVesselPosition(reception(classA));
    expect(mapped).toEqual({
      kind: 'position',
      key: '366053209',
      value: { mmsi: '366053209', timestamp: RX / 1000 - 4, lat: 37.802118, lon: -122.341618, speed: 12.3, course: 219.3, heading: 1 },
    });
    // the published message passes driftline's own schema
    if (mapped.kind === 'position') expect(vesselPositionSchema.parse(mapped.value).timestamp).toBe(RX - 4000);
  });

  it('turns "not available" speed, course and heading into null, never numbers', () => {
    const mapped = toVesselPosition(reception({ ...classA, speed: 102.3, course: 360, heading: 511, second: 60 }));
    expect(mapped).toMatchObject({ kind: 'position', value: { speed: null, course: null, heading: null, timestamp: RX / 1000 } });
    if (mapped.kind === 'position') expect(vesselPositionSchema.safeParse(mapped.value).success).toBe(true);
  });

  it('nulls values outside their defined range (course 360.1-409.5, heading 360-510)', () => {
    expect(toVesselPosition(reception({ ...classA, course: 409.5, heading: 400 }))).toMatchObject({ value: { course: null, heading: null } });
  });

  it('drops positions that are not available (lat 91 / lon 181) without making them errors', () => {
    expect(toVesselPosition(reception({ ...classA, lat: 91 })).kind).toBe('unavailable');
    expect(toVesselPosition(reception({ ...classA, lon: 181 })).kind).toBe('unavailable');
    expect(toVesselPosition(reception({ ...longRange, lat: 91 })).kind).toBe('unavailable');
  });

  it('makes impossible positions dead letters with the reason', () => {
    expect(toVesselPosition(reception({ ...classA, lat: 95.5 }))).toEqual({ kind: 'impossible', reason: 'lat 95.5 is outside -90..90 (91 would mean not available)' });
    expect(toVesselPosition(reception({ ...classA, lon: -190 }))).toEqual({ kind: 'impossible', reason: 'lon -190 is outside -180..180 (181 would mean not available)' });
  });

  it('maps type 27 with its own sentinels (speed 63, course 511) and keeps the receiver time', () => {
    expect(toVesselPosition(reception(longRange))).toEqual({
      kind: 'position',
      key: '000012345',
      value: { mmsi: '000012345', timestamp: RX / 1000, lat: -3.25, lon: 10.5, speed: 12, course: 270, heading: null },
    });
    expect(toVesselPosition(reception({ ...longRange, speed: 63, course: 511 }))).toMatchObject({ value: { speed: null, course: null } });
  });

  it('does not make positions of base stations, aids to navigation or static data', () => {
    const base = { class: 'AIS', type: 4, repeat: 0, mmsi: 2393200, scaled: true, timestamp: '2015-06-21T09:30:40Z', accuracy: false, lon: 23.6, lat: 37.9, epfd: 1, raim: true, radio: 0 } as const;
    expect(toVesselPosition(reception(base))).toEqual({ kind: 'not-position' });
  });
});
