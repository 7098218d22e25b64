import { z } from 'zod';
import { windowingConfigSchema, type WindowingConfig } from '../windowing/config.js';
import { durationSchema, positiveDurationSchema } from './durationSchema.js';

/**
 * The windowing keys of a stream, spelled out here with a description each so the config reference
 * documents every key. The windowing engine's own schema (`shared/windowing/config.ts`) then
 * validates the same values again, which adds its cross-field rules (sliding period ≤ size, offset <
 * step) and yields the normalised `WindowingConfig` the engine takes. A spec checks that the defaults
 * here equal the engine's.
 */
const offset = durationSchema.prefault('0s').describe('shifts window boundaries from the epoch, e.g. 1h windows starting at :30 with offset 30m');

export const windowSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tumbling').describe('fixed, non-overlapping windows of `size`'),
    size: positiveDurationSchema.describe('window length'),
    offset,
  }).describe('tumbling window'),
  z.strictObject({
    kind: z.literal('sliding').describe('overlapping windows of `size`, one starting every `period`'),
    size: positiveDurationSchema.describe('window length'),
    period: positiveDurationSchema.describe('distance between window starts (≤ size)'),
    offset,
  }).describe('sliding (hopping) window'),
  z.strictObject({
    kind: z.literal('session').describe('per-key windows that close after `gap` without events'),
    gap: positiveDurationSchema.describe('inactivity gap that ends a session'),
  }).describe('session window'),
]);

export const watermarkSchema = z.strictObject({
  max_out_of_orderness: durationSchema.prefault('0s')
    .describe('how far behind the newest event time of a partition its stragglers may still arrive on time'),
  idle_timeout: positiveDurationSchema.nullable().prefault('1m')
    .describe('processing time after which a silent partition stops holding the watermark back (null = never)'),
  advance_when_idle: z.boolean().default(false)
    .describe('when every partition is idle, let the watermark advance with processing time so open windows still fire'),
});

export const triggerSchema = z.strictObject({
  early_every: positiveDurationSchema.nullable().default(null)
    .describe('emit EARLY panes this long (processing time) after the first unfired event of a window (null = only on-time and late panes)'),
});

/** Spread into the stream object schema. */
export const streamWindowingShape = {
  window: windowSchema.describe('event-time window that groups each key\'s events into panes'),
  watermark: watermarkSchema.prefault({}).describe('how the event-time watermark advances'),
  allowed_lateness: durationSchema.prefault('0s')
    .describe('how long after the watermark passes a window\'s end late events still update it (later ones become late_events rows)'),
  max_future_skew: durationSchema.prefault('5m')
    .describe('events further ahead of the watermark than this are side-lined as late_events (a device with a fast clock cannot close everyone\'s windows)'),
  trigger: triggerSchema.prefault({}).describe('when panes fire besides the on-time one at watermark ≥ window end'),
  accumulation: z.enum(['accumulating', 'discarding']).default('accumulating')
    .describe('whether each pane of a window carries all its events so far (accumulating) or only those since the previous pane (discarding)'),
};

type WindowingKeys = { [K in keyof typeof streamWindowingShape]: z.output<(typeof streamWindowingShape)[K]> };

/** The engine's verdict on the values: its normalised config, or its issues (paths relative to the stream). */
export function engineWindowing(values: WindowingKeys):
  | { ok: true; config: WindowingConfig }
  | { ok: false; issues: { path: PropertyKey[]; message: string }[] } {
  const result = windowingConfigSchema.safeParse({
    window: values.window,
    watermark: values.watermark,
    allowed_lateness: values.allowed_lateness,
    max_future_skew: values.max_future_skew,
    trigger: values.trigger,
    accumulation: values.accumulation,
  });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, issues: result.error.issues.map((i) => ({ path: [...i.path], message: i.message })) };
}
