import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import { rowCheck } from '../../schemas/tables/rowCheck.js';
import { rowId } from '../../schemas/tables/rowId.js';
import { describeRowIssues, rowSchema } from '../../schemas/tables/rowSchema.js';
import type { TableDef } from '../../schemas/tables/tableDef.js';

export interface ValidatedRows {
  /** parsed rows: every column present, nullable ones defaulted to null */
  readonly valid: Record<string, unknown>[];
  readonly deadLetters: DeadLetterRow[];
}

/** JSON text of whatever a caller passed, even values JSON.stringify refuses (bigint, cycles). */
function payloadText(row: unknown): string {
  try {
    return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(row);
  } catch {
    return String(row);
  }
}

/**
 * Splits rows into those the table accepts and dead letters for the rest. The dead letter's id
 * hashes the table and payload (not the time), so replaying the same bad row does not pile up
 * copies of it. The table's compiled row check takes the rows it is sure of (zod's exact output);
 * zod decides every other row and writes the dead letter's detail.
 */
export function validateRows(def: TableDef, rows: readonly unknown[], source: string, now = Date.now()): ValidatedRows {
  const schema = rowSchema(def);
  const check = rowCheck(def);
  const valid: Record<string, unknown>[] = [];
  const deadLetters: DeadLetterRow[] = [];
  for (const row of rows) {
    const checked = check(row);
    if (checked) {
      valid.push(checked);
      continue;
    }
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      valid.push(parsed.data as Record<string, unknown>);
      continue;
    }
    const payload = payloadText(row);
    deadLetters.push({
      id: rowId(['invalid_row', source, def.name, payload]),
      source,
      topic: def.name,
      stream: typeof (row as { stream?: unknown })?.stream === 'string' ? (row as { stream: string }).stream : null,
      payload,
      payload_encoding: 'utf8',
      reason: 'invalid_row',
      detail: `row for table '${def.name}' does not match schemas/tables/: ${describeRowIssues(parsed.error)}`,
      received_at: now,
    });
  }
  return { valid, deadLetters };
}
