import { z } from 'zod';
import { driftlineConfigSchema } from './configSchema.js';

/**
 * The config schema as JSON Schema (input side: what a user writes, durations as text, defaults as
 * written). The reference generator, the commented defaults and "did you mean" hints all read it, so
 * they can never drift from the zod schema that validates.
 */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  format?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  minLength?: number;
  pattern?: string;
}

let cached: JsonSchemaNode | undefined;

export function configJsonSchema(): JsonSchemaNode {
  cached ??= z.toJSONSchema(driftlineConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return cached;
}

/** Alternatives of a union node, or the node itself. */
export function variants(node: JsonSchemaNode): JsonSchemaNode[] {
  return node.oneOf ?? node.anyOf ?? [node];
}

/** The schema nodes that may describe the value at `path` (several when a union is on the way). */
export function nodesAt(path: readonly PropertyKey[], root: JsonSchemaNode = configJsonSchema()): JsonSchemaNode[] {
  let nodes = [root];
  for (const seg of path) {
    const next: JsonSchemaNode[] = [];
    for (const node of nodes.flatMap(variants)) {
      if (typeof seg === 'number' && node.items) next.push(node.items);
      else if (node.properties && String(seg) in node.properties) next.push(node.properties[String(seg)]);
      else if (typeof node.additionalProperties === 'object') next.push(node.additionalProperties);
    }
    nodes = next;
  }
  return nodes;
}

/** Keys a mapping at `path` accepts (across union variants). */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const node of nodesAt(path).flatMap(variants)) for (const k of Object.keys(node.properties ?? {})) keys.add(k);
  return [...keys];
}
