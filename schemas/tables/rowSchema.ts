import { z } from 'zod';
import type { Column, JsonValue, LogicalType } from './column.js';
import type { RowOf, TableDef } from './tableDef.js';

// BigQuery TIMESTAMP covers 0001-01-01 .. 9999-12-31; a row outside it would be rejected there,
// so it is rejected here too and both warehouses accept the same rows.
export const minTimestampMs = -62_135_596_800_000; // 0001-01-01T00:00:00Z (Date.UTC maps years 0-99 to 19xx)
export const maxTimestampMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Checked by hand rather than with `z.json()`, which rebuilds objects and so drops an own
 * `__proto__` key that `JSON.parse` can produce: the stored JSON must be exactly what was written.
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  // loops rather than every/Object.values: sinks check every row's JSON columns
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (i in value && !isJsonValue(value[i], depth + 1)) return false; // holes are skipped
    return true;
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const o = value as Record<string, unknown>;
    for (const key in o) if (Object.hasOwn(o, key) && !isJsonValue(o[key], depth + 1)) return false; // own enumerable keys
    return true;
  }
  return false;
}

function baseSchema(type: LogicalType): z.ZodType {
  switch (type) {
    case 'string':
      return z.string();
    case 'int64':
      return z.int();
    case 'float64':
      return z.number();
    case 'bool':
      return z.boolean();
    case 'timestamp':
      return z.int().min(minTimestampMs).max(maxTimestampMs).describe('epoch milliseconds UTC');
    case 'json':
      return z.custom<JsonValue>(
        (v) => v !== null && isJsonValue(v),
        'expected a JSON value (object, array, string, finite number or boolean; no undefined, functions, dates)',
      );
  }
}

function columnSchema(column: Column): z.ZodType {
  const base = column.values ? z.enum(column.values as [string, ...string[]]) : baseSchema(column.type);
  return column.nullable ? base.nullable().default(null) : base;
}

const cache = new WeakMap<TableDef, z.ZodType>();

/**
 * The zod schema of a table's rows: every column with its JS type (see column.ts), nullable columns
 * optional (parsed as null), unknown columns refused. Sinks validate rows with it so a bad row
 * becomes a dead letter naming the column, instead of a cryptic warehouse error.
 */
export function rowSchema<D extends TableDef>(def: D): z.ZodType<{ [K in keyof RowOf<D>]-?: RowOf<D>[K] }, RowOf<D>> {
  let schema = cache.get(def);
  if (!schema) {
    schema = z.strictObject(Object.fromEntries(def.columns.map((c) => [c.name, columnSchema(c)])));
    cache.set(def, schema);
  }
  return schema as z.ZodType<{ [K in keyof RowOf<D>]-?: RowOf<D>[K] }, RowOf<D>>;
}

/** One line per problem, `column: message`, for dead-letter details and error messages. */
export function describeRowIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(row)'}: ${i.message}`).join('; ');
}
