import type { BigQuery, Dataset, TableMetadata } from '@google-cloud/bigquery';
import { bigqueryTableMetadata } from '../../../schemas/tables/bigquerySchema.js';
import type { TableDef } from '../../../schemas/tables/tableDef.js';
import { warehouseTables } from '../../../schemas/tables/tables.js';
import { dedupViewName, dedupViewQuery } from './dedupViews.js';
import { planTableMigration, SchemaChangeRefusedError, type TablePlan } from './schemaMigration.js';

export interface WarehouseInitOptions {
  readonly datasetId: string;
  /** dataset location for a new dataset; an existing dataset elsewhere is refused */
  readonly location?: string;
  /** default: every table of schemas/tables/ */
  readonly tables?: readonly TableDef[];
  /** create the `<table>_dedup` views (default true) */
  readonly views?: boolean;
  /** progress lines (stderr in the CLI) */
  readonly log?: (line: string) => void;
}

export type TableAction = 'created' | 'updated' | 'unchanged';

export interface WarehouseInitReport {
  readonly projectId: string;
  readonly datasetId: string;
  readonly datasetCreated: boolean;
  readonly tables: readonly { readonly name: string; readonly action: TableAction; readonly changes: readonly string[] }[];
  readonly views: readonly { readonly name: string; readonly action: TableAction }[];
}

/** All of a refused init's problems, every table's, at once: nothing was changed. */
export class WarehouseInitRefusedError extends Error {
  override readonly name = 'WarehouseInitRefusedError';
  constructor(readonly refusals: readonly SchemaChangeRefusedError[]) {
    super(refusals.map((r) => r.message).join('\n'));
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 404;
}

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 409;
}

async function metadataOrUndefined(get: () => Promise<readonly unknown[]>): Promise<TableMetadata | undefined> {
  try {
    return (await get())[0] as TableMetadata;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function ensureDataset(bq: BigQuery, options: WarehouseInitOptions): Promise<{ dataset: Dataset; created: boolean }> {
  const dataset = bq.dataset(options.datasetId);
  const where = `${bq.projectId}.${options.datasetId}`;
  const existing = await metadataOrUndefined(() => dataset.getMetadata());
  if (existing) {
    const location = (existing as { location?: string }).location;
    if (options.location && location && location.toUpperCase() !== options.location.toUpperCase()) {
      throw new Error(`dataset ${where} is in location ${location}, but sink.location is ${options.location}: a dataset cannot ` +
        `move. Fix: set sink.location: ${location} in the config, or choose another sink.dataset`);
    }
    return { dataset, created: false };
  }
  try {
    await bq.createDataset(options.datasetId, options.location ? { location: options.location } : {});
    return { dataset, created: true };
  } catch (err) {
    // another init (or worker) created it meanwhile
    if (isAlreadyExists(err)) return { dataset, created: false };
    throw err;
  }
}

/**
 * `driftline warehouse init` for BigQuery: creates the dataset and every table of schemas/tables/
 * (with partitioning, clustering and column descriptions), brings existing tables up to their
 * declaration where BigQuery allows it in place (new NULLABLE columns, relaxed modes, descriptions,
 * clustering), and creates the de-duplicating views. Idempotent: a second run changes nothing.
 *
 * All tables are checked before any is changed; if one of them needs a change BigQuery cannot make
 * in place, it throws WarehouseInitRefusedError listing every such problem and touches nothing.
 */
export async function initBigQueryWarehouse(bq: BigQuery, options: WarehouseInitOptions): Promise<WarehouseInitReport> {
  const log = options.log ?? (() => undefined);
  const defs = options.tables ?? Object.values(warehouseTables);
  const { dataset, created: datasetCreated } = await ensureDataset(bq, options);
  const where = `${bq.projectId}.${options.datasetId}`;
  log(`dataset ${where}: ${datasetCreated ? 'created' : 'exists'}`);

  const plans: { def: TableDef; plan: TablePlan | 'create' }[] = [];
  const refusals: SchemaChangeRefusedError[] = [];
  for (const def of defs) {
    const existing = datasetCreated ? undefined : await metadataOrUndefined(() => dataset.table(def.name).getMetadata());
    if (!existing) {
      plans.push({ def, plan: 'create' });
      continue;
    }
    try {
      plans.push({ def, plan: planTableMigration(def, existing, where) });
    } catch (err) {
      if (!(err instanceof SchemaChangeRefusedError)) throw err;
      refusals.push(err);
    }
  }
  if (refusals.length > 0) throw new WarehouseInitRefusedError(refusals);

  const tables: WarehouseInitReport['tables'][number][] = [];
  for (const { def, plan } of plans) {
    if (plan === 'create') {
      try {
        await dataset.createTable(def.name, bigqueryTableMetadata(def));
        tables.push({ name: def.name, action: 'created', changes: [] });
        log(`table ${where}.${def.name}: created`);
        continue;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // created concurrently: plan against what is there now
        const existing = (await dataset.table(def.name).getMetadata())[0] as TableMetadata;
        const replanned = planTableMigration(def, existing, where);
        tables.push(await applyPlan(dataset, def, replanned, where, log));
        continue;
      }
    }
    tables.push(await applyPlan(dataset, def, plan, where, log));
  }

  const views: WarehouseInitReport['views'][number][] = [];
  if (options.views ?? true) {
    for (const def of defs) views.push(await ensureDedupView(bq, dataset, def, options.datasetId, where, log));
  }
  return { projectId: bq.projectId, datasetId: options.datasetId, datasetCreated, tables, views };
}

async function applyPlan(
  dataset: Dataset,
  def: TableDef,
  plan: TablePlan,
  where: string,
  log: (line: string) => void,
): Promise<WarehouseInitReport['tables'][number]> {
  if (plan.action === 'unchanged') {
    log(`table ${where}.${def.name}: up to date`);
    return { name: def.name, action: 'unchanged', changes: [] };
  }
  // PATCH with the full extended schema: BigQuery replaces the field list, so the stored fields are all in it
  await dataset.table(def.name).setMetadata(plan.metadata);
  log(`table ${where}.${def.name}: ${plan.changes.join('; ')}`);
  return { name: def.name, action: 'updated', changes: plan.changes };
}

async function ensureDedupView(
  bq: BigQuery,
  dataset: Dataset,
  def: TableDef,
  datasetId: string,
  where: string,
  log: (line: string) => void,
): Promise<WarehouseInitReport['views'][number]> {
  const name = dedupViewName(def);
  const query = dedupViewQuery(def, bq.projectId, datasetId);
  const view = dataset.table(name);
  const existing = await metadataOrUndefined(() => view.getMetadata());
  const description = `One row per ${def.primaryKey} of ${def.name}: streaming inserts are at-least-once (see README, BigQuery).`;
  if (!existing) {
    await dataset.createTable(name, { view: { query, useLegacySql: false }, description });
    log(`view ${where}.${name}: created`);
    return { name, action: 'created' };
  }
  const stored = (existing as { view?: { query?: string } }).view?.query;
  if (stored === undefined) {
    throw new Error(`${where}.${name} exists but is not a view; warehouse init keeps it. Fix: rename or drop it ` +
      `(driftline reserves the name for the de-duplicating view of ${def.name})`);
  }
  if (stored.trim() === query) {
    log(`view ${where}.${name}: up to date`);
    return { name, action: 'unchanged' };
  }
  await view.setMetadata({ view: { query, useLegacySql: false }, description });
  log(`view ${where}.${name}: query updated`);
  return { name, action: 'updated' };
}
