import { plantInputFields, plantTelemetrySchema, type PlantTelemetry } from '../../schemas/messages/plantTelemetry.js';
import { numberCell, textCell, timeCell } from './cellValues.js';
import type { CsvRecord, RowProblem } from './csvRecords.js';

/** The columns a plant CSV must have: id, event time and the 19 model inputs; `pue` is optional. */
export const PLANT_COLUMNS: readonly string[] = ['plant_id', 'timestamp', ...plantInputFields];

export type PlantRowResult = { ok: true; sample: PlantTelemetry } | { ok: false; problem: RowProblem };

/** One CSV row -> a plant telemetry sample, validated by the same schema as MQTT telemetry messages. */
export function parsePlantRow(record: CsvRecord, file: string): PlantRowResult {
  const c = record.cells;
  const raw: Record<string, unknown> = { plant_id: textCell(c.plant_id), timestamp: timeCell(c.timestamp) };
  for (const f of plantInputFields) raw[f] = numberCell(c[f]);
  const pue = numberCell(c.pue);
  if (pue !== undefined) raw.pue = pue;
  const parsed = plantTelemetrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const value = raw[field];
    return { ok: false, problem: { file, line: record.line, field, message: `${issue.message}; got ${value === undefined ? 'empty' : JSON.stringify(value)}` } };
  }
  if (Number.isNaN(new Date(parsed.data.timestamp).getTime())) {
    return { ok: false, problem: { file, line: record.line, field: 'timestamp', message: `not a date within ±275,000 years of 1970; got ${JSON.stringify(raw.timestamp)}` } };
  }
  return { ok: true, sample: parsed.data };
}
