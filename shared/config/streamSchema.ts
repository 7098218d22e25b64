import { z } from 'zod';
import { messageFields, messageSchemaNames, messageSchemas } from './messageSchemas.js';
import { topicPatternProblem } from './topicPattern.js';
import { engineWindowing, streamWindowingShape } from './streamWindowing.js';

const identifier = /^[a-z][a-z0-9_]{0,62}$/;

export const modelRefSchema = z.strictObject({
  name: z.string().min(1).describe('model name: the folder under `models/`'),
  version: z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String)
    .describe('model version: the folder under `models/<name>/`'),
});

export const topicPatternSchema = z.string().superRefine((pattern, ctx) => {
  const problem = topicPatternProblem(pattern);
  if (problem) {
    ctx.addIssue({
      code: 'custom',
      message: `topic pattern ${problem}`,
      params: { fix: 'write the MQTT topic with the device or vessel id as one level "{key}", e.g. "driftline/vessels/{key}/position"' },
    });
  }
});

const streamObject = z.strictObject({
  schema: z.enum(messageSchemaNames).describe('message schema every payload is validated against'),
  topic: topicPatternSchema
    .describe('MQTT topic pattern; the level `{key}` is the device or vessel id and must equal the payload\'s key field'),
  key_field: z.string().min(1).optional()
    .describe('payload field holding the key (default: the schema\'s id field, `mmsi` or `plant_id`)'),
  event_time_field: z.string().min(1).optional()
    .describe('payload field holding the event time (default: `timestamp`)'),
  ...streamWindowingShape,
  features: z.string().min(1).describe('feature set the worker extracts for each pane; must equal the model manifest\'s `feature_spec.name`'),
  model: modelRefSchema.describe('model that scores each pane'),
  shadow_model: modelRefSchema.optional()
    .describe('second model scored on the same panes, landed with model_role `shadow` (for comparing a candidate)'),
  sink_table: z.string().regex(identifier, { error: 'must be a lower-case SQL identifier' }).default('predictions')
    .describe('warehouse table the prediction rows land in'),
});

/** One stream: MQTT topic → schema → key → windows → features → model → table. */
export const streamSchema = streamObject
  .superRefine((s, ctx) => {
    const fields = messageFields(s.schema);
    const windowing = engineWindowing(s);
    if (!windowing.ok) {
      for (const issue of windowing.issues) {
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { fix: 'see the windowing keys in the config reference' } });
      }
    }
    for (const key of ['key_field', 'event_time_field'] as const) {
      const field = s[key];
      if (field !== undefined && !fields.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${field}" is not a field of schema ${s.schema}`,
          params: { fix: `use one of: ${fields.join(', ')}` },
        });
      }
    }
  })
  .transform((s) => {
    const windowing = engineWindowing(s);
    if (!windowing.ok) throw new Error('unreachable: windowing issues are reported by the refinement above');
    return {
      ...s,
      key_field: s.key_field ?? messageSchemas[s.schema].keyField,
      event_time_field: s.event_time_field ?? messageSchemas[s.schema].eventTimeField,
      /** the normalised windowing config the engine takes */
      windowing: windowing.config,
    };
  });

export const streamNamePattern = identifier;
export type StreamConfig = z.output<typeof streamSchema>;
export type ModelRef = z.output<typeof modelRefSchema>;
