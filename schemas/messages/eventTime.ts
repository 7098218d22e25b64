import { z } from 'zod';

/**
 * Event time as devices send it: ISO 8601 text or unix seconds (AIS receivers and many loggers use
 * the latter). Normalised to epoch milliseconds so the windowing engine sees one representation.
 */
export const eventTime = z
  .union([
    z.number().finite().describe('unix seconds'),
    z.iso.datetime({ offset: true }).describe('ISO 8601 date-time'),
  ])
  .transform((v) => (typeof v === 'number' ? Math.round(v * 1000) : Date.parse(v)));
