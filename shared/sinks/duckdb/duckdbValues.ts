import { DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';
import type { LogicalType } from '../../../schemas/tables/column.js';

/**
 * Row values (the JS representation of schemas/tables/column.ts) to the values DuckDB's appender
 * takes, and back. Timestamps travel as epoch milliseconds in rows and as microseconds in DuckDB;
 * JSON travels as text.
 */
export function toDuckdbValue(type: LogicalType, value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return value as string;
    case 'int64':
      return BigInt(value as number);
    case 'float64':
      return value as number;
    case 'bool':
      return value as boolean;
    case 'timestamp':
      return new DuckDBTimestampValue(BigInt(value as number) * 1000n);
    case 'json':
      return JSON.stringify(value);
  }
}

function toSafeNumber(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** A stored value back to the row representation of its column. */
export function fromDuckdbValue(type: LogicalType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'int64':
      return typeof value === 'bigint' ? toSafeNumber(value) : value;
    case 'timestamp':
      return value instanceof DuckDBTimestampValue ? Number(value.micros / 1000n) : value;
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

/**
 * Any query result value as plain JSON-friendly data, for `driftline query` output: big integers as
 * numbers when safe, timestamps as ISO 8601 UTC, other DuckDB value objects as their SQL text.
 */
export function toPlainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return toSafeNumber(value);
  if (value instanceof DuckDBTimestampValue) {
    if (!value.isFinite) return value.toString();
    const ms = value.micros / 1000n;
    return ms >= -8_640_000_000_000_000n && ms <= 8_640_000_000_000_000n ? new Date(Number(ms)).toISOString() : value.toString();
  }
  if (typeof value === 'object' && !Array.isArray(value) && value.constructor !== Object) return String(value);
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlainValue(v)]));
  }
  return value;
}
