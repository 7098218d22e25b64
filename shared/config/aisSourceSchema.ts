import { z } from 'zod';
import { positiveDurationSchema } from './durationSchema.js';

const port = z.number().int().min(1).max(65535);

/**
 * `sources.ais`: AIS feeds (NMEA 0183 over TCP, UDP or MQTT; AIS-catcher JSON over MQTT) decoded by
 * `shared/ais/` into a vessel_position stream keyed by MMSI. The MQTT feeds use the pipeline's own broker.
 */
export const aisSourceSchema = z.strictObject({
  stream: z.string().min(1).default('vessels')
    .describe('the stream (schema vessel_position) AIS position reports feed, keyed by MMSI'),
  tcp: z.array(z.strictObject({
    host: z.string().min(1).describe('host of the NMEA feed (AIS-catcher, rtl-ais, an aggregator)'),
    port: port.describe('TCP port of the NMEA feed'),
  }).describe('one NMEA 0183 feed driftline connects to (reconnects with backoff)')).default([])
    .describe('NMEA 0183 feeds over TCP that driftline connects to'),
  udp: z.strictObject({
    host: z.string().min(1).default('0.0.0.0').describe('interface to listen on'),
    port: z.number().int().min(0).max(65535).describe('UDP port receivers send NMEA datagrams to (0 = any free port)'),
  }).optional().describe('listen for NMEA 0183 over UDP; unset = no UDP listener'),
  mqtt_nmea: z.strictObject({
    topic: z.string().min(1).describe('topic filter carrying raw NMEA lines, e.g. `ais/nmea/#`'),
  }).optional().describe('raw NMEA lines on the pipeline\'s MQTT broker; unset = none'),
  ais_catcher: z.strictObject({
    topic: z.string().min(1).describe('AIS-catcher\'s topic template, e.g. `ais/<mmsi>/data` (`<x>`, `%x%`, `{x}` levels match any)'),
  }).optional().describe('AIS-catcher JSON on the pipeline\'s MQTT broker; unset = none'),
  max_fragment_age: positiveDurationSchema.prefault('10s')
    .describe('how long fragments of a multi-sentence message wait for the rest before they become dead letters'),
});

export type AisSourceConfig = z.output<typeof aisSourceSchema>;
