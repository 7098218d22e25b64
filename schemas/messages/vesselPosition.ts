import { z } from 'zod';
import { eventTime } from './eventTime.js';

/**
 * One position report of a vessel, as published on `driftline/vessels/<mmsi>/position`.
 * Units follow gpsd's AIS JSON: speed over ground in knots, course over ground in degrees.
 * AIS "not available" sentinels (speed 102.3, course 360) must be sent as null, never as numbers.
 */
export const vesselPositionSchema = z.strictObject({
  mmsi: z.string().min(1).max(32).describe('vessel id: MMSI or any stable string id'),
  timestamp: eventTime.describe('event time of the fix'),
  lat: z.number().min(-90).max(90).describe('latitude, degrees'),
  lon: z.number().min(-180).max(180).describe('longitude, degrees'),
  speed: z.number().min(0).max(102.2).nullable().default(null).describe('speed over ground, knots; null if not available'),
  course: z.number().min(0).lt(360).nullable().default(null).describe('course over ground, degrees; null if not available'),
  heading: z.number().int().min(0).lt(360).nullable().default(null).describe('true heading, degrees; null if not available'),
});

export type VesselPosition = z.output<typeof vesselPositionSchema>;
