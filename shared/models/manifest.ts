import { z } from 'zod';

const windowSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tumbling'), size_ms: z.number().int().positive() }),
  z.object({ kind: z.literal('sliding'), size_ms: z.number().int().positive(), period_ms: z.number().int().positive() }),
  z.object({ kind: z.literal('session'), gap_ms: z.number().int().positive() }),
]);

/**
 * `models/<name>/<version>/manifest.json`: everything serving needs to use a model exactly as it was
 * trained, and everything a reader needs to judge it.
 */
export const modelManifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  task: z.enum(['classification', 'regression']),
  created_at: z.string(),
  feature_spec: z.object({
    name: z.string(),
    version: z.number(),
    features: z.array(z.string()),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
  feature_hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** (x - mean) / std per feature, applied by the runtime before the model */
  normalisation: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  /** classification: class names in output order */
  labels: z.array(z.string()).optional(),
  /** regression: the predicted quantity, e.g. `pue` */
  target: z.string().optional(),
  /** the event-time window the model was trained on; the stream should use the same */
  window: windowSpec.optional(),
  training: z.object({
    data: z.string(),
    seed: z.number(),
    split: z.string(),
    train_rows: z.number(),
    test_rows: z.number(),
  }).catchall(z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
});

export type ModelManifest = z.output<typeof modelManifestSchema>;
