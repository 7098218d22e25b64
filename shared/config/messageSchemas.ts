import type { z } from 'zod';
import { plantTelemetrySchema } from '../../schemas/messages/plantTelemetry.js';
import { vesselPositionSchema } from '../../schemas/messages/vesselPosition.js';

/**
 * The message schemas a stream may name in `driftline.yaml` (`streams.<name>.schema`), with the
 * defaults a stream of that kind uses for its key and event-time fields.
 */
export const messageSchemas = {
  vessel_position: { schema: vesselPositionSchema, keyField: 'mmsi', eventTimeField: 'timestamp' },
  plant_telemetry: { schema: plantTelemetrySchema, keyField: 'plant_id', eventTimeField: 'timestamp' },
} as const satisfies Record<string, { schema: z.ZodObject; keyField: string; eventTimeField: string }>;

export type MessageSchemaName = keyof typeof messageSchemas;

export const messageSchemaNames = Object.keys(messageSchemas) as [MessageSchemaName, ...MessageSchemaName[]];

/** Field names a message of this schema carries (top level). */
export function messageFields(name: MessageSchemaName): string[] {
  return Object.keys(messageSchemas[name].schema.shape);
}
