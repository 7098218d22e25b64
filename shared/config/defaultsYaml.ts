import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { configJsonSchema, variants, type JsonSchemaNode } from './configJsonSchema.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The object variant of `node` that describes `value` (picked by `kind` for tagged unions). */
function variantFor(node: JsonSchemaNode, value: unknown): JsonSchemaNode {
  const alts = variants(node);
  if (alts.length === 1) return alts[0];
  const kind = isPlainObject(value) ? value.kind : undefined;
  return alts.find((a) => a.properties?.kind?.const === kind) ?? alts[0];
}

/** Fills `value` (as written) with every default below `node`, in the input form a user would write. */
function withDefaults(node: JsonSchemaNode, value: unknown): unknown {
  const v = value === undefined ? node.default : value;
  if (!isPlainObject(v)) return v;
  const shape = variantFor(node, v);
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(shape.properties ?? {})) {
    const filled = withDefaults(child, v[k]);
    if (filled !== undefined) out[k] = filled;
  }
  if (typeof shape.additionalProperties === 'object') {
    for (const [k, entry] of Object.entries(v)) out[k] = withDefaults(shape.additionalProperties, entry);
  }
  return out;
}

/** The complete default config, as YAML input (durations as text). */
export function defaultConfigInput(): Record<string, unknown> {
  return withDefaults(configJsonSchema(), {}) as Record<string, unknown>;
}

function annotate(map: YAMLMap, node: JsonSchemaNode, value: Record<string, unknown>, indent: string): void {
  const shape = variantFor(node, value);
  const unsetOptional = Object.entries(shape.properties ?? {}).filter(([k]) => !(k in value));
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const child = shape.properties?.[key] ?? (typeof shape.additionalProperties === 'object' ? shape.additionalProperties : undefined);
    if (!child) continue;
    if (child.description) pair.key.commentBefore = ` ${child.description}`;
    if (indent === '' && pair !== map.items[0]) pair.key.spaceBefore = true;
    if (isMap(pair.value) && isPlainObject(value[key])) annotate(pair.value, child, value[key], `${indent}  `);
  }
  if (unsetOptional.length > 0 && map.items.length > 0 && isScalar(map.items[0].key)) {
    const lines = unsetOptional.map(([k, child]) => `   ${k}: ${child.description ?? ''}`);
    const first = map.items[0].key;
    first.commentBefore = [' optional, unset by default:', ...lines, first.commentBefore ?? ''].filter((l) => l !== '').join('\n');
  }
}

/** `driftline config print-defaults`: the whole default config as commented YAML. */
export function defaultsYaml(): string {
  const value = defaultConfigInput();
  const doc = new Document(value);
  doc.commentBefore = ' driftline.yaml: the built-in defaults (what `driftline run` uses without a file).\n Every key is optional; see the README\'s configuration reference.';
  if (isMap(doc.contents)) annotate(doc.contents, configJsonSchema(), value, '');
  return doc.toString({ lineWidth: 0 });
}
