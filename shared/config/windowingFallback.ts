import { z } from 'zod';

/**
 * Stand-in for `shared/windowing/config.ts` and `shared/time/duration.ts` (being written in parallel):
 * the documented shape of a stream's window, watermark, lateness and trigger settings. Replace the
 * imports in `streamSchema.ts` with the windowing engine's own schemas once they land.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_TEXT = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const DURATION_FIX = 'write a duration such as "500ms", "30s", "5m", "24h", "7d", or a whole number of milliseconds';

/** Milliseconds for "30s" / "5m" / "24h" / an integer of ms; undefined when the text is not a duration. */
export function parseDurationMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const m = DURATION_TEXT.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(Math.round(ms)) ? Math.round(ms) : undefined;
}

/** A duration in config: text with a unit or integer ms; normalised to ms. */
export const durationSchema = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration`, params: { fix: DURATION_FIX } });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ format: 'duration' });

export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, {
  message: 'must be longer than 0',
  params: { fix: 'use a positive duration such as "5m"' },
});

export const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tumbling').describe('fixed, non-overlapping windows aligned to the epoch'),
    size: positiveDurationSchema.describe('window length'),
  }).describe('tumbling window'),
  z.strictObject({
    kind: z.literal('sliding').describe('overlapping windows of `size`, one starting every `period`'),
    size: positiveDurationSchema.describe('window length'),
    period: positiveDurationSchema.describe('distance between window starts'),
  }).describe('sliding (hopping) window'),
  z.strictObject({
    kind: z.literal('session').describe('per-key windows that close after `gap` without events'),
    gap: positiveDurationSchema.describe('inactivity gap that ends a session'),
  }).describe('session window'),
]);

export const watermarkSchema = z.strictObject({
  max_out_of_orderness: durationSchema.prefault('0s')
    .describe('how far behind the newest event time an event may arrive and still count as on time'),
  idle_timeout: durationSchema.optional()
    .describe('a key or partition with no input for this long stops holding the watermark back'),
  advance_when_idle: z.boolean().default(false)
    .describe('when every input is idle, advance the watermark by processing time so open windows still fire'),
});

export const triggerSchema = z.strictObject({
  early_every: positiveDurationSchema.optional()
    .describe('emit an early (speculative) pane for each open window this often, in processing time'),
});

/** The windowing keys of one stream, spread into the stream's object schema. */
export const streamWindowingShape = {
  window: windowSchema.describe('event-time window that groups each key\'s events into panes'),
  watermark: watermarkSchema.prefault({}).describe('how the event-time watermark advances'),
  allowed_lateness: durationSchema.prefault('0s')
    .describe('how long after the watermark passes a window\'s end late events still update it (later ones become late_events rows)'),
  max_future_skew: durationSchema.prefault('5m')
    .describe('events this far ahead of the stream\'s event-time clock are routed to late_events instead of advancing the watermark'),
  trigger: triggerSchema.prefault({}).describe('when panes fire besides the final one at watermark ≥ window end'),
};
