import { deadLetters } from './deadLetters.js';
import { lateEvents } from './lateEvents.js';
import { predictions } from './predictions.js';
import type { RowOf, TableDef } from './tableDef.js';
import { vessels } from './vessels.js';

/** Every warehouse table, by name: the list sinks create and `warehouse init` provisions. */
export const warehouseTables = {
  predictions,
  dead_letters: deadLetters,
  late_events: lateEvents,
  vessels,
} as const satisfies Record<string, TableDef>;

export type TableName = keyof typeof warehouseTables;
export type Row<N extends TableName> = RowOf<(typeof warehouseTables)[N]>;

export const tableNames = Object.keys(warehouseTables) as TableName[];

export function tableDef(name: string): TableDef {
  if (!Object.hasOwn(warehouseTables, name)) {
    throw new Error(`unknown warehouse table '${name}'; known tables: ${tableNames.join(', ')} (schemas/tables/tables.ts)`);
  }
  return warehouseTables[name as TableName];
}
