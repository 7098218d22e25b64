import type { TableField, TableMetadata } from '@google-cloud/bigquery';
import { bigqueryFields, bigqueryTableSpec, normalizeBigQueryType, type BigQueryField } from '../../../schemas/tables/bigquerySchema.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';

/**
 * What `warehouse init` must do to bring an existing BigQuery table up to its declaration in
 * schemas/tables/. BigQuery changes a table in place only in ways that keep every stored row valid:
 * adding NULLABLE columns, relaxing REQUIRED to NULLABLE, editing descriptions and clustering. Any
 * other difference (a type change, a new REQUIRED column, a column no longer declared, tightening
 * NULLABLE to REQUIRED, other partitioning) is refused with the fix: a column is never stripped or
 * retyped behind the analysts' backs.
 */
export type TablePlan =
  | { readonly action: 'unchanged' }
  | {
      readonly action: 'update';
      /** human-readable list of the changes, for the init report */
      readonly changes: readonly string[];
      /** the metadata to PATCH: the stored fields in their order, relaxed where declared, then the new ones */
      readonly metadata: TableMetadata;
    };

/** A declared change BigQuery cannot make in place. The message names the table, column, both sides and the fix. */
export class SchemaChangeRefusedError extends Error {
  override readonly name = 'SchemaChangeRefusedError';
  constructor(
    readonly table: string,
    readonly problems: readonly string[],
  ) {
    super(`BigQuery table '${table}' cannot be migrated to its declaration in schemas/tables/ ` +
      `(warehouse init changed nothing in it):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function describeField(f: { type?: string; mode?: string }): string {
  return `${normalizeBigQueryType(f.type ?? '?')} ${(f.mode ?? 'NULLABLE').toUpperCase()}`;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * Compares a live table (`table.getMetadata()`) with its declaration. Pure: throws
 * SchemaChangeRefusedError listing every problem, or returns the plan.
 */
export function planTableMigration(def: TableDef, existing: TableMetadata, where = 'the dataset'): TablePlan {
  const declared = bigqueryFields(def);
  const declaredByName = new Map(declared.map((f) => [f.name, f]));
  const stored = (existing.schema?.fields ?? []) as TableField[];
  const storedByName = new Map(stored.map((f) => [f.name ?? '', f]));
  const table = `${where}.${def.name}`;
  const problems: string[] = [];
  const changes: string[] = [];

  const fields: TableField[] = [];
  for (const have of stored) {
    const name = have.name ?? '';
    const want = declaredByName.get(name);
    if (!want) {
      problems.push(`column '${name}' (${describeField(have)}) is in ${table} but no longer declared in schemas/tables/: ` +
        'warehouse init never drops a column. Fix: declare it again (as nullable() if writers stop filling it), ' +
        `or, if its data is not needed, drop it yourself: ALTER TABLE \`${table}\` DROP COLUMN ${name}`);
      fields.push(have);
      continue;
    }
    const haveType = normalizeBigQueryType(have.type ?? '');
    const haveMode = (have.mode ?? 'NULLABLE').toUpperCase();
    if (haveType !== want.type) {
      problems.push(`column '${name}' is ${describeField(have)} in ${table} but declared ${want.type} ${want.mode}: ` +
        'BigQuery cannot change a column\'s type in place. Fix: add a new column with the new type and keep the old one ' +
        `declared, or rebuild the table (CREATE TABLE ... AS SELECT ..., CAST(${name} AS ${want.type}) ...) and run init again`);
    } else if (haveMode === 'REPEATED' || (haveMode === 'NULLABLE' && want.mode === 'REQUIRED')) {
      problems.push(`column '${name}' is ${describeField(have)} in ${table} but declared ${want.type} ${want.mode}: ` +
        `BigQuery cannot make an existing column ${want.mode} (stored rows may break it). Fix: declare it with nullable()`);
    }
    const relax = haveMode === 'REQUIRED' && want.mode === 'NULLABLE' && haveType === want.type;
    if (relax) changes.push(`relax column '${name}' to NULLABLE`);
    const describe = have.description !== undefined && have.description !== want.description;
    if (describe) changes.push(`update the description of column '${name}'`);
    fields.push(relax || describe ? { ...have, mode: relax ? 'NULLABLE' : have.mode, description: want.description } : have);
  }
  for (const want of declared) {
    if (storedByName.has(want.name)) continue;
    if (want.mode === 'REQUIRED') {
      problems.push(`column '${want.name}' (${want.type} REQUIRED) is new, and BigQuery cannot add a REQUIRED column to ` +
        `${table}, whose stored rows have no value for it. Fix: declare it with nullable() in schemas/tables/`);
      continue;
    }
    changes.push(`add column '${want.name}' ${want.type} NULLABLE`);
    fields.push(toTableField(want));
  }

  const spec = bigqueryTableSpec(def);
  const partitioning = existing.timePartitioning;
  const wantPartitioning = spec.timePartitioning;
  const partitionText = (p: { type?: string | null; field?: string | null } | undefined) =>
    p ? `${p.type ?? 'DAY'} on ${p.field ?? '_PARTITIONTIME'}` : 'none';
  if ((partitioning?.field ?? undefined) !== wantPartitioning?.field ||
      (wantPartitioning && (partitioning?.type ?? 'DAY') !== wantPartitioning.type)) {
    problems.push(`partitioning of ${table} is ${partitionText(partitioning)} but declared ${partitionText(wantPartitioning)}: ` +
      'BigQuery cannot repartition a table in place. Fix: rebuild it (CREATE TABLE ... PARTITION BY ... AS SELECT * FROM ...) ' +
      'and run init again, or change the declaration back');
  }

  if (problems.length > 0) throw new SchemaChangeRefusedError(def.name, problems);

  const metadata: TableMetadata = {};
  if (changes.length > 0) metadata.schema = { fields };
  const wantClustering = spec.clustering?.fields;
  // BigQuery changes clustering in place (new data is clustered the new way, old data in the background);
  // clustering a table declared without it is left alone: it only costs writes a little
  if (wantClustering && !sameList(existing.clustering?.fields ?? undefined, wantClustering)) {
    changes.push(`cluster by ${wantClustering.join(', ')}`);
    metadata.clustering = { fields: [...wantClustering] };
  }
  if (existing.description !== undefined && existing.description !== def.description) {
    changes.push('update the table description');
    metadata.description = def.description;
  }
  return changes.length === 0 ? { action: 'unchanged' } : { action: 'update', changes, metadata };
}

function toTableField(f: BigQueryField): TableField {
  return { name: f.name, type: f.type, mode: f.mode, description: f.description };
}
