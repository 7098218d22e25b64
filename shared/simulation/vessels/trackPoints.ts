import type { TrackPoint } from '../../features/trackPoint.js';
import type { VesselPosition } from '../../../schemas/messages/vesselPosition.js';
import type { SimulatedPosition } from './positionEncoder.js';
import type { Delivery } from './vesselDeliveries.js';

/**
 * From messages to the feature extractors' TrackPoints. Event time follows `schemas/messages/eventTime.ts`
 * exactly (unix seconds → round(s·1000); ISO 8601 → Date.parse); a spec checks the two agree.
 */
export function eventTimeMs(timestamp: string | number): number {
  return typeof timestamp === 'number' ? Math.round(timestamp * 1000) : Date.parse(timestamp);
}

/** a published (input-form) position → TrackPoint */
export function trackPointFromInput(p: SimulatedPosition): TrackPoint {
  return { t: eventTimeMs(p.timestamp), lat: p.lat, lon: p.lon, speed: p.speed, course: p.course };
}

/** a validated (output-form, event time in epoch ms) position → TrackPoint */
export function trackPointFromPosition(p: VesselPosition): TrackPoint {
  return { t: p.timestamp, lat: p.lat, lon: p.lon, speed: p.speed, course: p.course };
}

/** group deliveries by vessel, keeping arrival order within each vessel (not sorted by event time) */
export function trackPointsByVessel(deliveries: Iterable<Delivery>): Map<string, TrackPoint[]> {
  const out = new Map<string, TrackPoint[]>();
  for (const d of deliveries) {
    let list = out.get(d.position.mmsi);
    if (list === undefined) out.set(d.position.mmsi, (list = []));
    list.push(trackPointFromInput(d.position));
  }
  return out;
}
