import type { LogicalType } from '../../../schemas/tables/column.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';

/**
 * Row values (the JS representation of schemas/tables/column.ts) to the JSON that BigQuery's
 * streaming API (`tabledata.insertAll`) takes, and query results back.
 *
 * - TIMESTAMP goes as an RFC 3339 string in UTC (`2024-05-01T10:00:00.000Z`): unambiguous, unlike the
 *   alternative float of epoch seconds, which loses sub-millisecond digits to binary floating point.
 * - JSON goes as a string holding the JSON text: insertAll parses a JSON column's value from a string
 *   (an object would be read as a STRUCT and refused).
 * - INTEGER goes as a JSON number: rows only hold safe integers (see column.ts), which JSON carries exactly.
 */
export function toBigQueryValue(type: LogicalType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamp':
      return new Date(value as number).toISOString();
    case 'json':
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** A parsed row (every declared column present) as the `json` of one insertAll row; NULLs left out. */
export function toBigQueryRow(def: TableDef, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const column of def.columns) {
    const value = toBigQueryValue(column.type, row[column.name]);
    // an omitted field is NULL to BigQuery; leaving it out keeps requests small
    if (value !== null) json[column.name] = value;
  }
  return json;
}

/** `{ value: '...' }` wrappers (BigQueryTimestamp, BigQueryInt, ...) the Node client builds for query results. */
function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'value' in value && Object.keys(value).length === 1) {
    return (value as { value: unknown }).value;
  }
  return value;
}

/**
 * A value from a query result (as @google-cloud/bigquery returns it) back to the row representation
 * of its column: timestamps to epoch milliseconds, JSON text parsed, integers as numbers.
 */
export function fromBigQueryValue(type: LogicalType, raw: unknown): unknown {
  const value = unwrap(raw);
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamp': {
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'number') return Math.round(value * 1000); // epoch seconds, as tabledata.list gives them
      const ms = Date.parse(String(value));
      if (Number.isNaN(ms)) throw new Error(`BigQuery returned '${String(value)}' for a TIMESTAMP column; expected RFC 3339`);
      return ms;
    }
    case 'int64':
      return typeof value === 'number' ? value : Number(value);
    case 'float64':
      return typeof value === 'number' ? value : Number(value);
    case 'bool':
      return typeof value === 'boolean' ? value : String(value).toLowerCase() === 'true';
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    case 'string':
      return String(value);
  }
}
