import type { Column, JsOf } from './column.js';

/**
 * What happens when a row arrives whose primary key is already stored. Rows are keyed by
 * deterministic ids, so a replay after a crash writes the same key again:
 * - `ignore`: the stored row wins (a replayed prediction is the same prediction).
 * - `latest`: the row with the greater `versionColumn` wins (reference data such as vessel details,
 *   where a newer report supersedes an older one and a replayed older report must not win).
 */
export type ConflictPolicy =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'latest'; readonly versionColumn: string };

export interface TableDef<C extends readonly Column[] = readonly Column[]> {
  readonly name: string;
  readonly description: string;
  readonly columns: C;
  readonly primaryKey: C[number]['name'];
  readonly onConflict: ConflictPolicy;
  /** BigQuery time partitioning on a timestamp column (DuckDB ignores it: zone maps do the job) */
  readonly partitioning?: { readonly column: C[number]['name']; readonly granularity: 'HOUR' | 'DAY' | 'MONTH' };
  /** BigQuery clustering columns, at most 4, in order */
  readonly clustering?: readonly C[number]['name'][];
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A row of a table as writers build it: nullable columns may be omitted or null. */
export type RowOf<D extends TableDef> = Simplify<
  { [C in D['columns'][number] as C['nullable'] extends true ? never : C['name']]: JsOf<C> } & {
    [C in D['columns'][number] as C['nullable'] extends true ? C['name'] : never]?: JsOf<C> | null;
  }
>;

// BigQuery column names: letters, digits, underscores, not starting with a digit, at most 300 chars.
// Lower snake case also keeps DuckDB identifiers free of quoting surprises.
const columnName = /^[a-z_][a-z0-9_]{0,299}$/;

/**
 * Declares a table and checks the declaration, so a mistake fails when the module loads (in every
 * test) rather than when BigQuery or DuckDB first sees the table.
 */
export function defineTable<const C extends readonly Column[]>(def: TableDef<C>): TableDef<C>;
/** A declaration built at run time (e.g. a test deriving a grown table from an existing one). */
export function defineTable(def: TableDef): TableDef;
export function defineTable(def: TableDef): TableDef {
  const where = `table '${def.name}' (schemas/tables)`;
  const fail = (problem: string, fix: string): never => {
    throw new Error(`${where}: ${problem}; ${fix}`);
  };
  if (!columnName.test(def.name)) fail(`name '${def.name}' is not lower snake case`, 'rename it');
  if (!def.description.trim()) fail('has no description', 'describe the table for analysts');
  const byName = new Map<string, Column>();
  for (const column of def.columns) {
    if (!columnName.test(column.name)) fail(`column '${column.name}' is not lower snake case`, 'rename it');
    if (byName.has(column.name)) fail(`column '${column.name}' is declared twice`, 'remove one');
    if (!column.description.trim()) fail(`column '${column.name}' has no description`, 'describe it for analysts');
    if (column.values && column.type !== 'string') {
      fail(`column '${column.name}' lists values but is ${column.type}`, 'use values only on string columns');
    }
    byName.set(column.name, column);
  }
  const pk = byName.get(def.primaryKey);
  if (!pk) fail(`primary key '${def.primaryKey}' is not a column`, 'name one of its columns');
  else if (pk.nullable) fail(`primary key '${def.primaryKey}' is nullable`, 'declare it with required()');
  if (def.onConflict.kind === 'latest' && !byName.has(def.onConflict.versionColumn)) {
    fail(`onConflict.versionColumn '${def.onConflict.versionColumn}' is not a column`, 'name one of its columns');
  }
  if (def.partitioning) {
    const column = byName.get(def.partitioning.column);
    if (!column || column.type !== 'timestamp') {
      fail(`partitioning column '${def.partitioning.column}' is not a timestamp column`, 'partition on a timestamp');
    }
  }
  if (def.clustering) {
    if (def.clustering.length > 4) fail('clusters on more than 4 columns', 'BigQuery allows at most 4');
    for (const name of def.clustering) {
      if (!byName.has(name)) fail(`clustering column '${name}' is not a column`, 'name one of its columns');
    }
  }
  return def;
}

export function columnOf(def: TableDef, name: string): Column {
  const column = def.columns.find((c) => c.name === name);
  if (!column) throw new Error(`table '${def.name}' has no column '${name}'`);
  return column;
}
