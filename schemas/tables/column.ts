/**
 * The column DSL: every warehouse table is declared once as a list of columns, and the zod row
 * schema, the DuckDB DDL and the BigQuery table schema are generated from it, so the local
 * warehouse and BigQuery cannot drift apart.
 *
 * JS representation of each logical type (what writers put in a row and readers get back):
 * - `string`    string
 * - `int64`     number (a safe integer; rows never need more than 2^53)
 * - `float64`   number (finite: BigQuery's streaming API cannot carry NaN or Infinity in JSON)
 * - `bool`      boolean
 * - `timestamp` number, epoch milliseconds UTC (the same representation as event time on the bus)
 * - `json`      any JSON value (object, array, string, number, boolean)
 */
export type LogicalType = 'string' | 'int64' | 'float64' | 'bool' | 'timestamp' | 'json';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Column<
  N extends string = string,
  T extends LogicalType = LogicalType,
  Null extends boolean = boolean,
  V extends string = string,
> {
  readonly name: N;
  readonly type: T;
  /** nullable columns may be omitted from a row (they land as NULL); BigQuery mode NULLABLE */
  readonly nullable: Null;
  /** shown to analysts: BigQuery column description, DuckDB COMMENT, README table reference */
  readonly description: string;
  /** `string` columns only: the closed set of values the row schema accepts */
  readonly values?: readonly V[];
}

export interface ColumnOptions<V extends string> {
  readonly values?: readonly V[];
}

/** A column every row must fill (BigQuery REQUIRED, DuckDB NOT NULL). */
export function required<const N extends string, const T extends LogicalType, const V extends string = string>(
  name: N,
  type: T,
  description: string,
  options: ColumnOptions<V> = {},
): Column<N, T, false, V> {
  return { name, type, nullable: false, description, ...(options.values ? { values: options.values } : {}) };
}

/** A column that may be NULL (BigQuery NULLABLE); a row may leave it out. */
export function nullable<const N extends string, const T extends LogicalType, const V extends string = string>(
  name: N,
  type: T,
  description: string,
  options: ColumnOptions<V> = {},
): Column<N, T, true, V> {
  return { name, type, nullable: true, description, ...(options.values ? { values: options.values } : {}) };
}

/** The JS type a column holds in a row (see the table at the top of this file). */
export type JsOf<C extends Column> = C['type'] extends 'string'
  ? C extends Column<string, 'string', boolean, infer V> ? V : string
  : C['type'] extends 'int64' | 'float64' | 'timestamp'
    ? number
    : C['type'] extends 'bool'
      ? boolean
      : JsonValue;
