import type { z } from 'zod';
import type { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';
import type { AisReception } from './aisDecoder.js';
import { fixTime } from './fixTime.js';

/** A vessel position message as published on the bus (input side of vesselPositionSchema). */
export type VesselPositionMessage = z.input<typeof vesselPositionSchema>;

export type PositionMapping =
  /** `key` is the MMSI, the key of the vessel-track stream */
  | { readonly kind: 'position'; readonly key: string; readonly value: VesselPositionMessage }
  /** a position report without a position (lat 91 / lon 181): counted, not an error */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** values no transmitter may send (lat 95): a dead letter */
  | { readonly kind: 'impossible'; readonly reason: string }
  /** the message is not a vessel position report (base station, static data, aid to navigation) */
  | { readonly kind: 'not-position' };

/** MMSI as the stream key: nine digits, leading zeros kept (they mean coast stations and groups). */
export function mmsiKey(mmsi: number): string {
  return String(mmsi).padStart(9, '0');
}

function nullUnless(value: number, ok: boolean): number | null {
  return ok ? value : null;
}

/**
 * Decoded AIS -> driftline vessel position. AIS "not available" values become null (speed 102.3,
 * course 360, heading 511; type 27 speed 63 and course 511) or drop the position (lat 91,
 * lon 181); values outside their defined range (course 360.1-409.5, heading 360-510) are null too,
 * and a latitude or longitude outside the globe makes the message a dead letter.
 */
export function toVesselPosition(reception: AisReception): PositionMapping {
  const m = reception.message;
  let speed: number | null;
  let course: number | null;
  let heading: number | null;
  let second = 60;
  switch (m.type) {
    case 1:
    case 2:
    case 3:
    case 18:
    case 19:
      speed = nullUnless(m.speed, m.speed < 102.3);
      course = nullUnless(m.course, m.course < 360);
      heading = nullUnless(m.heading, m.heading < 360);
      second = m.second;
      break;
    case 27:
      speed = nullUnless(m.speed, m.speed < 63);
      course = nullUnless(m.course, m.course < 360);
      heading = null;
      break;
    default:
      return { kind: 'not-position' };
  }
  if (m.lat === 91 || m.lon === 181) {
    return { kind: 'unavailable', reason: `type ${m.type} report of MMSI ${m.mmsi} has no position (lat 91 / lon 181 = not available)` };
  }
  if (m.lat < -90 || m.lat > 90) {
    return { kind: 'impossible', reason: `lat ${m.lat} is outside -90..90 (91 would mean not available)` };
  }
  if (m.lon < -180 || m.lon > 180) {
    return { kind: 'impossible', reason: `lon ${m.lon} is outside -180..180 (181 would mean not available)` };
  }
  const key = mmsiKey(m.mmsi);
  return {
    kind: 'position',
    key,
    value: {
      mmsi: key,
      timestamp: fixTime(reception.receivedAt, second) / 1000,
      lat: m.lat,
      lon: m.lon,
      speed,
      course,
      heading,
    },
  };
}
