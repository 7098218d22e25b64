import { z } from 'zod';
import { DurationError, parseDuration } from '../time/duration.js';

const DURATION_FIX = 'write a duration such as "500ms", "30s", "5m", "1h30m", "24h", "7d", or a whole number of milliseconds';

/**
 * A duration in driftline.yaml, parsed by the windowing engine's own parser (`shared/time/duration.ts`)
 * so every key accepts the same forms; normalised to integer ms.
 */
export const durationSchema = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof DurationError ? err.message : String(err), params: { fix: DURATION_FIX } });
      return z.NEVER;
    }
  })
  .meta({ format: 'duration' });

export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, {
  message: 'must be longer than 0',
  params: { fix: 'use a positive duration such as "5m"' },
});
